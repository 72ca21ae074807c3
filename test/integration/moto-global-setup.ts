/**
 * Starts moto_server on a free loopback port for the integration suite and stops it afterwards.
 * Tests read the endpoint with `inject('motoEndpoint')`; it is null when moto is not installed, which
 * fails the run under CI=true and skips the suite (with a message saying how to install moto) elsewhere.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string | null;
  }
}

const INSTALL_HINT = 'install it with: pip install "moto[server]>=5.2"';

interface Launcher {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

const LAUNCHERS: readonly Launcher[] = [
  { label: 'moto_server on PATH', command: 'moto_server', args: [] },
  { label: 'python3 -m moto.server', command: 'python3', args: ['-m', 'moto.server'] },
];

const findLauncher = (): { launcher: Launcher | null; tried: string[] } => {
  const tried: string[] = [];
  for (const launcher of LAUNCHERS) {
    const probe = spawnSync(launcher.command, [...launcher.args, '--help'], {
      stdio: 'ignore',
      timeout: 30_000,
    });
    if (probe.status === 0) return { launcher, tried };
    tried.push(`${launcher.label} (${probe.error ? probe.error.message : `exit ${probe.status}`})`);
  }
  return { launcher: null, tried };
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const waitUntilUp = async (endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // Not listening yet: poll again.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within ${timeoutMs} ms`);
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { launcher, tried } = findLauncher();
  if (launcher === null) {
    const message = `moto_server not found (tried: ${tried.join('; ')}); ${INSTALL_HINT}`;
    if (process.env.CI === 'true') throw new Error(`${message}. CI=true requires the integration suite.`);
    console.warn(`\n[integration] SKIPPED: ${message}\n`);
    project.provide('motoEndpoint', null);
    return async () => {};
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(launcher.command, [...launcher.args, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitUntilUp(endpoint, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  project.provide('motoEndpoint', endpoint);
  return async () => {
    child.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      else child.once('exit', () => resolve());
      setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 5_000).unref();
    });
  };
}
