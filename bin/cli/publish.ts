/**
 * `--publish-report TOPIC_ARN` and `--publish-alerts TOPIC_ARN`: the Lambda's publishing, from a terminal.
 * What was published (message ids), or that nothing was, goes to stderr so stdout keeps the report.
 * The SNS SDK is loaded only when a publish flag is given, so other runs start without it.
 */
import { alertChoices } from '../../lambda/app/deliver-and-remember.ts';
import type { HistoryRun } from '../../lambda/app/history-run.ts';
import type { AlertPublication } from '../../lambda/app/publish.ts';
import type { SnsClientFactory } from '../../lambda/aws/sns-publisher.ts';
import type { PublishedAlert } from '../../lambda/domain/remember-run.ts';
import type { Report } from '../../lambda/domain/report.ts';
import type { ScanCommand } from './parse-args.ts';
import type { ProgressStream } from './progress.ts';

/** The publish flags of a scan command. */
export type PublishFlags = Pick<
  ScanCommand,
  'publishReport' | 'publishAlerts' | 'alertSinceMs' | 'alertSeverity' | 'profile'
>;

/** What publishing from the CLI uses; tests inject SNS clients. */
export interface CliPublishDeps {
  /** @default real SNS clients (region from the topic ARN, endpoint and credentials from the environment) */
  readonly sns?: SnsClientFactory;
  /** The run's history (`--history`): alerts are then what it never delivered. */
  readonly history?: HistoryRun | null;
}

/** The stderr line(s) for published alerts. */
export const describeAlertPublication = (publication: AlertPublication): string => {
  if (publication.alerted === 0) return 'key-audit: no alerts: nothing new or critical\n';
  const digests =
    publication.digests === 0
      ? ''
      : ` (${publication.individual} one by one, the rest in ${publication.digests} digest${publication.digests === 1 ? '' : 's'})`;
  return (
    `key-audit: ${publication.alerted} alert${publication.alerted === 1 ? '' : 's'} published to ` +
    `${publication.topicArn}${digests}: ${publication.messageIds.join(', ')}\n`
  );
};

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
    const omitted =
      published.findingsOmitted > 0
        ? ` (${published.findingsOmitted} findings counted, not listed, to fit SNS's size limit)`
        : '';
    stderr.write(`key-audit: report published to ${published.topicArn}${omitted}: ${published.messageId}\n`);
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
  return published.delivered;
};
