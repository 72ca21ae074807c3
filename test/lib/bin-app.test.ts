import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Each run starts Node, tsx and aws-cdk-lib from scratch. */
const SLOW = 60_000;

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs bin/app.ts the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
const runApp = (context: Record<string, unknown>) => {
  const outdir = mkdtempSync(join(tmpdir(), 'key-audit-app-'));
  outdirs.push(outdir);
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      CDK_OUTDIR: outdir,
      CDK_VALIDATION: 'false',
      CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...context }),
    },
  });
  return { ...result, outdir };
};

describe('bin/app.ts', () => {
  it(
    'synthesizes the cdk.json configuration with a -c key-audit.<field> override applied, without credentials',
    () => {
      const { status, stderr, outdir } = runApp({ 'key-audit.schedules.report.hour': '7' });
      expect(stderr).not.toMatch(/Error/);
      expect(status).toBe(0);
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
        artifacts: Record<string, { type: string; environment?: string }>;
      };
      const stacks = Object.entries(manifest.artifacts).filter(
        ([, a]) => a.type === 'aws:cloudformation:stack',
      );
      expect(stacks.map(([name]) => name).sort()).toEqual(['KeyAuditMemberRole', 'KeyAuditScanner']);
      // Environment-agnostic: account and region come from the deploying profile.
      for (const [, artifact] of stacks)
        expect(artifact.environment).toBe('aws://unknown-account/unknown-region');
      const template = readFileSync(join(outdir, 'KeyAuditScanner.template.json'), 'utf8');
      expect(template).toContain('cron(0 7 ? * MON *)');
    },
    SLOW,
  );

  it(
    'prints every configuration problem, one per line, and exits 1 without a stack trace',
    () => {
      const { status, stderr } = runApp({
        'key-audit': JSON.stringify({
          accounts: ['12345'],
          schedules: { report: { timeZone: 'Europe/Londn' } },
        }),
      });
      expect(status).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines[0]).toBe('key-audit: invalid configuration');
      expect(lines.slice(1)).toEqual([
        expect.stringMatching(
          /^ {2}- key-audit\.accounts\[0\]: invalid AWS account id "12345": expected 12 digits$/,
        ),
        expect.stringMatching(
          /^ {2}- key-audit\.schedules\.report\.timeZone: "Europe\/Londn" is not an IANA time zone$/,
        ),
      ]);
    },
    SLOW,
  );

  it(
    'names -c key-audit when its value is not JSON',
    () => {
      const { status, stderr } = runApp({ 'key-audit': '{accounts: []' });
      expect(status).toBe(1);
      expect(stderr).toContain('-c key-audit: not valid JSON');
    },
    SLOW,
  );
});
