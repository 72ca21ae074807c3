/**
 * `--publish-report TOPIC_ARN` and `--publish-alerts TOPIC_ARN`: the Lambda's publishing, from a terminal.
 * What was published, or that nothing was, goes to stderr in one line per topic, so stdout keeps the
 * report; the message ids (one per alert, possibly hundreds) only with `--stats`, one per line.
 * The SNS SDK is loaded only when a publish flag is given, so other runs start without it.
 */
import { alertChoices } from '../../lambda/app/deliver-and-remember.ts';
import type { HistoryRun } from '../../lambda/app/history-run.ts';
import type { AlertPublication, ReportPublication } from '../../lambda/app/publish.ts';
import type { SnsClientFactory } from '../../lambda/aws/sns-publisher.ts';
import type { PublishedAlert } from '../../lambda/domain/remember-run.ts';
import type { Report } from '../../lambda/domain/report.ts';
import type { ScanCommand } from './parse-args.ts';
import type { ProgressStream } from './progress.ts';

/** The publish flags of a scan command. */
export type PublishFlags = Pick<
  ScanCommand,
  'publishReport' | 'publishAlerts' | 'alertSinceMs' | 'alertSeverity' | 'profile' | 'stats'
>;

/** What publishing from the CLI uses; tests inject SNS clients. */
export interface CliPublishDeps {
  /** @default real SNS clients (region from the topic ARN, endpoint and credentials from the environment) */
  readonly sns?: SnsClientFactory;
  /** The run's history (`--history`): alerts are then what it never delivered. */
  readonly history?: HistoryRun | null;
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The stderr line for a published report. */
export const describeReportPublication = (publication: ReportPublication): string => {
  const omitted =
    publication.findingsOmitted > 0
      ? ` (${publication.findingsOmitted} findings counted, not listed, to fit SNS's size limit)`
      : '';
  return `key-audit: published the report to ${publication.topicArn}${omitted}\n`;
};

/** The stderr line for published alerts. */
export const describeAlertPublication = (publication: AlertPublication): string => {
  if (publication.alerted === 0) return 'key-audit: no alerts: nothing new or critical\n';
  const digests =
    publication.digests === 0
      ? ''
      : ` (${publication.individual} one by one, the rest in ${plural(publication.digests, 'digest')})`;
  return `key-audit: published ${plural(publication.alerted, 'alert')} to ${publication.topicArn}${digests}\n`;
};

/** `--stats`: the SNS message ids of one topic, one per line, for finding the messages in logs or queues. */
export const formatMessageIds = (topicArn: string, messageIds: readonly string[]): string =>
  messageIds.length === 0
    ? ''
    : `SNS messages published to ${topicArn}: ${messageIds.length}\n${messageIds.map((id) => `  ${id}\n`).join('')}`;

/**
 * Publishes `report` as the flags ask: the whole report to `--publish-report`, the alerts (new within
 * `--alert-since`, at or above `--alert-severity`, plus critical and unreachable; with `--history`, every
 * one not delivered yet) to `--publish-alerts`. Returns the alerts delivered.
 * @throws SnsPublishError when SNS does not accept a message after retries (the CLI then exits 1); for
 *   alerts an AlertPublishError, which says which alerts were delivered before the failure.
 */
export const publishFromCli = async (
  command: PublishFlags,
  report: Report,
  stderr: ProgressStream,
  deps: CliPublishDeps = {},
): Promise<readonly PublishedAlert[]> => {
  if (command.publishReport === undefined && command.publishAlerts === undefined) return [];
  const [{ publishAlerts, publishReport }, { createSnsClientFactory }] = await Promise.all([
    import('../../lambda/app/publish.ts'),
    import('../../lambda/aws/sns-publisher.ts'),
  ]);
  const sns =
    deps.sns ?? createSnsClientFactory(command.profile === undefined ? {} : { profile: command.profile });
  if (command.publishReport !== undefined) {
    const published = await publishReport(report, { topicArn: command.publishReport, sns });
    stderr.write(describeReportPublication(published));
    if (command.stats) stderr.write(formatMessageIds(published.topicArn, [published.messageId]));
  }
  if (command.publishAlerts === undefined) return [];
  const { history } = deps;
  const published = await publishAlerts(report, {
    topicArn: command.publishAlerts,
    sns,
    alertPolicy: { alertSeverity: command.alertSeverity, windowMs: command.alertSinceMs },
    ...(history === undefined || history === null
      ? {}
      : { selected: alertChoices(history.alerts(report, { alertSeverity: command.alertSeverity })) }),
  });
  stderr.write(describeAlertPublication(published));
  if (command.stats) stderr.write(formatMessageIds(published.topicArn, published.messageIds));
  return published.delivered;
};
