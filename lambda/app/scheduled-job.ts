/**
 * One scheduled run of the scanner Lambda: scan with the CLI's engine (`runLiveAudit`), then publish the
 * weekly report or the on-call alerts, log what happened as structured lines and count it in metrics.
 *
 * Time: a run stops starting accounts `DEADLINE_MARGIN_MS` before the Lambda timeout and aborts accounts
 * still running `ABORT_MARGIN_MS` before it, so that there is always time to evaluate and publish what was
 * scanned. Such a report is marked incomplete and lists the accounts not scanned. 90 seconds covers
 * evaluating (well under a second for thousands of keys), rendering and fitting the message (seconds for
 * 5,000 findings) and a publish that the SDK retries with back-off; 30 seconds before the end, running
 * accounts are abandoned for the same reason.
 *
 * Failure: if publishing fails after the SDK's retries, the report (or the alerts) is logged as JSON at
 * error level first and the invocation then fails, so that the Errors alarm fires and nothing is lost.
 */

import type { AwsClients } from '../aws/client-factory.ts';
import { type SnsClientFactory, SnsPublishError } from '../aws/sns-publisher.ts';
import type { HandlerConfig } from '../config/handler-config.ts';
import { selectAlerts } from '../domain/alerts.ts';
import { InputError } from '../domain/errors.ts';
import type { Report } from '../domain/report.ts';
import { type JsonReport, toJsonReport } from '../present/render/index.ts';
import type { ScanOptions } from '../scan/scan-accounts.ts';
import { type AlertPublication, publishAlerts, publishReport, type ReportPublication } from './publish.ts';
import { type LiveAudit, runLiveAudit } from './run-audit.ts';

/** The jobs a schedule can name in its event, `{"job": "report"}` or `{"job": "alerts"}`. */
export const JOBS = ['report', 'alerts'] as const;

/** A job the handler runs. */
export type Job = (typeof JOBS)[number];

/**
 * The job an invocation event names.
 * @throws InputError naming the `job` field of the event and what it should be.
 */
export const parseJobEvent = (event: unknown): Job => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InputError(
      `event: expected {"job": "report"} or {"job": "alerts"}, got ${JSON.stringify(event) ?? String(event)}`,
    );
  }
  const job = (event as { job?: unknown }).job;
  if (typeof job === 'string' && (JOBS as readonly string[]).includes(job)) return job as Job;
  throw new InputError(
    `event.job: ${job === undefined ? 'missing' : `${JSON.stringify(job)} is not a job`}: expected "report" or "alerts"`,
  );
};

/** Structured fields of a log line. */
export type LogFields = Record<string, unknown>;

/** The logging the job needs (Powertools Logger has this shape). */
export interface JobLogger {
  info(message: string, fields: LogFields): void;
  warn(message: string, fields: LogFields): void;
  error(message: string, fields: LogFields): void;
}

/** The metrics the job needs (Powertools Metrics has this shape). */
export interface JobMetrics {
  addMetric(name: string, unit: 'Count', value: number): unknown;
  publishStoredMetrics(): unknown;
}

/** Metric names (namespace `KeyAudit`, dimension `service` = `key-audit`; the stack alarms on AccountsFailed). */
export const METRIC = {
  /** Accounts read successfully. */
  accountsScanned: 'AccountsScanned',
  /** Accounts whose keys are unknown this run: failed to scan, or not reached before the deadline. */
  accountsFailed: 'AccountsFailed',
  /** Non-exempt findings of medium severity or above. */
  violations: 'Violations',
  /** Alert messages published (alerts job only). */
  alertsPublished: 'AlertsPublished',
} as const;

/** Stop starting accounts this long before the Lambda timeout (or at half the time left, if less). */
export const DEADLINE_MARGIN_MS = 90_000;
/** Abort accounts still running this long before the timeout (or at a quarter of the time left, if less). */
export const ABORT_MARGIN_MS = 30_000;
/**
 * Added to the alert window: schedules keep local time, so across a daylight-saving change one gap between
 * runs is an hour longer than the stack's `KEY_AUDIT_ALERT_WINDOW_HOURS`. A finding that becomes true in
 * that hour may be alerted twice; without it, it would never be.
 */
export const DST_ALLOWANCE_MS = 3_600_000;
/** Failed accounts listed in the scan log line; the count is always complete. */
export const MAX_FAILED_LOGGED = 100;
/** Findings per log line when a report is logged because it could not be published. */
export const FINDINGS_PER_LOG_LINE = 100;

/** What the job needs besides its configuration; tests inject fakes. */
export interface JobDeps {
  readonly clients: AwsClients;
  readonly sns: SnsClientFactory;
  /** Milliseconds clock. */
  readonly now: () => number;
  readonly logger: JobLogger;
  readonly metrics: JobMetrics;
  /** Credential report polling (tests shorten the delays). */
  readonly reportPolling?: ScanOptions['reportPolling'];
}

/** What the handler returns: a small summary (the logs and messages have the details). */
export interface JobSummary {
  readonly job: Job;
  readonly asOf: string;
  /** Accounts in the run: scanned, failed and not scanned. */
  readonly accounts: number;
  readonly failed: number;
  readonly notScanned: number;
  readonly violations: number;
  readonly incomplete: boolean;
  /** Alerted findings (alerts job only). */
  readonly alerts?: number;
  /** Ids of the SNS messages published. */
  readonly messageIds: readonly string[];
}

/** The soft deadline and hard stop of a run with `remainingMs` left, in ms from now. */
export const scanWindow = (
  remainingMs: number,
): { readonly deadlineMs: number; readonly abortMs: number } => {
  const left = Math.max(0, remainingMs);
  return {
    deadlineMs: left - Math.min(DEADLINE_MARGIN_MS, left / 2),
    abortMs: left - Math.min(ABORT_MARGIN_MS, left / 4),
  };
};

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

const scanFields = (job: Job, audit: LiveAudit, elapsedMs: number): LogFields => {
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

const publishTheReport = async (
  report: Report,
  config: HandlerConfig,
  deps: JobDeps,
): Promise<ReportPublication> => {
  try {
    const publication = await publishReport(report, { topicArn: config.reportTopicArn, sns: deps.sns });
    deps.logger.info('report published', {
      job: 'report',
      topicArn: publication.topicArn,
      messageIds: [publication.messageId],
      subject: publication.subject,
      bytes: publication.bytes,
      stage: publication.stage,
      findingsOmitted: publication.findingsOmitted,
    });
    return publication;
  } catch (error) {
    logReportAtError(deps.logger, 'report could not be published', toJsonReport(report), {
      job: 'report',
      topicArn: config.reportTopicArn,
      error,
    });
    throw error;
  }
};

const publishTheAlerts = async (
  report: Report,
  config: HandlerConfig,
  deps: JobDeps,
): Promise<AlertPublication> => {
  const alertPolicy = {
    alertSeverity: config.alertSeverity,
    windowMs: config.alertWindowHours * 3_600_000 + DST_ALLOWANCE_MS,
  };
  try {
    const publication = await publishAlerts(report, {
      topicArn: config.alertTopicArn,
      sns: deps.sns,
      alertPolicy,
    });
    deps.metrics.addMetric(METRIC.alertsPublished, 'Count', publication.messageIds.length);
    if (publication.alerted === 0) {
      deps.logger.info('no alerts: nothing new or critical', {
        job: 'alerts',
        newSince: publication.newSince.toISOString(),
        alertSeverity: config.alertSeverity,
      });
    } else {
      deps.logger.info('alerts published', {
        job: 'alerts',
        topicArn: publication.topicArn,
        alerted: publication.alerted,
        individual: publication.individual,
        digests: publication.digests,
        newSince: publication.newSince.toISOString(),
        messageIds: publication.messageIds,
      });
    }
    return publication;
  } catch (error) {
    const published = error instanceof SnsPublishError ? error.messageIds : [];
    deps.metrics.addMetric(METRIC.alertsPublished, 'Count', published.length);
    const asOf = report.asOf.getTime();
    const newSince = new Date(asOf - alertPolicy.windowMs);
    // The alerted findings are what on-call missed: they are what the log must keep.
    logReportAtError(
      deps.logger,
      'alerts could not be published',
      toJsonReport(selectAlerts(report, alertPolicy), { kind: 'alert', newSince }),
      { job: 'alerts', topicArn: config.alertTopicArn, messageIds: published, error },
    );
    throw error;
  }
};

/**
 * Runs `job`: scans, publishes, logs and records metrics; returns the summary. `remainingMs` is the time
 * left before the Lambda timeout (`context.getRemainingTimeInMillis()`).
 * @throws whatever stopped the scan before any account was read (no credentials, Organizations denied),
 *   or the publishing error after logging the report.
 */
export const runScheduledJob = async (
  job: Job,
  config: HandlerConfig,
  deps: JobDeps,
  remainingMs: number,
): Promise<JobSummary> => {
  const startedAt = deps.now();
  const asOf = new Date(startedAt);
  const window = scanWindow(remainingMs);
  const controller = new AbortController();
  const abortTimer = setTimeout(() => controller.abort(), window.abortMs);
  let audit: LiveAudit;
  try {
    audit = await runLiveAudit(config.targets, {
      asOf,
      policy: config.policy,
      source: config.source,
      clients: deps.clients,
      roleName: config.roleName,
      ...(config.externalId === undefined ? {} : { externalId: config.externalId }),
      concurrency: config.concurrency,
      deadline: new Date(startedAt + window.deadlineMs),
      signal: controller.signal,
      now: deps.now,
      ...(deps.reportPolling === undefined ? {} : { reportPolling: deps.reportPolling }),
    });
  } finally {
    clearTimeout(abortTimer);
  }
  const { report, scan } = audit;
  const failed = report.summary.failedAccounts;
  const notScanned = scan.accountsNotScanned.length;
  const fields = scanFields(job, audit, deps.now() - startedAt);
  if (report.incomplete !== undefined) {
    deps.logger.warn('scan incomplete: publishing what was scanned', {
      ...fields,
      reason: report.incomplete.reason,
    });
  } else deps.logger.info('scan finished', fields);

  deps.metrics.addMetric(METRIC.accountsScanned, 'Count', report.accounts.length - failed);
  deps.metrics.addMetric(METRIC.accountsFailed, 'Count', failed + notScanned);
  deps.metrics.addMetric(METRIC.violations, 'Count', report.summary.violations);
  const summary = {
    job,
    asOf: asOf.toISOString(),
    accounts: report.accounts.length + notScanned,
    failed,
    notScanned,
    violations: report.summary.violations,
    incomplete: report.incomplete !== undefined,
  };
  try {
    if (job === 'report') {
      const publication = await publishTheReport(report, config, deps);
      return { ...summary, messageIds: [publication.messageId] };
    }
    const publication = await publishTheAlerts(report, config, deps);
    return { ...summary, alerts: publication.alerted, messageIds: publication.messageIds };
  } finally {
    deps.metrics.publishStoredMetrics();
  }
};
