/**
 * One scheduled run of the scanner Lambda: scan with the CLI's engine (`runLiveAudit`) inside the time the
 * invocation has left (scan-window.ts), log and count what happened (job-log.ts, job-metrics.ts), then
 * publish the weekly report or the on-call alerts (job-publish.ts). A report cut short by the deadline is
 * marked incomplete and lists the accounts not scanned.
 *
 * With a history (`KEY_AUDIT_HISTORY`), the run is a history run (history-run.ts, as the CLI's): the memory
 * is loaded before the scan, the complete report stored before publishing, alerts are what was never
 * delivered, and the memory is saved after publishing with what reached the topic. The report job then
 * imports into Security Hub when it is on (job-security-hub.ts). A failure of one step does not skip the
 * next: publishing, saving and importing each happen, then the invocation fails with what went wrong.
 */
import type { AwsClients } from '../aws/client-factory.ts';
import type { SecurityHubClientFactory } from '../aws/security-hub.ts';
import type { SnsClientFactory } from '../aws/sns-publisher.ts';
import type { HandlerConfig } from '../config/handler-config.ts';
import type { HistoryStore } from '../domain/history-store.ts';
import { EMPTY_MEMORY } from '../domain/memory.ts';
import type { PublishedAlert } from '../domain/remember-run.ts';
import type { Report } from '../domain/report.ts';
import type { ScanOptions } from '../scan/scan-accounts.ts';
import { alertChoices, deliverAndRemember } from './deliver-and-remember.ts';
import { checkEnforcementHistory, enforceInJob, rememberEnforcement } from './enforce-job.ts';
import { type HistoryRun, startHistoryRun } from './history-run.ts';
import type { Job } from './job-event.ts';
import { type JobLogger, logScan } from './job-log.ts';
import { addScanMetrics, type JobMetrics } from './job-metrics.ts';
import { publishAlertsJob, publishReportJob } from './job-publish.ts';
import { importReportJob, SECURITY_HUB_JOBS } from './job-security-hub.ts';
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
  /** The history store of a location (`KEY_AUDIT_HISTORY`); called only when the configuration has one. */
  readonly history: (location: string) => HistoryStore;
  /** Security Hub clients per account (used only with `securityHub`). */
  readonly securityHub: SecurityHubClientFactory;
  /** The function's region: Security Hub's, and the S3 console links of stored reports. */
  readonly region: string;
  /** Waits between Security Hub retries (tests pass a fake). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What the handler returns: a small summary (the logs and messages have the details). */
export interface JobSummary {
  readonly job: Job;
  readonly asOf: string;
  /** Accounts in the run: scanned, failed and not scanned (these count as failed too). */
  readonly accounts: number;
  readonly failed: number;
  readonly notScanned: number;
  readonly violations: number;
  readonly incomplete: boolean;
  /** Alerted findings (alerts job only). */
  readonly alerts?: number;
  /** Ids of the SNS messages published. */
  readonly messageIds: readonly string[];
  /** Where the complete report was stored (runs with a history). */
  readonly storedAt?: string;
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
      production: config.production,
      deadline: new Date(startedAt + window.deadlineMs),
      signal,
      now: deps.now,
      ...(deps.reportPolling === undefined ? {} : { reportPolling: deps.reportPolling }),
    }),
  );
};

/** Logs where the report was stored and what changed since the job's previous report. */
const logStored = (logger: JobLogger, job: Job, report: Report): void => {
  logger.info('report stored', {
    job,
    storedAt: report.storedAt?.uri,
    consoleUrl: report.storedAt?.consoleUrl,
    previousAsOf: report.trend?.previousAsOf?.toISOString() ?? null,
    newFindings: report.trend?.new.length ?? 0,
    resolvedFindings: report.trend?.resolved.length ?? 0,
    newExemptions: report.newExemptions?.length ?? 0,
  });
};

/** What a job published. */
interface Published {
  readonly messageIds: readonly string[];
  /** Findings alerted (alerts job only). */
  readonly alerts?: number;
  readonly delivered: readonly PublishedAlert[];
}

/** Publishes the job's messages: the report, or the alerts (with a history, those never delivered). */
const publish = async (
  job: Job,
  report: Report,
  history: HistoryRun | null,
  config: HandlerConfig,
  deps: JobDeps,
): Promise<Published> => {
  if (job === 'report') {
    const publication = await publishReportJob(report, config, deps);
    return { messageIds: [publication.messageId], delivered: [] };
  }
  const selected =
    history === null
      ? undefined
      : alertChoices(history.alerts(report, { alertSeverity: config.alertSeverity }));
  const publication = await publishAlertsJob(report, config, deps, selected);
  return {
    messageIds: publication.messageIds,
    alerts: publication.alerted,
    delivered: publication.delivered,
  };
};

/** One error for several: the first alone, or all of them together. */
const failureOf = (errors: readonly unknown[]): unknown =>
  errors.length === 1
    ? errors[0]
    : new AggregateError(
        errors,
        errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; and '),
      );

/**
 * Runs `job`: scans, publishes, logs and records metrics; returns the summary. `remainingMs` is the time
 * left before the Lambda timeout (`context.getRemainingTimeInMillis()`).
 * @throws a HistoryError when the history cannot be read (before scanning) or the report cannot be stored
 *   (before publishing); whatever stopped the scan before any account was read (no credentials,
 *   Organizations denied); after every other step, the publishing error (logged with the report), a
 *   HistoryError of the save, a SecurityHubImportError of an incomplete import (several: an AggregateError).
 */
export const runScheduledJob = async (
  job: Job,
  config: HandlerConfig,
  deps: JobDeps,
  remainingMs: number,
): Promise<JobSummary> => {
  const startedAt = deps.now();
  try {
    if (job === 'alerts') checkEnforcementHistory(config);
    const history =
      config.history === undefined
        ? null
        : await startHistoryRun(deps.history(config.history), job, { region: deps.region });
    const audit = await scan(config, deps, startedAt, remainingMs);
    logScan(deps.logger, job, audit, deps.now() - startedAt);
    addScanMetrics(deps.metrics, audit);
    // Enforcement runs daily with the alerts, on the memory the run loaded; its notices go to the alert topic.
    const enforced =
      job === 'alerts' && config.enforcement.mode !== 'off'
        ? await enforceInJob(audit, history?.memory ?? EMPTY_MEMORY, config, deps)
        : null;
    const scanned = enforced?.report ?? audit.report;
    const report = history === null ? scanned : await history.complete(scanned);
    if (history !== null) logStored(deps.logger, job, report);

    const failures: unknown[] = [];
    let published: Published = { messageIds: [], delivered: [] };
    try {
      await deliverAndRemember(
        history,
        report,
        async () => {
          published = await publish(job, report, history, config, deps);
          return published.delivered;
        },
        {
          ...(enforced !== null && config.enforcement.mode === 'apply'
            ? { remember: rememberEnforcement(enforced) }
            : {}),
          onSaved: (saved, delivered) =>
            deps.logger.info('history saved', {
              job,
              history: history?.store.location,
              delivered: delivered.length,
              attempts: saved.attempts,
            }),
        },
      );
    } catch (error) {
      failures.push(error);
    }
    if (config.securityHub && SECURITY_HUB_JOBS.includes(job)) {
      const incomplete = await importReportJob(report, audit.scan, config, deps);
      if (incomplete !== null) failures.push(incomplete);
    }
    if (failures.length > 0) throw failureOf(failures);

    const notScanned = audit.scan.accountsNotScanned.length;
    return {
      job,
      asOf: new Date(startedAt).toISOString(),
      // Accounts not reached are in the report as failed (`Deadline`), so this counts every account once.
      accounts: report.accounts.length,
      failed: report.summary.failedAccounts,
      notScanned,
      violations: report.summary.violations,
      incomplete: report.incomplete !== undefined,
      ...(published.alerts === undefined ? {} : { alerts: published.alerts }),
      messageIds: published.messageIds,
      ...(report.storedAt === undefined ? {} : { storedAt: report.storedAt.uri }),
      ...(enforced === null ? {} : { enforcementFailed: enforced.failed }),
    };
  } finally {
    deps.metrics.publishStoredMetrics();
  }
};
