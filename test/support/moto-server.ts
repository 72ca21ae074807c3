/**
 * Starts moto_server on a free loopback port, for the integration suite's global setup and the benchmark:
 * moto_server on PATH, else `python3 -m moto.server`; a failed lookup says what it tried.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

interface Launcher {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

const LAUNCHERS: readonly Launcher[] = [
  { label: 'moto_server on PATH', command: 'moto_server', args: [] },
  { label: 'python3 -m moto.server', command: 'python3', args: ['-m', 'moto.server'] },
];

/** moto is missing: the message lists every launcher tried and how to install moto. */
export class MotoNotFoundError extends Error {
  override readonly name = 'MotoNotFoundError';
}

/** A running moto_server. */
export interface MotoServer {
  readonly endpoint: string;
  /** How it was started, e.g. `moto_server on PATH`. */
  readonly launcher: string;
  /** moto's version from `python3 -c 'import moto'`, or `unknown (...)`. */
  readonly version: string;
  stop(): Promise<void>;
}

const findLauncher = (): Launcher => {
  const tried: string[] = [];
  for (const launcher of LAUNCHERS) {
    const probe = spawnSync(launcher.command, [...launcher.args, '--help'], {
      stdio: 'ignore',
      timeout: 30_000,
    });
    if (probe.status === 0) return launcher;
    tried.push(`${launcher.label} (${probe.error ? probe.error.message : `exit ${probe.status}`})`);
  }
  throw new MotoNotFoundError(
    `moto_server not found (tried: ${tried.join('; ')}); install it with: pip install "moto[server]>=5.2"`,
  );
};

const motoVersion = (): string => {
  const probe = spawnSync('python3', ['-c', 'import moto; print(moto.__version__)'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const version = probe.stdout?.trim();
  return probe.status === 0 && version ? version : `unknown (python3 -c "import moto" failed)`;
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
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within ${timeoutMs} ms`);
};

/** Starts moto_server and waits until it answers. Throws `MotoNotFoundError` when moto is missing. */
export const startMotoServer = async (): Promise<MotoServer> => {
  const launcher = findLauncher();
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
  return {
    endpoint,
    launcher: launcher.label,
    version: motoVersion(),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 5_000).unref();
      }),
  };
};

/** The environment that points the AWS SDK (in-process or in a child process) at moto. */
export const motoEnv = (endpoint: string): Record<string, string> => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true',
});

/** Wipes every moto backend (one organisation per management account: each seeding starts clean). */
export const resetMoto = async (endpoint: string): Promise<void> => {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
};
