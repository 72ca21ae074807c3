/**
 * One scheduled run of the scanner Lambda: scan with the CLI's engine (`runLiveAudit`) inside the time the
 * invocation has left (scan-window.ts), log and count what happened (job-log.ts, job-metrics.ts), then
 * publish the weekly report or the on-call alerts (job-publish.ts). A report cut short by the deadline is
 * marked incomplete and lists the accounts not scanned.
 */
import type { AwsClients } from '../aws/client-factory.ts';
import type { SnsClientFactory } from '../aws/sns-publisher.ts';
import type { HandlerConfig } from '../config/handler-config.ts';
import type { HistoryStore } from '../domain/history-store.ts';
import type { ScanOptions } from '../scan/scan-accounts.ts';
import { checkEnforcementHistory, enforceWithHistory } from './enforce-job.ts';
import type { Job } from './job-event.ts';
import { type JobLogger, logScan } from './job-log.ts';
import { addScanMetrics, type JobMetrics } from './job-metrics.ts';
import { publishAlertsJob, publishReportJob } from './job-publish.ts';
import { type LiveAudit, runLiveAudit } from './run-audit.ts';
import { scanWindow, withAbortAfter } from './scan-window.ts';

export { JOBS, type Job, parseJobEvent } from './job-event.ts';
export type { JobLogger, LogFields } from './job-log.ts';
export { type JobMetrics, METRIC } from './job-metrics.ts';

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
  /** Where runs are remembered: enforcement in `apply` mode needs it. */
  readonly history?: HistoryStore;
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
  /** Present when the alerts job enforced: true when an action or notice failed (logged at error). */
  readonly enforcementFailed?: boolean;
}

/** Scans the configured targets as of `startedAt`, within the `remainingMs` the invocation has left. */
const scan = (
  config: HandlerConfig,
  deps: JobDeps,
  startedAt: number,
  remainingMs: number,
): Promise<LiveAudit> => {
  const window = scanWindow(remainingMs);
  return withAbortAfter(window.abortMs, (signal) =>
    runLiveAudit(config.targets, {
      asOf: new Date(startedAt),
      policy: config.policy,
      source: config.source,
      clients: deps.clients,
      roleName: config.roleName,
      ...(config.externalId === undefined ? {} : { externalId: config.externalId }),
      concurrency: config.concurrency,
      deadline: new Date(startedAt + window.deadlineMs),
      signal,
      now: deps.now,
      ...(deps.reportPolling === undefined ? {} : { reportPolling: deps.reportPolling }),
    }),
  );
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
  if (job === 'alerts') checkEnforcementHistory(config, deps.history);
  const audit = await scan(config, deps, startedAt, remainingMs);
  logScan(deps.logger, job, audit, deps.now() - startedAt);
  addScanMetrics(deps.metrics, audit);
  const notScanned = audit.scan.accountsNotScanned.length;
  // Enforcement runs daily with the alerts; its notices go to the alert topic.
  const enforced = job === 'alerts' ? await enforceWithHistory(audit, config, deps) : null;
  const report = enforced?.report ?? audit.report;
  const summary = {
    job,
    asOf: new Date(startedAt).toISOString(),
    accounts: report.accounts.length + notScanned,
    failed: report.summary.failedAccounts,
    notScanned,
    violations: report.summary.violations,
    incomplete: report.incomplete !== undefined,
    ...(enforced === null ? {} : { enforcementFailed: enforced.failed }),
  };
  try {
    if (job === 'report') {
      const publication = await publishReportJob(report, config, deps);
      return { ...summary, messageIds: [publication.messageId] };
    }
    const publication = await publishAlertsJob(report, config, deps);
    return { ...summary, alerts: publication.alerted, messageIds: publication.messageIds };
  } finally {
    deps.metrics.publishStoredMetrics();
  }
};
