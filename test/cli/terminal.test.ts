/**
 * The CLI as a person sees it in a real terminal 80 columns wide: `script` gives the process a
 * pseudo-terminal (so stdout.isTTY and stdout.columns are what a terminal says), `stty` sets its width.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPORTS = 'examples/credential-reports';
const reports = readdirSync(REPORTS)
  .filter((file) => file.endsWith('.csv'))
  .map((file) => join(REPORTS, file));

/** What `args` prints in a terminal of `columns` columns, without colour codes and carriage returns. */
const inTerminal = async (columns: number, args: readonly string[]): Promise<string[]> => {
  const command = `stty cols ${columns} rows 200; node --import tsx bin/key-audit.ts ${args.join(' ')}`;
  // `script` exits with the command's status; the demo data has violations (exit 2), which is not an error here.
  const { stdout } = await run('script', ['-qec', command, '/dev/null'], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
  return stripVTControlCharacters(stdout).replaceAll('\r', '').split('\n');
};

describe('the CLI in an 80-column terminal', () => {
  it('does wrap --help within 80 columns', async () => {
    const lines = await inTerminal(80, ['--help']);
    expect(lines.some((line) => line.includes('--format'))).toBe(true);
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
  });

  it('does show the demo table within 80 columns with user names whole', async () => {
    const lines = await inTerminal(80, [
      'scan',
      '--credential-report',
      ...reports,
      '--config',
      'examples/key-audit.config.json',
      '--as-of',
      '2026-11-23T09:00:00Z',
    ]);
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
    const text = lines.join('\n');
    for (const user of [
      'contractor+acme@example.com',
      'svc-data-scraper',
      'dev.experiments',
      'hackathon-bot',
    ]) {
      expect(text).toContain(user);
    }
  });
});
