import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

describe('the installed key-audit command', () => {
  it('runs from any working directory when started through the package.json bin entry', async () => {
    const { bin } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    const entry = join(ROOT, bin['key-audit'] ?? 'missing');
    const { stdout } = await run(entry, ['--version'], { cwd: tmpdir() });
    expect(stdout).toMatch(/^key-audit \d+\.\d+\.\d+\n$/);
  });
});
