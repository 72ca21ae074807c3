/**
 * What a scheduled run logs: the logger it needs, the scan as one structured line, and a report logged at
 * error level in lines of bounded size when it could not be published (so that nothing is lost).
 */
import type { JsonReport } from '../present/render/index.ts';
import type { Job } from './job-event.ts';
import type { LiveAudit } from './run-audit.ts';

/** Structured fields of a log line. */
export type LogFields = Record<string, unknown>;

/** The logging the job needs (Powertools Logger has this shape). */
export interface JobLogger {
  info(message: string, fields: LogFields): void;
  warn(message: string, fields: LogFields): void;
  error(message: string, fields: LogFields): void;
}

/** Failed accounts listed in the scan log line; the count is always complete. */
export const MAX_FAILED_LOGGED = 100;
/** Findings per log line when a report is logged because it could not be published. */
export const FINDINGS_PER_LOG_LINE = 100;

/** Logs `json` at error level in lines of bounded size: the report first, its findings in parts. */
export const logReportAtError = (
  logger: JobLogger,
  message: string,
  json: JsonReport,
  fields: LogFields,
): void => {
  const parts = Math.ceil(json.findings.length / FINDINGS_PER_LOG_LINE);
  logger.error(message, { ...fields, report: { ...json, findings: [] }, findingParts: parts });
  for (let part = 0; part < parts; part += 1) {
    logger.error(`${message} (findings, part ${part + 1} of ${parts})`, {
      ...fields,
      part: part + 1,
      parts,
      findings: json.findings.slice(part * FINDINGS_PER_LOG_LINE, (part + 1) * FINDINGS_PER_LOG_LINE),
    });
  }
};

/** The fields of the line that says how the scan went. */
export const scanLogFields = (job: Job, audit: LiveAudit, elapsedMs: number): LogFields => {
  const { report, scan } = audit;
  const failed = report.accounts.filter((a) => a.status === 'failed');
  return {
    job,
    asOf: report.asOf.toISOString(),
    accountsScanned: report.accounts.length - failed.length,
    accountsFailed: failed.length,
    accountsNotScanned: scan.accountsNotScanned.length,
    failedAccounts: failed
      .slice(0, MAX_FAILED_LOGGED)
      .map((a) => ({ accountId: a.accountId, error: a.error })),
    notScannedAccounts: scan.accountsNotScanned.slice(0, MAX_FAILED_LOGGED),
    stopReason: scan.stopReason,
    ownCredentialAccounts: scan.ownCredentialAccounts,
    users: report.summary.users,
    activeKeys: report.summary.activeKeys,
    findings: report.findings.length,
    violations: report.summary.violations,
    warnings: report.summary.warnings,
    exempt: report.summary.exempt,
    bySeverity: report.summary.bySeverity,
    elapsedMs,
  };
};

/**
 * Logs how the scan went: a warning when the report is incomplete, else an info line; then each of the
 * audit's warnings (settings that did nothing, production left unknown) as a warning line of its own.
 */
export const logScan = (logger: JobLogger, job: Job, audit: LiveAudit, elapsedMs: number): void => {
  for (const warning of audit.warnings) logger.warn(warning, { job });
  const fields = scanLogFields(job, audit, elapsedMs);
  const { incomplete } = audit.report;
  if (incomplete !== undefined) {
    logger.warn('scan incomplete: publishing what was scanned', { ...fields, reason: incomplete.reason });
  } else logger.info('scan finished', fields);
};
