/**
 * `key-audit scan --history DIR` end to end, as a child process on the demo credential reports: the
 * complete report stored under its dated key, the memory beside it, and the trend of a later `--as-of`
 * against the earlier one, worked out here from the two runs' own JSON output.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../lambda/present/render/json.ts';
import { DEMO, linesOf, runKeyAudit } from './helpers.ts';

const TMP = mkdtempSync(join(tmpdir(), 'key-audit-history-cli-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const scanAt = (history: string, asOf: string) =>
  runKeyAudit([
    'scan',
    '--credential-report',
    ...DEMO.reports,
    '--config',
    DEMO.config,
    '--format',
    'json',
    '--fail-on',
    'none',
    '--history',
    history,
    '--as-of',
    asOf,
  ]);

/** Ids of the report's findings that are violations or warnings (exempt ones are never compared). */
const activeIds = (report: JsonReport): Set<string> =>
  new Set(report.findings.filter((f) => !f.exempt).map((f) => f.id));

describe('key-audit scan --history (offline)', () => {
  it('does store each complete report by date and give the trend of a later --as-of', async () => {
    const history = join(TMP, 'audit-history');
    const first = await scanAt(history, '2026-11-23T09:00:00Z');
    expect(first.code, first.stderr).toBe(0);
    const stored = join(history, 'reports/scan/2026/11/23/2026-11-23T09-00-00.000Z.json');
    expect(linesOf(first.stderr)).toEqual([
      `key-audit: complete report stored in ${stored}`,
      'key-audit: first scan with this history: nothing to compare with yet',
      expect.stringMatching(/^key-audit: \d+ new exemptions?: /),
    ]);
    const firstReport = JSON.parse(first.stdout) as JsonReport;
    const storedReport = JSON.parse(readFileSync(stored, 'utf8')) as JsonReport;
    expect(storedReport.findings).toEqual(firstReport.findings);
    expect(existsSync(join(history, 'state.json'))).toBe(true);

    // Two months on, keys have aged past their limits: some findings are new, some changed rule.
    const second = await scanAt(history, '2027-01-23T09:00:00Z');
    expect(second.code, second.stderr).toBe(0);
    const secondReport = JSON.parse(second.stdout) as JsonReport;
    const before = activeIds(firstReport);
    const after = activeIds(secondReport);
    const added = [...after].filter((id) => !before.has(id));
    const resolved = [...before].filter((id) => !after.has(id));
    expect(added.length + resolved.length).toBeGreaterThan(0);
    expect(linesOf(second.stderr)).toEqual([
      `key-audit: complete report stored in ${join(history, 'reports/scan/2027/01/23/2027-01-23T09-00-00.000Z.json')}`,
      `key-audit: since the previous scan (2026-11-23 09:00 UTC): ${added.length} new finding${added.length === 1 ? '' : 's'}, ${resolved.length} resolved`,
    ]);
  });

  it('does refuse, in one line and before scanning, a history whose memory it cannot trust', async () => {
    const history = join(TMP, 'corrupt-history');
    mkdirSync(history);
    writeFileSync(join(history, 'state.json'), '{"version": 99}');
    const run = await scanAt(history, '2026-11-23T09:00:00Z');
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/^key-audit: [^:]*state\.json: /)]);
    expect(run.stdout).toBe('');
    expect(existsSync(join(history, 'reports'))).toBe(false);
  });
});
