import { describe, expect, it } from 'vitest';
import type { Finding } from '../../lambda/domain/finding.ts';
import { EMPTY_MEMORY, type Memory, type StoredReportRef } from '../../lambda/domain/memory.ts';
import { alertsToSend } from '../../lambda/domain/memory-alerts.ts';
import { type PublishedAlert, rememberRun } from '../../lambda/domain/remember-run.ts';
import {
  AS_OF,
  DEV,
  daysBefore,
  exemptFinding,
  failed,
  finding,
  memoryWith,
  PROD,
  reportOf,
  scanned,
  unreachable,
} from './history-factories.ts';

const ref = (job: StoredReportRef['job'], asOf: Date = AS_OF): StoredReportRef => ({
  job,
  asOf,
  location: `s3://audit-history/reports/${job}/${asOf.toISOString()}.json`,
});

const published = (...findings: Finding[]): PublishedAlert[] =>
  findings.map((f) => ({ findingId: f.id, severity: f.severity }));

const remember = (memory: Memory, report = reportOf([]), delivered: PublishedAlert[] = []) =>
  rememberRun(memory, { report, delivered, reportRef: ref('alerts', report.asOf) });

const keyFinding = (n: number, overrides: Partial<Finding> = {}) =>
  finding({ accessKeyId: `AKIAEXAMPLE00000000${n}`, ...overrides });

describe('rememberRun', () => {
  describe('lastScanned', () => {
    it('does move to asOf for scanned accounts only, keeping the last scan of a failed one', () => {
      const before = memoryWith({ lastScanned: { [PROD]: daysBefore(1), [DEV]: daysBefore(1) } });
      const report = reportOf([unreachable(DEV)], { accounts: [scanned(PROD), failed(DEV)] });
      expect(remember(before, report).lastScanned).toEqual({ [PROD]: AS_OF, [DEV]: daysBefore(1) });
    });

    it.each([
      ['an earlier instant', daysBefore(1), daysBefore(0)],
      ['a later instant', daysBefore(-1), daysBefore(-1)],
    ])('does keep the latest scan when a run replays %s', (_label, asOf, expected) => {
      const report = reportOf([], { asOf, accounts: [scanned(PROD)] });
      expect(remember(memoryWith({ lastScanned: { [PROD]: AS_OF } }), report).lastScanned[PROD]).toEqual(
        expected,
      );
    });
  });

  describe('delivered', () => {
    it('does record each published alert at its severity and the run asOf', () => {
      const f = keyFinding(1, { severity: 'critical' });
      expect(remember(EMPTY_MEMORY, reportOf([f]), published(f)).delivered).toEqual({
        [f.id]: { findingId: f.id, severity: 'critical', deliveredAt: AS_OF },
      });
    });

    it.each([
      ['keep', 'the finding is still there', reportOf([keyFinding(1)]), true],
      ['keep', 'its account failed this run', reportOf([unreachable(PROD)]), true],
      ['keep', 'its account was not in the run', reportOf([keyFinding(2, { accountId: DEV })]), true],
      [
        'drop',
        'the finding is gone from its scanned account',
        reportOf([], { accounts: [scanned(PROD)] }),
        false,
      ],
      ['drop', 'the finding is exempt now', reportOf([keyFinding(1, { exempt: true })]), false],
    ])('does %s a delivery when %s', (_verb, _label, report, kept) => {
      const f = keyFinding(1);
      const before = memoryWith({
        delivered: { [f.id]: { findingId: f.id, severity: 'high', deliveredAt: daysBefore(3) } },
      });
      expect(Object.keys(remember(before, report).delivered)).toEqual(kept ? [f.id] : []);
    });
  });

  describe('exemptions', () => {
    const known = (userName: string, until: string, reason: string, firstSeenAt: Date, accountId = PROD) => ({
      [`${accountId}/${userName}`]: { accountId, userName, until, reason, firstSeenAt },
    });

    it('does note a new exemption as first seen at asOf', () => {
      const report = reportOf([exemptFinding('vendor', '2026-07-01')]);
      expect(remember(EMPTY_MEMORY, report).exemptions).toEqual(
        known('vendor', '2026-07-01', 'CHG-1 vendor key', AS_OF),
      );
    });

    it.each([
      ['keep when first seen', 'the same until and reason', '2026-07-01', 'CHG-1 vendor key', daysBefore(10)],
      ['restart first seen', 'a later until', '2026-08-01', 'CHG-1 vendor key', AS_OF],
      ['restart first seen', 'another reason', '2026-07-01', 'CHG-2', AS_OF],
    ])('does %s for %s', (_verb, _label, until, reason, firstSeenAt) => {
      const before = memoryWith({
        exemptions: known('vendor', '2026-07-01', 'CHG-1 vendor key', daysBefore(10)),
      });
      const report = reportOf([exemptFinding('vendor', until, reason)]);
      expect(remember(before, report).exemptions).toEqual(known('vendor', until, reason, firstSeenAt));
    });

    it('does forget an exemption gone from a scanned account and keep one of a failed account', () => {
      const before = memoryWith({
        exemptions: {
          ...known('vendor', '2026-07-01', 'CHG-1', daysBefore(10)),
          ...known('batch', '2026-07-01', 'CHG-3', daysBefore(10), DEV),
        },
      });
      const report = reportOf([keyFinding(1), unreachable(DEV)]);
      expect(Object.keys(remember(before, report).exemptions)).toEqual([`${DEV}/batch`]);
    });

    it('does note a user once however many exempt findings carry the exemption', () => {
      const report = reportOf([
        exemptFinding('vendor', '2026-07-01', 'CHG-1', { accessKeyId: 'AKIAEXAMPLE000000001' }),
        exemptFinding('vendor', '2026-07-01', 'CHG-1', { accessKeyId: 'AKIAEXAMPLE000000002' }),
      ]);
      expect(Object.keys(remember(EMPTY_MEMORY, report).exemptions)).toEqual([`${PROD}/vendor`]);
    });
  });

  it('does point latestReports of the job at the stored report and keep the other jobs', () => {
    const before = memoryWith({ latestReports: { report: ref('report', daysBefore(7)) } });
    expect(remember(before).latestReports).toEqual({
      report: ref('report', daysBefore(7)),
      alerts: ref('alerts'),
    });
  });

  it('does leave notices and actions to enforcement', () => {
    const notice = {
      accountId: PROD,
      userName: 'alice',
      accessKeyId: 'AKIAEXAMPLE000000001',
      action: 'deactivate',
      noticedAt: daysBefore(3),
      dueAt: daysBefore(-4),
      lastUsedAtNoticed: null,
      production: false,
    } as const;
    const before = memoryWith({ notices: { [notice.accessKeyId]: notice } });
    const after = remember(before, reportOf([], { accounts: [scanned(PROD)] }));
    expect(after.notices).toBe(before.notices);
    expect(after.actions).toBe(before.actions);
  });

  it('does let the next run send what this one failed to publish, and nothing it did publish', () => {
    const findings = [1, 2, 3, 4, 5].map((n) => keyFinding(n, { since: daysBefore(0.5) }));
    const first = reportOf(findings);
    const policy = { alertSeverity: 'high' } as const;
    expect(alertsToSend(first, EMPTY_MEMORY, policy)).toHaveLength(5);
    const afterFirst = remember(EMPTY_MEMORY, first, published(...findings.slice(0, 3)));

    const next = reportOf(findings, { asOf: daysBefore(-1 / 24) });
    expect(alertsToSend(next, afterFirst, policy).map(({ finding: f, reason }) => [f.id, reason])).toEqual([
      [findings[3]?.id, 'undelivered'],
      [findings[4]?.id, 'undelivered'],
    ]);
  });
});
