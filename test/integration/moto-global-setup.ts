/**
 * Starts moto_server on a free loopback port for the integration suite and stops it afterwards.
 * Tests read the endpoint with `inject('motoEndpoint')`; it is null when moto is not installed, which
 * fails the run under CI=true and skips the suite (with a message saying how to install moto) elsewhere.
 */
import type { TestProject } from 'vitest/node';
import { MotoNotFoundError, startMotoServer } from '../support/moto-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const moto = await startMotoServer();
    project.provide('motoEndpoint', moto.endpoint);
    return moto.stop;
  } catch (error) {
    if (!(error instanceof MotoNotFoundError)) throw error;
    if (process.env.CI === 'true')
      throw new Error(`${error.message}. CI=true requires the integration suite.`);
    console.warn(`\n[integration] SKIPPED: ${error.message}\n`);
    project.provide('motoEndpoint', null);
    return async () => {};
  }
}
