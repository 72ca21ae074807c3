/**
 * Which findings an alerts run with a history sends: none lost to a failed run or an unreachable account,
 * none repeated once delivered. Without a history, `selectAlerts` (alerts.ts) and its window apply.
 */
import type { AlertPolicy, AlertReason } from './alerts.ts';
import type { Finding } from './finding.ts';
import type { Memory } from './memory.ts';
import type { Report } from './report.ts';
import { isAtLeast, severityRank } from './severity.ts';

/**
 * Why a finding is sent with a history: `new` (it became true since its account's last successful scan,
 * or the account was never scanned before), `undelivered` (it qualified earlier but no run delivered it:
 * a failed publish, an exemption that ended, a lower alertSeverity), or, as without a history, `critical`
 * and `unreachable`, which repeat every run.
 */
export type MemoryAlertReason = AlertReason | 'undelivered';

/** A finding to publish and why. */
export interface AlertToSend {
  readonly finding: Finding;
  readonly reason: MemoryAlertReason;
}

/** Why `finding` is sent, or null when it is not (exempt, below alertSeverity, or delivered already). */
const reasonWithMemory = (
  finding: Finding,
  memory: Memory,
  policy: Pick<AlertPolicy, 'alertSeverity'>,
): MemoryAlertReason | null => {
  if (finding.exempt) return null;
  if (finding.rule === 'account-unreachable') return 'unreachable';
  if (finding.severity === 'critical') return 'critical';
  if (!isAtLeast(finding.severity, policy.alertSeverity)) return null;
  const delivered = memory.delivered[finding.id];
  // Delivered at this severity or above: sent once. An escalation (medium -> high) is a new alert.
  if (delivered !== undefined && severityRank(delivered.severity) >= severityRank(finding.severity))
    return null;
  const becameTrue = finding.severitySince ?? finding.since;
  const lastScanned = memory.lastScanned[finding.accountId];
  const seenBefore =
    becameTrue !== null && lastScanned !== undefined && becameTrue.getTime() <= lastScanned.getTime();
  return seenBefore ? 'undelivered' : 'new';
};

/**
 * The findings of `report` an alerts run with a history sends, in report order: every qualifying finding
 * (non-exempt, at or above alertSeverity) not delivered at its current severity yet, and every critical
 * and unreachable one. Empty means: send nothing.
 */
export const alertsToSend = (
  report: Report,
  memory: Memory,
  policy: Pick<AlertPolicy, 'alertSeverity'>,
): AlertToSend[] =>
  report.findings.flatMap((finding) => {
    const reason = reasonWithMemory(finding, memory, policy);
    return reason === null ? [] : [{ finding, reason }];
  });
