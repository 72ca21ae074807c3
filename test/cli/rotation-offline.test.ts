/**
 * A rotation in progress, offline through the CLI (a credential report and `--as-of`): following the
 * runbook holds two active keys for a while, which is a warning (exit 0) until the rotation grace ends,
 * then a violation (exit 2). And production settings offline: only `production.accounts` can apply.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../bin/cli/exit-code.ts';
import type { JsonReport } from '../../lambda/present/render/json.ts';
import { REPO_ROOT, runKeyAudit } from './helpers.ts';

/** svc-rotating: key 1 created 2026-10-01 and in use, key 2 created 2026-11-22 09:00 and unused yet. */
const REPORT = join(REPO_ROOT, 'test/fixtures/credential-reports/rotation-444455556666.csv');

const TMP = mkdtempSync(join(tmpdir(), 'key-audit-rotation-'));
afterAll(() => {
  rmSync(TMP, { recursive: true, force: true });
});

const scan = (asOf: string, extra: readonly string[] = []) =>
  runKeyAudit(['scan', '--credential-report', REPORT, '--as-of', asOf, '--format', 'json', ...extra]);

describe('key-audit scan of a rotation in progress (offline)', () => {
  it.each([
    ['a day after the new key was created', '2026-11-23T09:00:00Z', 'low', EXIT.ok],
    ['eight days later', '2026-12-01T09:00:00Z', 'high', EXIT.violations],
  ])('reports the two active keys %s as %s and exits %i', async (_label, asOf, severity, code) => {
    const run = await scan(asOf);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.rule, f.severity, f.userName])).toEqual([
      ['two-active-keys', severity, 'svc-rotating'],
    ]);
  });

  it('says by when to finish while the rotation is in its grace', async () => {
    const report = JSON.parse((await scan('2026-11-23T09:00:00Z')).stdout) as JsonReport;
    expect(report.findings[0]?.message).toContain('finish the rotation by 2026-11-29');
  });
});

describe('key-audit scan with production settings (offline)', () => {
  it('warns in one line that OUs and account tags need Organizations, and applies the account ids', async () => {
    const config = join(TMP, 'production.json');
    writeFileSync(
      config,
      JSON.stringify({
        production: { accounts: ['444455556666'], ous: ['ou-ab12-prod0001'], accountTag: { env: 'prod' } },
      }),
    );
    const run = await scan('2026-11-23T09:00:00Z', ['--config', config]);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).toBe(
      'key-audit: warning: production.ous and production.accountTag: read from Organizations in organisation ' +
        'mode only; offline (credential report files), only production.accounts says which accounts are ' +
        'production\n',
    );
  });

  it('says nothing when production is listed by account id only', async () => {
    const config = join(TMP, 'production-ids.json');
    writeFileSync(config, JSON.stringify({ production: { accounts: ['444455556666'] } }));
    const run = await scan('2026-11-23T09:00:00Z', ['--config', config]);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).toBe('');
  });
});
