/**
 * What a scheduled run counts in CloudWatch metrics (namespace `KeyAudit`, dimension `service` =
 * `key-audit`; the stack alarms on AccountsFailed).
 */
import type { LiveAudit } from './run-audit.ts';

/** The metrics the job needs (Powertools Metrics has this shape). */
export interface JobMetrics {
  addMetric(name: string, unit: 'Count', value: number): unknown;
  publishStoredMetrics(): unknown;
}

/** Metric names. */
export const METRIC = {
  /** Accounts read successfully. */
  accountsScanned: 'AccountsScanned',
  /** Accounts whose keys are unknown this run: failed to scan, or not reached before the deadline. */
  accountsFailed: 'AccountsFailed',
  /** Non-exempt findings of medium severity or above. */
  violations: 'Violations',
  /** Alert messages published (alerts job only). */
  alertsPublished: 'AlertsPublished',
  /** Accounts whose findings Security Hub did not all take (report job with `securityHub` only). */
  securityHubAccountsFailed: 'SecurityHubAccountsFailed',
} as const;

/**
 * Adds the scan's metrics: accounts scanned, accounts failed or not scanned (the report holds those as
 * failed accounts already), violations.
 */
export const addScanMetrics = (metrics: JobMetrics, { report }: LiveAudit): void => {
  const failed = report.summary.failedAccounts;
  metrics.addMetric(METRIC.accountsScanned, 'Count', report.accounts.length - failed);
  metrics.addMetric(METRIC.accountsFailed, 'Count', failed);
  metrics.addMetric(METRIC.violations, 'Count', report.summary.violations);
};
