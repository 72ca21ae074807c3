/**
 * `npx cdk synth` as the infrastructure team runs it: the CDK CLI, cdk.json's app (bin/app.ts under tsx),
 * real esbuild bundling, and no AWS credentials or network, as under CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const outdir = mkdtempSync(join(tmpdir(), 'key-audit-synth-'));

/** The machine's environment without anything that could reach AWS credentials. */
const offlineEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_') && !name.startsWith('CDK_')) env[name] = value;
  }
  return {
    ...env,
    CI: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    AWS_CONFIG_FILE: join(outdir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(outdir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
};

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('cdk synth', () => {
  it('synthesizes every stack offline with no AWS credentials when CI=true', () => {
    const result = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'cdk'),
      ['synth', '--quiet', '--output', outdir],
      {
        cwd: ROOT,
        env: offlineEnv(),
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    for (const stack of ['KeyAuditScanner', 'KeyAuditMemberRole']) {
      const template = join(outdir, `${stack}.template.json`);
      expect(existsSync(template), template).toBe(true);
      const resources = Object.keys(
        (JSON.parse(readFileSync(template, 'utf8')) as { Resources: object }).Resources,
      );
      expect(resources.length).toBeGreaterThan(0);
    }
  }, 240_000);
});

describe('the CDK app on bad configuration', () => {
  it('does print each problem on its own line, without a stack trace, and exit 1', () => {
    const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
      cwd: ROOT,
      env: {
        ...offlineEnv(),
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ 'key-audit': { bogus: 1, concurrency: 0 } }),
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('key-audit: invalid configuration');
    const problems = lines.slice(1);
    // One line per problem, in whatever order the configuration lists them.
    expect(problems).toHaveLength(2);
    expect(problems.every((line) => line.startsWith('  - '))).toBe(true);
    expect(problems.some((line) => line.includes('concurrency'))).toBe(true);
    expect(problems.some((line) => line.includes('bogus'))).toBe(true);
  }, 120_000);
});
