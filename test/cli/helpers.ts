/**
 * Runs `bin/key-audit.ts` as a child process, the way a person or a CI job runs it: separate stdout and
 * stderr (both pipes, so neither is a TTY), the real exit code, and an environment without the caller's
 * AWS settings so a test never reaches a real account by accident.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the CLI runs from here, as `npm run` would run it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The entry point the subprocess runs. */
export const CLI_ENTRY = join(REPO_ROOT, 'bin', 'key-audit.ts');

/** The demo data (examples/README.md), evaluated at the instant the README describes. */
export const DEMO = {
  reports: [
    join(REPO_ROOT, 'examples/credential-reports/111111111111-production.csv'),
    join(REPO_ROOT, 'examples/credential-reports/222222222222-staging.csv'),
    join(REPO_ROOT, 'examples/credential-reports/333333333333-sandbox.csv'),
  ],
  config: join(REPO_ROOT, 'examples/key-audit.config.json'),
  asOf: '2026-11-23T09:00:00Z',
} as const;

/** What a finished CLI run left behind. */
export interface CliRun {
  /** The exit code; null only when the process was killed (e.g. by the timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run the CLI. */
export interface CliRunOptions {
  /** Added to the child's environment (after the caller's AWS_* variables are removed). */
  readonly env?: Readonly<Record<string, string>>;
  /** @default 60_000 */
  readonly timeoutMs?: number;
}

/** The parent's environment without AWS settings and colour switches, so runs do not depend on the shell. */
const baseEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith('AWS_') || name === 'NO_COLOR' || name === 'FORCE_COLOR') {
      continue;
    }
    env[name] = value;
  }
  // No instance metadata lookups if a test forgets credentials: fail fast instead of timing out.
  env.AWS_EC2_METADATA_DISABLED = 'true';
  return env;
};

/** Runs `key-audit <args>` to completion. Never rejects for a non-zero exit: the code is the result. */
export const runKeyAudit = (args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI_ENTRY, ...args],
      {
        cwd: REPO_ROOT,
        env: { ...baseEnv(), ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number' && error.killed !== true) {
          // The process could not be started at all (e.g. ENOENT): that is a broken test, not a result.
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

/** `key-audit scan --credential-report <demo files> --config <demo config> --as-of <demo instant> ...extra`. */
export const scanDemo = (extra: readonly string[] = [], options: CliRunOptions = {}): Promise<CliRun> =>
  runKeyAudit(
    ['scan', '--credential-report', ...DEMO.reports, '--config', DEMO.config, '--as-of', DEMO.asOf, ...extra],
    options,
  );

/** The lines of `text` without the final newline's empty line. */
export const linesOf = (text: string): string[] => {
  const trimmed = text.endsWith('\n') ? text.slice(0, -1) : text;
  return trimmed === '' ? [] : trimmed.split('\n');
};
