import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../lambda/domain/policy.ts';
import { type JsonReport, renderJson, toJsonReport } from '../../../lambda/present/render/json.ts';
import { CONTRACT_FINDING_KEYS } from '../../contract/json-contract.ts';
import { AS_OF, BROKEN, DEV, everyRuleReport, keyUnused, makeReport, PROD } from './report-factory.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const report = everyRuleReport();
const parsed = JSON.parse(renderJson(report)) as Record<string, unknown> & JsonReport;

describe('renderJson', () => {
  it('does carry schemaVersion 1 and every top-level contract key', () => {
    expect(parsed.schemaVersion).toBe(1);
    for (const key of ['asOf', 'policy', 'accounts', 'findings', 'summary'])
      expect(parsed).toHaveProperty(key);
    expect(parsed.asOf).toBe(AS_OF.toISOString());
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
