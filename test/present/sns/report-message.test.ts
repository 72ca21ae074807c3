import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../lambda/domain/finding.ts';
import { DEFAULT_POLICY, type Policy } from '../../../lambda/domain/policy.ts';
import type { Report } from '../../../lambda/domain/report.ts';
import {
  renderEmail,
  renderSlackJson,
  SNS_MAX_BYTES,
  toJsonReport,
} from '../../../lambda/present/render/index.ts';
import type { JsonReport } from '../../../lambda/present/render/json.ts';
import { MESSAGE_PROTOCOLS, snsMessageBytes } from '../../../lambda/present/sns/index.ts';
import { buildReportMessage } from '../../../lambda/present/sns/report-message.ts';
import { isValidSnsSubject, MAX_SUBJECT_LENGTH } from '../../../lambda/present/sns/subject.ts';
import {
  accountUnreachable,
  everyAction,
  everyRuleReport,
  keyDueSoon,
  largeReport,
  makeReport,
  PROD,
  reportedAction,
  scanned,
  withTrend,
} from '../render/report-factory.ts';

const protocolsOf = (message: { message: string }): Record<string, string> =>
  JSON.parse(message.message) as Record<string, string>;

const jsonOf = (message: { message: string }): JsonReport =>
  JSON.parse(protocolsOf(message).sqs ?? '') as JsonReport;

/** `n` twelve-digit account ids from `start`. */
const ids = (n: number, start: number): string[] => Array.from({ length: n }, (_, i) => String(start + i));

describe('buildReportMessage', () => {
  it('does fill every protocol key, default included (SNS requires it; moto does not check)', () => {
    const report = everyRuleReport();
    const { message, stage } = buildReportMessage(report);
    const protocols = protocolsOf(message);
    expect(Object.keys(protocols).sort()).toEqual([...MESSAGE_PROTOCOLS].sort());
    for (const value of Object.values(protocols)) expect(typeof value).toBe('string');
    expect(protocols.default).toContain(`${report.summary.violations} violations`);
    expect(stage).toBe('complete');
  });

  it('does give email the plain-text report, https the Chatbot notification, sqs and lambda the JSON report', () => {
    const report = everyRuleReport();
    const protocols = protocolsOf(buildReportMessage(report).message);
    expect(protocols.email).toBe(renderEmail(report).body);
    expect(protocols.https).toBe(renderSlackJson(report));
    expect(protocols.sqs).toBe(protocols.lambda);
    expect(JSON.parse(protocols.sqs ?? '')).toEqual(JSON.parse(JSON.stringify(toJsonReport(report))));
    expect(JSON.parse(protocols.https ?? '')).toMatchObject({ version: '1.0', source: 'custom' });
  });

  it('does name the counts in a valid subject under 100 characters', () => {
    const report = everyRuleReport();
    const { subject } = buildReportMessage(report).message;
    expect(subject.length).toBeLessThan(100);
    expect(isValidSnsSubject(subject)).toBe(true);
    expect(subject).toContain(`${report.summary.violations} violations`);
    expect(subject).toContain(`${report.summary.bySeverity.critical} critical`);
  });

  it('does set severity to the highest non-exempt severity and violations as a Number', () => {
    const report = everyRuleReport();
    expect(buildReportMessage(report).message.attributes).toEqual({
      severity: { type: 'String', value: 'critical' },
      violations: { type: 'Number', value: String(report.summary.violations) },
    });
    const warningsOnly = makeReport([keyDueSoon()]);
    expect(buildReportMessage(warningsOnly).message.attributes).toEqual({
      severity: { type: 'String', value: 'low' },
      violations: { type: 'Number', value: '0' },
    });
  });

  it('does set severity to none when the report has no finding (SNS refuses empty attribute values)', () => {
    const clean = makeReport([], { accounts: [scanned(PROD)] });
    expect(buildReportMessage(clean).message.attributes.severity).toEqual({ type: 'String', value: 'none' });
  });

  it('does show an incomplete run in the subject, the email, the chat notification and the JSON', () => {
    const incomplete = { reason: 'the run reached its time limit', accountsNotScanned: ['444444444444'] };
    const report = { ...everyRuleReport(), incomplete };
    const { message } = buildReportMessage(report);
    const protocols = protocolsOf(message);
    expect(message.subject).toContain('incomplete');
    expect(protocols.email).toContain('INCOMPLETE');
    expect(protocols.email).toContain('444444444444');
    expect(JSON.parse(protocols.https ?? '').content.description).toContain('444444444444');
    expect(jsonOf(message).incomplete).toEqual(incomplete);
  });

  describe('with 5,000 findings and multi-byte names', () => {
    const report = largeReport(5000);
    const built = buildReportMessage(report);
    const json = jsonOf(built.message);

    it('does fit the whole message (body, subject and attributes) in 262,144 bytes', () => {
      expect(
        report.findings.some(
          (f) => Buffer.byteLength(`${f.userName}${f.owner}`) > `${f.userName}${f.owner}`.length,
        ),
      ).toBe(true);
      expect(snsMessageBytes(built.message)).toBeLessThanOrEqual(SNS_MAX_BYTES);
      expect(built.bytes).toBe(snsMessageBytes(built.message));
      expect(built.stage).toBe('findings-summarised');
    });

    it('does keep whole findings only, and counts everything left out per account', () => {
      const full = new Map(toJsonReport(report).findings.map((f) => [f.id, JSON.parse(JSON.stringify(f))]));
      expect(json.findings.length).toBeGreaterThan(0);
      for (const finding of json.findings) expect(finding).toEqual(full.get(finding.id));
      const omitted = json.omitted;
      expect(omitted?.total).toBe(report.findings.length - json.findings.length);
      const shown = new Set(json.findings.map((f) => f.id));
      const dropped = new Map<string, number>();
      for (const f of report.findings) {
        if (!shown.has(f.id)) dropped.set(f.accountId, (dropped.get(f.accountId) ?? 0) + 1);
      }
      expect(new Map(omitted?.byAccount.map((a) => [a.accountId, a.total]))).toEqual(dropped);
      expect(protocolsOf(built.message).email).toContain('not shown');
    });

    it('does keep the root key and the unreachable account, left out last', () => {
      expect(json.findings.map((f) => f.rule)).toEqual(
        expect.arrayContaining(['root-access-key', 'account-unreachable']),
      );
    });

    it('does keep the counts of the whole run in the subject and the summary', () => {
      expect(json.summary.violations).toBe(report.summary.violations);
      expect(built.message.subject).toContain(
        `${report.summary.violations.toLocaleString('en-US')} violations`,
      );
      expect(built.message.attributes.violations?.value).toBe(String(report.summary.violations));
    });
  });

  it('does leave scanned accounts out of the JSON when an organisation of 2,000 accounts fills the budget', () => {
    const accounts = ids(2000, 100000000000).map((id) => scanned(id, 40, 50));
    const report = makeReport([keyDueSoon({ accountId: '100000000000' })], { accounts });
    const built = buildReportMessage(report);
    const json = jsonOf(built.message);
    expect(built.stage).toBe('accounts-summarised');
    expect(snsMessageBytes(built.message)).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(json.accounts).toEqual([]);
    expect(json.findings).toHaveLength(1);
    expect(json.summary.accounts).toBe(2000);
    expect(json.omitted?.reason).toContain('2,000 scanned accounts are not listed');
  });

  it('does send counts only when even the failed accounts alone exceed the budget', () => {
    const failed: Finding[] = ids(3000, 200000000000).map((id) => accountUnreachable(id));
    const report = makeReport(failed);
    const built = buildReportMessage(report);
    const protocols = protocolsOf(built.message);
    const json = jsonOf(built.message);
    expect(built.stage).toBe('summary-only');
    expect(snsMessageBytes(built.message)).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(Object.keys(protocols).sort()).toEqual([...MESSAGE_PROTOCOLS].sort());
    expect(json.findings).toEqual([]);
    expect(json.omitted?.total).toBe(3000);
    expect(json.summary.failedAccounts).toBe(3000);
    expect(protocols.email).toContain('Could not be scanned');
    expect(protocols.email).toContain('and 2,980 more');
  });

  it('does fall back to default and email only when not even the summary JSON fits', () => {
    const exemptions = ids(4000, 300000000000).map((accountId) => ({
      accountId,
      userName: 'legacy-*',
      until: '2099-12-31',
      reason: 'a long reason that repeats itself for every account of the organisation '.repeat(2),
    }));
    const policy: Policy = { ...DEFAULT_POLICY, exemptions };
    const report: Report = makeReport(
      ids(3000, 200000000000).map((id) => accountUnreachable(id)),
      { policy },
    );
    const built = buildReportMessage(report);
    expect(built.stage).toBe('minimal');
    expect(Object.keys(protocolsOf(built.message)).sort()).toEqual(['default', 'email']);
    expect(snsMessageBytes(built.message)).toBeLessThanOrEqual(SNS_MAX_BYTES);
  });

  it('does refuse a budget too small for any message rather than publish one SNS would reject', () => {
    expect(() => buildReportMessage(everyRuleReport(), { maxBytes: 200 })).toThrow(RangeError);
  });

  it('does respect a smaller budget in the same way', () => {
    const built = buildReportMessage(everyRuleReport(), { maxBytes: 40_000 });
    expect(snsMessageBytes(built.message)).toBeLessThanOrEqual(40_000);
    expect(built.message.subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
  });

  it('does give the trend in the subject and every rendering of a run with a history', () => {
    const report = withTrend(everyRuleReport(), { new: ['a'], resolved: ['b', 'c'], previousViolations: 8 });
    const built = buildReportMessage(report);
    const protocols = protocolsOf(built.message);
    expect(built.message.subject).toMatch(/^key-audit: 7 violations \(8 on 2026-11-08\): 1 new, 2 resolved/);
    expect(protocols.email).toContain('7 violations (8 on 2026-11-08):');
    expect(JSON.parse(protocols.https ?? '').content.description).toContain(
      '*Trend:* 7 violations (8 on 2026-11-08)',
    );
    expect(jsonOf(built.message).trend?.resolved).toEqual(['b', 'c']);
  });

  describe('when only a summary fits', () => {
    const failed: Finding[] = ids(3000, 200000000000).map((id) => accountUnreachable(id));
    const many = ids(30, 0).map((i) => `key-too-old:${i}`);
    const report: Report = {
      ...withTrend(makeReport(failed), { new: many, resolved: many, previousViolations: 3001 }),
      actions: Array.from({ length: 30 }, (_, i) => reportedAction({ userName: `u${i}` })),
      storedAt: { uri: 's3://history/reports/report/x.json', consoleUrl: 'https://console.example/x' },
    };
    const built = buildReportMessage(report);
    const protocols = protocolsOf(built.message);
    const json = jsonOf(built.message);

    it('does say where the complete report is instead of asking for a re-run', () => {
      expect(built.stage).toBe('summary-only');
      expect(protocols.email).toContain('The complete report: s3://history/reports/report/x.json');
      expect(protocols.email).toContain('In the S3 console: https://console.example/x');
      expect(protocols.email).not.toContain('key-audit scan --format');
      expect(protocols.email).toContain(
        'Trend: 3,000 violations (3,001 on 2026-11-08): 30 new, 30 resolved.',
      );
      expect(protocols.email).toContain('Actions: 30 done.');
    });

    it('does list at most 20 trend ids and actions in the JSON, and say so', () => {
      expect(json.trend?.new).toHaveLength(20);
      expect(json.trend?.resolved).toHaveLength(20);
      expect(json.actions).toHaveLength(20);
      expect(json.omitted?.reason).toContain('the first 20 of each');
      expect(json.storedAt?.uri).toBe('s3://history/reports/report/x.json');
    });

    it('does not mention cut lists when nothing was cut', () => {
      const small = buildReportMessage({ ...makeReport(failed), actions: everyAction() });
      expect(jsonOf(small.message).omitted?.reason).not.toContain('the first 20 of each');
      expect(jsonOf(small.message).actions).toHaveLength(everyAction().length);
    });
  });
});
