import type { Finding } from './finding.ts';
import type { Report } from './report.ts';
import { isAtLeast, type Severity } from './severity.ts';

/** What on-call is paged for. */
export interface AlertPolicy {
  /** The lowest severity alerted when new. @default 'high' */
  readonly alertSeverity: Severity;
  /** Findings that became true within this window before `asOf` are new (the alerts schedule interval). */
  readonly windowMs: number;
}

/** Why a finding is alerted: on-call sees "new" apart from the standing "critical" and "unreachable". */
export type AlertReason = 'new' | 'critical' | 'unreachable';

/**
 * Why `finding` deserves an alert at `asOf`, or null when it belongs in the weekly report only.
 * Exempt findings are never alerted; critical and unreachable ones are alerted on every run, because
 * each is an emergency (a root key, a blind spot) rather than backlog.
 */
export const alertReason = (finding: Finding, asOf: Date, policy: AlertPolicy): AlertReason | null => {
  if (finding.exempt) return null;
  if (finding.rule === 'account-unreachable') return 'unreachable';
  if (finding.severity === 'critical') return 'critical';
  const becameAlertable = finding.severitySince ?? finding.since;
  if (!isAtLeast(finding.severity, policy.alertSeverity) || becameAlertable === null) return null;
  const since = becameAlertable.getTime();
  return since > asOf.getTime() - policy.windowMs && since <= asOf.getTime() ? 'new' : null;
};

/**
 * The report narrowed to what on-call must see now. Accounts and summary are kept so alert text can give
 * context; the findings are only the alerted ones. Empty findings mean: send nothing.
 */
export const selectAlerts = (report: Report, policy: AlertPolicy): Report => ({
  ...report,
  findings: report.findings.filter((f) => alertReason(f, report.asOf, policy) !== null),
});
