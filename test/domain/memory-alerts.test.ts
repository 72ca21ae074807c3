import { describe, expect, it } from 'vitest';
import type { Finding } from '../../lambda/domain/finding.ts';
import type { Memory } from '../../lambda/domain/memory.ts';
import { alertsToSend } from '../../lambda/domain/memory-alerts.ts';
import type { Severity } from '../../lambda/domain/severity.ts';
import {
  AS_OF,
  DEV,
  daysBefore,
  exemptFinding,
  finding,
  memoryWith,
  PROD,
  reportOf,
  unreachable,
} from './history-factories.ts';

const POLICY: { readonly alertSeverity: Severity } = { alertSeverity: 'high' };
const LAST_SCAN = daysBefore(1);

const scannedYesterday = (extra: Partial<Memory> = {}): Memory =>
  memoryWith({ lastScanned: { [PROD]: LAST_SCAN, [DEV]: LAST_SCAN }, ...extra });

const deliveredAt = (f: Finding, severity: Severity): Memory['delivered'] => ({
  [f.id]: { findingId: f.id, severity, deliveredAt: LAST_SCAN },
});

const reasons = (findings: readonly Finding[], memory: Memory, policy = POLICY) =>
  alertsToSend(reportOf(findings), memory, policy).map(({ finding: f, reason }) => [f.id, reason]);

describe('alertsToSend', () => {
  it.each([
    ['1 ms after the last scan', new Date(LAST_SCAN.getTime() + 1), 'new'],
    ['at the instant of the last scan (that run saw it)', LAST_SCAN, 'undelivered'],
    ['three days before the last scan', daysBefore(3, LAST_SCAN), 'undelivered'],
  ] as const)('does send a finding that became true %s as %s when not delivered', (_label, since, reason) => {
    const f = finding({ since });
    expect(reasons([f], scannedYesterday())).toEqual([[f.id, reason]]);
  });

  it('does send every qualifying finding as new in an account never scanned before', () => {
    const old = finding({ since: daysBefore(300) });
    const unknown = finding({ accessKeyId: 'AKIAEXAMPLE000000002', since: null });
    expect(reasons([old, unknown], memoryWith({ lastScanned: { [DEV]: LAST_SCAN } }))).toEqual([
      [old.id, 'new'],
      [unknown.id, 'new'],
    ]);
  });

  it('does send the keys of an account that was unreachable on the day they crossed the limit', () => {
    // The case: PROD failed yesterday, so its last successful scan is two days old.
    const crossedYesterday = finding({ since: daysBefore(1, AS_OF) });
    const memory = memoryWith({ lastScanned: { [PROD]: daysBefore(2) } });
    expect(reasons([crossedYesterday], memory)).toEqual([[crossedYesterday.id, 'new']]);
  });

  it('does send a finding of unknown start as new when its account was scanned before', () => {
    const f = finding({ since: null });
    expect(reasons([f], scannedYesterday())).toEqual([[f.id, 'new']]);
  });

  it.each([
    ['the same severity', 'high'],
    ['a higher severity', 'critical'],
  ] as const)('does not send again a finding delivered at %s', (_label, severity) => {
    const f = finding({ since: daysBefore(3) });
    expect(reasons([f], scannedYesterday({ delivered: deliveredAt(f, severity) }))).toEqual([]);
  });

  it('does send an escalation delivered before at a lower severity, as new since it escalated', () => {
    const f = finding({ rule: 'two-active-keys', since: daysBefore(10), severitySince: daysBefore(0.5) });
    expect(reasons([f], scannedYesterday({ delivered: deliveredAt(f, 'medium') }))).toEqual([[f.id, 'new']]);
  });

  it('does use the escalation instant over since to tell new from undelivered', () => {
    const f = finding({ since: daysBefore(0.5), severitySince: daysBefore(2) });
    expect(reasons([f], scannedYesterday())).toEqual([[f.id, 'undelivered']]);
  });

  it.each([
    ['critical', finding({ severity: 'critical', since: daysBefore(200) }), 'critical'],
    ['unreachable', unreachable(DEV), 'unreachable'],
  ] as const)('does repeat a delivered %s finding every run', (_label, f, reason) => {
    expect(reasons([f], scannedYesterday({ delivered: deliveredAt(f, f.severity) }))).toEqual([
      [f.id, reason],
    ]);
  });

  it('does never send an exempt finding, even a critical one never delivered', () => {
    const f = exemptFinding('vendor', '2026-07-01', 'CHG-1', { severity: 'critical' });
    expect(reasons([f], memoryWith())).toEqual([]);
  });

  it.each([
    ['high', 'medium', []],
    ['medium', 'medium', ['new']],
    ['low', 'medium', ['new']],
  ] as const)('does apply alertSeverity %s to a %s finding', (alertSeverity, severity, expected) => {
    const f = finding({ severity, since: daysBefore(0.5) });
    expect(reasons([f], scannedYesterday(), { alertSeverity }).map(([, reason]) => reason)).toEqual(expected);
  });

  it('does keep the report order', () => {
    const findings = [
      finding({ severity: 'critical', accessKeyId: 'AKIAEXAMPLE000000003' }),
      unreachable(DEV),
      finding({ accessKeyId: 'AKIAEXAMPLE000000004', since: daysBefore(0.5) }),
    ];
    expect(reasons(findings, scannedYesterday()).map(([id]) => id)).toEqual(findings.map((f) => f.id));
  });
});
