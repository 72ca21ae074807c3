/**
 * The publishing step of a scheduled run: the weekly report or the on-call alerts, logged as structured
 * lines. If publishing fails after the SDK's retries, the report (or the alerts) is logged as JSON at error
 * level first and the error is rethrown, so that the invocation fails, the Errors alarm fires and nothing
 * is lost.
 */
import { type SnsClientFactory, SnsPublishError } from '../aws/sns-publisher.ts';
import type { HandlerConfig } from '../config/handler-config.ts';
import { selectAlerts } from '../domain/alerts.ts';
import type { Report } from '../domain/report.ts';
import { toJsonReport } from '../present/render/index.ts';
import type { AlertChoice } from '../present/sns/index.ts';
import { type JobLogger, logReportAtError } from './job-log.ts';
import { type JobMetrics, METRIC } from './job-metrics.ts';
import { type AlertPublication, publishAlerts, publishReport, type ReportPublication } from './publish.ts';

/**
 * Added to the alert window: schedules keep local time, so across a daylight-saving change one gap between
 * runs is an hour longer than the stack's `KEY_AUDIT_ALERT_WINDOW_HOURS`. A finding that becomes true in
 * that hour may be alerted twice; without it, it would never be.
 */
export const DST_ALLOWANCE_MS = 3_600_000;

/** What publishing needs from the job. */
export interface PublishDeps {
  readonly sns: SnsClientFactory;
  readonly logger: JobLogger;
  readonly metrics: JobMetrics;
}

/** Publishes the weekly report to the report topic and logs it. */
export const publishReportJob = async (
  report: Report,
  config: Pick<HandlerConfig, 'reportTopicArn'>,
  deps: PublishDeps,
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

/**
 * Publishes the alerts of `report` to the alert topic, logs them and counts the messages. Without
 * `selected`, the alerts are what became true within the alert window; with a history, `selected` is what
 * was never delivered (`HistoryRun.alerts`).
 */
export const publishAlertsJob = async (
  report: Report,
  config: Pick<HandlerConfig, 'alertTopicArn' | 'alertSeverity' | 'alertWindowHours'>,
  deps: PublishDeps,
  selected?: readonly AlertChoice[],
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
      ...(selected === undefined ? {} : { selected }),
    });
    deps.metrics.addMetric(METRIC.alertsPublished, 'Count', publication.messageIds.length);
    if (publication.alerted === 0) {
      deps.logger.info('no alerts: nothing new or critical', {
        job: 'alerts',
        newSince: publication.newSince?.toISOString() ?? null,
        alertSeverity: config.alertSeverity,
      });
    } else {
      deps.logger.info('alerts published', {
        job: 'alerts',
        topicArn: publication.topicArn,
        alerted: publication.alerted,
        individual: publication.individual,
        digests: publication.digests,
        newSince: publication.newSince?.toISOString() ?? null,
        messageIds: publication.messageIds,
      });
    }
    return publication;
  } catch (error) {
    const published = error instanceof SnsPublishError ? error.messageIds : [];
    deps.metrics.addMetric(METRIC.alertsPublished, 'Count', published.length);
    // The alerted findings are what on-call missed: they are what the log must keep.
    const missed =
      selected === undefined
        ? toJsonReport(selectAlerts(report, alertPolicy), {
            kind: 'alert',
            newSince: new Date(report.asOf.getTime() - alertPolicy.windowMs),
          })
        : toJsonReport({ ...report, findings: selected.map((choice) => choice.finding) }, { kind: 'alert' });
    logReportAtError(deps.logger, 'alerts could not be published', missed, {
      job: 'alerts',
      topicArn: config.alertTopicArn,
      messageIds: published,
      error,
    });
    throw error;
  }
};
