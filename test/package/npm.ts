/**
 * npm as a new user meets key-audit: the repository packed into a tarball (`npm pack`, which builds it
 * through `prepack`), then installed into empty directories. Installs prefer npm's cache, so they are fast
 * after the first run and need the registry only for what the cache lacks.
 */
import { execFile } from 'node:child_process';
import { lstatSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the package). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a finished process left behind. */
export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` to completion; a non-zero exit is a result, not a rejection. */
export const run = (
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number },
): Promise<Finished> =>
  new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 300_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number' && error.killed !== true) {
          reject(error);
          return;
        }
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        });
      },
    );
  });

/** Throws with npm's own words when it failed. */
const succeeded = (what: string, result: Finished): Finished => {
  if (result.code !== 0)
    throw new Error(`${what} exited ${result.code}:\n${result.stderr}\n${result.stdout}`);
  return result;
};

/** `npm pack --json`'s description of the tarball. */
export interface PackedTarball {
  /** Absolute path of the tarball. */
  readonly file: string;
  /** Bytes of the tarball. */
  readonly size: number;
  /** Bytes once unpacked. */
  readonly unpackedSize: number;
  /** Paths inside the package, e.g. `dist/cli.mjs`. */
  readonly files: readonly string[];
}

/** Packs the repository into `destination`; `prepack` builds dist/ first. */
export const packRepository = async (destination: string): Promise<PackedTarball> => {
  const { stdout } = succeeded(
    'npm pack',
    await run('npm', ['pack', '--json', '--pack-destination', destination], { cwd: REPO_ROOT }),
  );
  // The build's own output (prepack) comes first; npm's JSON is the array that follows.
  const json = stdout.startsWith('[') ? stdout : stdout.slice(stdout.indexOf('\n[') + 1);
  const [packed] = JSON.parse(json) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  if (packed === undefined) throw new Error(`npm pack described no tarball:\n${stdout}`);
  return {
    file: join(destination, packed.filename),
    size: packed.size,
    unpackedSize: packed.unpackedSize,
    files: packed.files.map((f) => f.path),
  };
};

/**
 * Installs `specs` (a tarball path, `name@version`) into `dir`, a project of its own: its package.json
 * stops npm from looking for a project in the directories above.
 */
export const installInto = async (dir: string, specs: readonly string[]): Promise<void> => {
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'key-audit-user', private: true, type: 'module' })}\n`,
  );
  succeeded(
    `npm install ${specs.join(' ')}`,
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], { cwd: dir }),
  );
};

/** Sizes of what is under `dir` (symbolic links not followed). */
export interface DirectorySize {
  /** The files' sizes added up (`du --apparent-size`). */
  readonly bytes: number;
  /** Disk space taken, in whole blocks (`du`). */
  readonly onDisk: number;
}

/** What `dir` holds: file bytes and disk usage. */
export const directorySize = (dir: string): DirectorySize =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (total, entry) => {
      const path = join(dir, entry.name);
      const stats = lstatSync(path);
      const inner = entry.isDirectory() ? directorySize(path) : { bytes: stats.size, onDisk: 0 };
      return {
        bytes: total.bytes + inner.bytes,
        onDisk: total.onDisk + inner.onDisk + stats.blocks * 512,
      };
    },
    { bytes: 0, onDisk: 0 },
  );

/** Megabytes with one decimal, for the test output. */
export const megabytes = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;
