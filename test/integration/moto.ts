/**
 * Helpers for tests against moto_server: the endpoint from globalSetup, environment for SDK clients and
 * CLI subprocesses, and a reset between tests.
 */
import { inject } from 'vitest';

/** The moto endpoint, or null when moto is not installed (the suite then skips; CI fails instead). */
export const motoEndpoint = (): string | null => inject('motoEndpoint');

/** True when the integration suite can run. */
export const motoAvailable = (): boolean => motoEndpoint() !== null;

export { motoEnv, resetMoto } from '../support/moto-server.ts';
