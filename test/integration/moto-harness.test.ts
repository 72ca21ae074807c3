import { describe, expect, it } from 'vitest';
import { motoAvailable, motoEndpoint, resetMoto } from './moto.ts';

describe.runIf(motoAvailable())('moto harness', () => {
  it('answers on the loopback endpoint when globalSetup started it', async () => {
    const endpoint = motoEndpoint() ?? '';
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await resetMoto(endpoint);
    const response = await fetch(`${endpoint}/moto-api/`);
    expect(response.status).toBe(200);
  });
});
