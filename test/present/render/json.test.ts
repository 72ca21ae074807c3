import { describe, expect, it } from 'vitest';
import { reactivateCommand } from '../../../lambda/domain/enforcement/undo.ts';
import { DAY_MS } from '../../../lambda/domain/policy.ts';
import { type JsonReport, renderJson, toJsonReport } from '../../../lambda/present/render/json.ts';
import {
  CONTRACT_ACTION_KEYS,
  CONTRACT_FINDING_KEYS,
  CONTRACT_NEW_EXEMPTION_KEYS,
  CONTRACT_REPORT_KEYS,
  CONTRACT_TREND_KEYS,
} from '../../contract/json-contract.ts';
import {
  AS_OF,
  BROKEN,
  DEV,
  everyAction,
  everyRuleReport,
  inProduction,
  keyTooOld,
  keyUnused,
  makeReport,
  PREVIOUS_AS_OF,
  PROD,
  withTrend,
} from './report-factory.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const report = everyRuleReport();
const parsed = JSON.parse(renderJson(report)) as Record<string, unknown> & JsonReport;

describe('renderJson', () => {
  it('does carry schemaVersion 1 and every top-level contract key', () => {
    expect(parsed.schemaVersion).toBe(1);
    expect(Object.keys(parsed)).toEqual([...CONTRACT_REPORT_KEYS]);
    expect(parsed.asOf).toBe(AS_OF.toISOString());
  });

  it('does give trend, actions, new exemptions and storedAt as null for a run without them', () => {
    expect([parsed.trend, parsed.actions, parsed.newExemptions, parsed.storedAt]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it.each([
    [true, true],
    [false, false],
    [undefined, false],
  ])('does give every finding production %s as %s', (production, expected) => {
    const finding = production === undefined ? keyTooOld() : { ...keyTooOld(), production };
    expect(toJsonReport(makeReport([finding])).findings[0]?.production).toBe(expected);
  });

  it('does keep every contract key of every finding, null rather than omitted', () => {
    expect(parsed.findings).toHaveLength(report.findings.length);
    for (const finding of parsed.findings) {
      expect(Object.keys(finding)).toEqual(expect.arrayContaining([...CONTRACT_FINDING_KEYS]));
    }
    const userLevel = parsed.findings.find((f) => f.rule === 'invalid-exemption');
    for (const key of [
      'accessKeyId',
      'keySlot',
      'ageDays',
      'since',
      'lastUsedAt',
      'lastUsedService',
      'owner',
    ]) {
      expect(userLevel).toHaveProperty(key, null);
    }
    const accountLevel = parsed.findings.find((f) => f.rule === 'account-unreachable');
    expect(accountLevel).toHaveProperty('userName', null);
  });

  it('does write every instant as ISO-8601', () => {
    for (const finding of parsed.findings) {
      for (const value of [finding.since, finding.lastUsedAt]) if (value !== null) expect(value).toMatch(ISO);
    }
    const source = report.findings.find((f) => f.rule === 'key-too-old');
    const out = parsed.findings.find((f) => f.id === source?.id);
    expect(out?.since).toBe(source?.since?.toISOString());
  });

  it('does keep the values of each finding', () => {
    for (const source of report.findings) {
      const out = parsed.findings.find((f) => f.id === source.id);
      expect(out).toMatchObject({
        rule: source.rule,
        severity: source.severity,
        accountId: source.accountId,
        userName: source.userName,
        accessKeyId: source.accessKeyId,
        keySlot: source.keySlot,
        ageDays: source.ageDays,
        owner: source.owner,
        exempt: source.exempt,
        message: source.message,
        remediation: source.remediation,
      });
    }
  });

  it('does include the rotation state only for rotations, with its dates as ISO', () => {
    const withRotation = parsed.findings.filter((f) => f.rotation !== undefined);
    expect(withRotation.map((f) => f.rule)).toEqual(['two-active-keys']);
    const rotation = withRotation[0]?.rotation;
    expect(typeof rotation?.oldKeyUsedSinceNewKey).toBe('boolean');
    expect(rotation?.newKeyCreatedAt).toMatch(ISO);
    expect(rotation).toHaveProperty('newAccessKeyId', 'AKIANEWKEYROTATING02');
  });

  it('does give failed accounts their error and scanned ones none', () => {
    const failed = parsed.accounts.find((a) => a.accountId === BROKEN);
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('AccessDenied') });
    const ok = parsed.accounts.find((a) => a.accountId === PROD);
    expect(ok?.status).toBe('scanned');
    expect(ok).not.toHaveProperty('error');
    expect(ok).toHaveProperty('reportGeneratedAt', expect.stringMatching(ISO));
  });

  it('does carry the summary counts', () => {
    expect(parsed.summary).toMatchObject({
      accounts: 3,
      failedAccounts: 1,
      users: report.summary.users,
      activeKeys: report.summary.activeKeys,
      violations: report.summary.violations,
    });
  });

  it('does include incomplete only when the run was incomplete', () => {
    expect(parsed).not.toHaveProperty('incomplete');
    const partial = makeReport([keyUnused()], {
      incomplete: { reason: 'timeout', accountsNotScanned: [DEV] },
    });
    expect(JSON.parse(renderJson(partial)).incomplete).toEqual({
      reason: 'timeout',
      accountsNotScanned: [DEV],
    });
  });

  it('does mark alerts with their window start', () => {
    const newSince = new Date(AS_OF.getTime() - DAY_MS);
    const alert = JSON.parse(renderJson(report, { kind: 'alert', newSince }));
    expect(alert).toMatchObject({ kind: 'alert', newSince: newSince.toISOString() });
    expect(parsed).toMatchObject({ kind: 'report', newSince: null });
  });

  it('does print one compact line when indent is 0', () => {
    expect(renderJson(report, { indent: 0 })).not.toContain('\n');
  });
});

describe('toJsonReport', () => {
  it('does return a plain object that survives a JSON round trip unchanged', () => {
    const object = toJsonReport(report);
    expect(JSON.parse(JSON.stringify(object))).toStrictEqual(object);
    expect(JSON.parse(renderJson(report))).toStrictEqual(object);
  });

  it('does include what a size limit left out when told', () => {
    const omitted = { total: 0, byAccount: [], reason: 'to fit 1 byte' };
    expect(toJsonReport(report, { omitted }).omitted).toEqual(omitted);
    expect(toJsonReport(report)).not.toHaveProperty('omitted');
  });
});

describe('toJsonReport with a history and enforcement', () => {
  const alice = report.findings.find((f) => f.userName === 'alice');
  const rich = toJsonReport({
    ...withTrend(report, { new: [alice?.id ?? ''], resolved: ['gone:1'], previousViolations: 9 }),
    actions: everyAction(),
    newExemptions: [
      {
        accountId: DEV,
        userName: 'vendor-sync',
        until: '2026-12-31',
        reason: 'vendor integration',
        source: 'tag',
      },
    ],
    storedAt: { uri: 's3://history/x.json' },
  });

  it('does carry the trend with ISO dates and the previous summary', () => {
    expect(Object.keys(rich.trend ?? {})).toEqual([...CONTRACT_TREND_KEYS]);
    expect(rich.trend).toEqual({
      previousAsOf: PREVIOUS_AS_OF.toISOString(),
      previous: { ...rich.summary, violations: 9 },
      new: [alice?.id],
      resolved: ['gone:1'],
    });
  });

  it('does carry a first run with a history as a trend with null previous', () => {
    expect(toJsonReport(withTrend(report, 'first-run')).trend).toEqual({
      previousAsOf: null,
      previous: null,
      new: [],
      resolved: [],
    });
  });

  it('does carry every action with the contract keys, its due date as ISO, and its undo command', () => {
    expect(rich.actions).toHaveLength(everyAction().length);
    for (const action of rich.actions ?? []) {
      expect(Object.keys(action)).toEqual(expect.arrayContaining([...CONTRACT_ACTION_KEYS]));
      expect(action.dueAt).toMatch(ISO);
    }
    const undo = (user: string) => rich.actions?.find((a) => a.userName === user)?.undoCommand;
    expect(undo('ci-deployer')).toBe(reactivateCommand('ci-deployer', 'AKIAJUNUSEDKEY000001'));
    expect(undo('later-user')).toBe(reactivateCommand('later-user', 'AKIAPLANNEDLATER0001'));
    expect([undo('old-batch'), undo('capped-user'), undo('denied-user')]).toEqual([null, null, null]);
    expect(rich.actions?.find((a) => a.userName === 'later-user')?.production).toBe(true);
    expect(toJsonReport({ ...report, actions: [] }).actions).toEqual([]);
  });

  it('does carry new exemptions and where the complete report is', () => {
    expect(Object.keys(rich.newExemptions?.[0] ?? {})).toEqual([...CONTRACT_NEW_EXEMPTION_KEYS]);
    expect(rich.storedAt).toEqual({ uri: 's3://history/x.json', consoleUrl: null });
  });

  it('does keep production on every finding', () => {
    const json = toJsonReport(makeReport([inProduction(keyTooOld()), keyUnused({ accountId: DEV })]));
    expect(json.findings.map((f) => [f.accountId, f.production])).toEqual([
      [PROD, true],
      [DEV, false],
    ]);
  });

  it('does survive a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(rich))).toStrictEqual(rich);
  });
});
