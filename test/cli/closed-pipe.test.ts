/**
 * `key-audit scan ... | head -c 100`: the reader closes the pipe before the CLI has written everything.
 * Here the reader closes its end before the CLI writes at all, so the write always fails with EPIPE
 * (with `head`, whether it does depends on the output's size and timing).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_ENTRY, DEMO, REPO_ROOT } from './helpers.ts';

/** Runs the CLI with stdout going to a reader that has already gone; resolves with exit code and stderr. */
const runIntoClosedPipe = (args: readonly string[]): Promise<{ code: number | null; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });

describe('the key-audit command writing into a closed pipe', () => {
  it.each([
    [
      'a scan with violations',
      ['scan', '--credential-report', ...DEMO.reports, '--as-of', DEMO.asOf, '--format', 'json'],
      2,
    ],
    ['--help', ['--help'], 0],
  ])('does end quietly with the usual exit code when the reader has gone: %s', async (_title, args, code) => {
    const run = await runIntoClosedPipe(args);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
  });
});
