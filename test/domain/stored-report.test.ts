import { describe, expect, it } from 'vitest';
import { HistoryError } from '../../lambda/domain/history-store.ts';
import { parseStoredReport } from '../../lambda/domain/stored-report.ts';
import { trend } from '../../lambda/domain/trend.ts';
import { renderJson } from '../../lambda/present/render/json.ts';
import {
  DEV,
  daysBefore,
  exemptFinding,
  failed,
  finding,
  PROD,
  reportOf,
  scanned,
  unreachable,
} from './history-factories.ts';

const LOCATION = '/var/lib/key-audit/reports/report/2026/06/08/2026-06-08T12-00-00.000Z.json';

const previous = {
  ...reportOf([finding(), exemptFinding('vendor', '2026-07-01'), unreachable(DEV)], {
    asOf: daysBefore(7),
    accounts: [scanned(PROD), failed(DEV)],
    summary: { users: 4, activeKeys: 5, bySeverity: { critical: 0, high: 2, medium: 0, low: 0, info: 0 } },
  }),
  incomplete: { reason: 'timeout', accountsNotScanned: ['333333333333'] },
};

describe('parseStoredReport', () => {
  it('does read back what the trend compares from a JSON report as renderJson writes it', () => {
    expect(parseStoredReport(renderJson(previous), LOCATION)).toEqual({
      asOf: previous.asOf,
      summary: previous.summary,
      accounts: [
        { accountId: PROD, status: 'scanned' },
        { accountId: DEV, status: 'failed' },
      ],
      findings: previous.findings.map(({ id, rule, accountId, exempt }) => ({ id, rule, accountId, exempt })),
      incomplete: { accountsNotScanned: ['333333333333'] },
    });
  });

  it('does give the same trend as the report it was stored from', () => {
    const current = reportOf([finding({ accessKeyId: 'AKIAEXAMPLE000000009' }), unreachable(DEV)]);
    expect(trend(parseStoredReport(renderJson(previous), LOCATION), current)).toEqual(
      trend(previous, current),
    );
  });

  it.each([
    ['text that is not JSON', '{"schemaVersion"', /: not JSON \(/],
    [
      'another schemaVersion',
      JSON.stringify({ schemaVersion: 2 }),
      /: schemaVersion: Invalid input: expected 1/,
    ],
    [
      'a summary without a severity',
      renderJson(previous).replace('"high": 2,', ''),
      /: summary\.bySeverity\.high: Invalid input: expected number, received undefined$/,
    ],
    [
      'a finding without an id',
      renderJson(previous).replace(`"id": "${finding().id}",`, ''),
      /: findings\[0\]\.id: Invalid input: expected string, received undefined$/,
    ],
    [
      'an asOf that is no instant',
      renderJson(previous).replace(/"asOf": "[^"]+"/, '"asOf": "last week"'),
      /: asOf: not an ISO-8601 instant$/,
    ],
  ])('does refuse %s in one line naming the location', (_label, json, problem) => {
    expect(() => parseStoredReport(json, LOCATION)).toThrow(HistoryError);
    expect(() => parseStoredReport(json, LOCATION)).toThrow(problem);
    expect(() => parseStoredReport(json, LOCATION)).toThrow(LOCATION);
  });
});
