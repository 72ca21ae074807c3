/**
 * `key-audit scan --format csv` and `--format asff` end to end, as a child process on a credential report
 * whose user names a spreadsheet would trip over: a comma, and names starting with `=`, `+` and `@` (all
 * valid IAM user names).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_HEADER, restoreCell } from '../../lambda/present/csv.ts';
import type { JsonReport } from '../../lambda/present/render/json.ts';
import { DEMO, runKeyAudit } from './helpers.ts';

const TMP = mkdtempSync(join(tmpdir(), 'key-audit-csv-'));
const REPORT = join(TMP, '444455556666-awkward.csv');
const ACCOUNT = '444455556666';
const NAMES = ['smith,john', '=1+2', '+plus', '@handle', '-dash', 'plain.user'];

/** One credential report row: an active key 200 days old, last used 100 days ago. */
const row = (userName: string): string => {
  const quoted = userName.includes(',') ? `"${userName}"` : userName;
  const arn = `arn:aws:iam::${ACCOUNT}:user/${userName}`;
  return [
    quoted,
    userName.includes(',') ? `"${arn}"` : arn,
    '2025-01-01T00:00:00+00:00',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'true',
    '2026-05-07T09:00:00+00:00',
    '2026-08-15T09:00:00+00:00',
    'eu-west-2',
    's3',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'N/A',
    'false',
    'N/A',
  ].join(',');
};

const scan = (format: string, env: Readonly<Record<string, string>> = {}) =>
  runKeyAudit(['scan', '--credential-report', REPORT, '--as-of', DEMO.asOf, '--format', format], { env });

describe('key-audit scan --format csv and asff', () => {
  let json: JsonReport;

  beforeAll(async () => {
    const header = readFileSync(DEMO.reports[0], 'utf8').split('\n')[0] ?? '';
    writeFileSync(REPORT, `${[header, ...NAMES.map(row)].join('\n')}\n`);
    const run = await scan('json');
    expect(run.code, run.stderr).toBe(2);
    json = JSON.parse(run.stdout) as JsonReport;
    expect(new Set(json.findings.map((f) => f.userName))).toEqual(new Set(NAMES));
  });

  afterAll(() => rmSync(TMP, { recursive: true, force: true }));

  it('does give a CSV parser every finding back, with the JSON report’s values', async () => {
    const run = await scan('csv');
    expect(run.code).toBe(2);
    const [header, ...rows] = parse(run.stdout) as string[][];
    expect(header).toEqual([...CSV_HEADER]);
    const byColumn = rows.map((cells) =>
      Object.fromEntries(cells.map((cell, i) => [header?.[i] ?? '', restoreCell(cell)])),
    );
    expect(byColumn.map((r) => [r.id, r.userName, r.accessKeyId, r.severity, r.ageDays, r.message])).toEqual(
      json.findings.map((f) => [
        f.id,
        f.userName,
        f.accessKeyId ?? '',
        f.severity,
        String(f.ageDays),
        f.message,
      ]),
    );
    // The formula names are inert in the file itself: no cell starts with a formula character.
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(rows.flat()).toEqual(
      expect.arrayContaining(["'=1+2", "'+plus", "'@handle", "'-dash", 'smith,john']),
    );
  });

  it('does print one ASFF finding per finding, for the Security Hub of AWS_REGION', async () => {
    const run = await scan('asff', { AWS_REGION: 'eu-central-1' });
    expect(run.code).toBe(2);
    const findings = JSON.parse(run.stdout) as AwsSecurityFinding[];
    expect(findings.map((f) => f.Id)).toEqual(json.findings.map((f) => f.id));
    for (const finding of findings) {
      expect(finding.ProductArn).toBe(
        `arn:aws:securityhub:eu-central-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      );
      expect(finding.AwsAccountId).toBe(ACCOUNT);
    }
    // A credential report names keys by slot, not id: the resource is the user.
    expect(findings.map((f) => f.Resources?.[0]?.Details?.AwsIamUser?.UserName)).toEqual(
      json.findings.map((f) => f.userName),
    );
  });
});
