/**
 * Helpers for tests against moto_server: the endpoint from globalSetup, environment for SDK clients and
 * CLI subprocesses, and a reset between tests.
 */
import { inject } from 'vitest';

/** The moto endpoint, or null when moto is not installed (the suite then skips; CI fails instead). */
export const motoEndpoint = (): string | null => inject('motoEndpoint');

/** True when the integration suite can run. */
export const motoAvailable = (): boolean => motoEndpoint() !== null;

/** The environment that points the AWS SDK (in-process or in a child process) at moto. */
export const motoEnv = (endpoint: string): Record<string, string> => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true',
});

/** Wipes every moto backend so each test builds its own world. */
export const resetMoto = async (endpoint: string): Promise<void> => {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
};
