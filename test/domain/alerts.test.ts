import { describe, expect, it } from 'vitest';
import { alertReason, selectAlerts } from '../../lambda/domain/alerts.ts';
import { evaluate } from '../../lambda/domain/evaluate.ts';
import type { Finding } from '../../lambda/domain/finding.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import {
  AS_OF,
  accessKey,
  ago,
  failedAccount,
  iamUser,
  inventoryOf,
  rootUser,
  scannedAccount,
} from './factories.ts';

const DAY = 86_400_000;
const POLICY = { alertSeverity: 'high', windowMs: DAY } as const;

const reportWith = (...users: Parameters<typeof iamUser>[]) =>
  evaluate(inventoryOf(scannedAccount(users.map((u) => iamUser(...u)))), {
    asOf: AS_OF,
    policy: DEFAULT_POLICY,
  });

const only = (findings: readonly Finding[], rule: string): Finding => {
  const found = findings.filter((f) => f.rule === rule);
  if (found.length !== 1) throw new Error(`expected one ${rule}, got ${found.length}`);
  return found[0] as Finding;
};

describe('alertReason', () => {
  it.each([
    ['became too old 23 h ago', ago(90, 23), 'new'],
    ['became too old exactly 24 h ago', ago(91), null],
    ['became too old 3 days ago', ago(93), null],
  ] as const)('returns %s -> %s for key-too-old', (_label, createdAt, expected) => {
    const report = reportWith(['alice', [accessKey({ createdAt })]]);
    expect(alertReason(only(report.findings, 'key-too-old'), AS_OF, POLICY)).toBe(expected);
  });

  it('alerts a critical finding on every run however old it is', () => {
    const report = reportWith(['alice', [accessKey({ createdAt: ago(400) })]]);
    expect(alertReason(only(report.findings, 'key-too-old'), AS_OF, POLICY)).toBe('critical');
  });

  it('alerts an unreachable account on every run', () => {
    const report = evaluate(inventoryOf(failedAccount()), { asOf: AS_OF, policy: DEFAULT_POLICY });
    expect(alertReason(only(report.findings, 'account-unreachable'), AS_OF, POLICY)).toBe('unreachable');
  });

  it('alerts two active keys on the day the rotation grace ends, not every day after', () => {
    const keys = (newKeyDays: number, newKeyHours: number) => [
      accessKey({ accessKeyId: 'AKIAOLD0000000000001', createdAt: ago(60) }),
      accessKey({ accessKeyId: 'AKIANEW0000000000002', createdAt: ago(newKeyDays, newKeyHours) }),
    ];
    const justEscalated = reportWith(['alice', keys(7, 5)]);
    const longAgo = reportWith(['alice', keys(30, 0)]);
    expect(alertReason(only(justEscalated.findings, 'two-active-keys'), AS_OF, POLICY)).toBe('new');
    expect(alertReason(only(longAgo.findings, 'two-active-keys'), AS_OF, POLICY)).toBeNull();
  });

  it('never alerts a finding below the alert severity even when it is new', () => {
    const report = reportWith(['alice', [accessKey({ createdAt: ago(76, 12) })]]);
    const dueSoon = only(report.findings, 'key-due-soon');
    expect(dueSoon.since?.getTime()).toBeGreaterThan(AS_OF.getTime() - DAY);
    expect(alertReason(dueSoon, AS_OF, POLICY)).toBeNull();
    expect(alertReason(dueSoon, AS_OF, { ...POLICY, alertSeverity: 'low' })).toBe('new');
  });

  it('never alerts an exempt finding, even a critical one', () => {
    const tags = { 'key-audit:exempt-until': '2026-08-31', 'key-audit:exempt-reason': 'CHG-1 vendor key' };
    const report = reportWith(['alice', [accessKey({ createdAt: ago(400) })], tags]);
    const finding = only(report.findings, 'key-too-old');
    expect(finding.exempt).toBe(true);
    expect(alertReason(finding, AS_OF, POLICY)).toBeNull();
  });
});

describe('selectAlerts', () => {
  it('keeps only alerted findings and leaves nothing when nothing is new or critical', () => {
    const stale = reportWith(['bob', [accessKey({ createdAt: ago(120) })]]);
    expect(stale.findings.length).toBeGreaterThan(0);
    expect(selectAlerts(stale, POLICY).findings).toEqual([]);

    const withRoot = evaluate(inventoryOf(scannedAccount([], { root: rootUser([], true) })), {
      asOf: AS_OF,
      policy: DEFAULT_POLICY,
    });
    expect(selectAlerts(withRoot, POLICY).findings.map((f) => f.rule)).toEqual(['root-access-key']);
    expect(selectAlerts(withRoot, POLICY).summary).toEqual(withRoot.summary);
  });
});
