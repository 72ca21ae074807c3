/**
 * Publishing a report or its alerts to SNS, as the Lambda and the CLI both do it: build the messages
 * (pure, lambda/present/sns/index.ts), then publish them with the SDK's retries. Errors propagate as
 * `SnsPublishError`: the caller decides what failing means (the Lambda invocation fails, the CLI exits 1).
 */
import {
  publishMessage,
  publishMessages,
  type SnsClientFactory,
  SnsPublishError,
  topicRegion,
} from '../aws/sns-publisher.ts';
import type { AlertPolicy } from '../domain/alerts.ts';
import type { Finding } from '../domain/finding.ts';
import type { PublishedAlert } from '../domain/remember-run.ts';
import type { Report } from '../domain/report.ts';
import {
  type AlertChoice,
  buildAlertMessages,
  buildReportMessage,
  DEFAULT_MAX_ALERT_MESSAGES,
  type FitStage,
} from '../present/sns/index.ts';

/** Where to publish. */
export interface PublishTarget {
  readonly topicArn: string;
  /** SNS clients by region; the topic's region (from its ARN) is used. */
  readonly sns: SnsClientFactory;
}

/** What publishing the report did. */
export interface ReportPublication {
  readonly topicArn: string;
  readonly messageId: string;
  readonly subject: string;
  /** Size SNS counted. */
  readonly bytes: number;
  /** How far the message had to be reduced to fit SNS's limit. */
  readonly stage: FitStage;
  /** Findings counted rather than listed to fit. */
  readonly findingsOmitted: number;
}

/** Publishes `report` as one message to `target.topicArn`. */
export const publishReport = async (report: Report, target: PublishTarget): Promise<ReportPublication> => {
  const built = buildReportMessage(report);
  const sns = target.sns(topicRegion(target.topicArn));
  const messageId = await publishMessage(sns, target.topicArn, built.message);
  return {
    topicArn: target.topicArn,
    messageId,
    subject: built.message.subject,
    bytes: built.bytes,
    stage: built.stage,
    findingsOmitted: built.omitted?.total ?? 0,
  };
};

/** How alerts are chosen and capped. */
export interface AlertPublishOptions extends PublishTarget {
  readonly alertPolicy: AlertPolicy;
  /** @default DEFAULT_MAX_ALERT_MESSAGES */
  readonly maxMessages?: number;
  /** With a history: the findings to alert and why (what was not delivered yet), instead of the window's. */
  readonly selected?: readonly AlertChoice[];
}

/** What publishing alerts did. */
export interface AlertPublication {
  readonly topicArn: string;
  /** Findings alerted (with a message of their own or in a digest); 0 means nothing was sent. */
  readonly alerted: number;
  /** Findings with a message of their own. */
  readonly individual: number;
  /** Digest messages. */
  readonly digests: number;
  /** Ids of the messages published, in order. */
  readonly messageIds: readonly string[];
  /** The start of the window findings counted as new in; null for alerts chosen with a history. */
  readonly newSince: Date | null;
  /** The alerted findings that reached the topic (in a message of their own or a digest). */
  readonly delivered: readonly PublishedAlert[];
}

/**
 * Publishing alerts failed part-way (after the SDK's retries): an `SnsPublishError` that also says which
 * findings DID reach the topic, so that a run with a history records exactly those as delivered.
 */
export class AlertPublishError extends SnsPublishError {
  override readonly name = 'AlertPublishError';
  constructor(
    error: SnsPublishError,
    /** The findings whose message was published before the failure. */
    readonly delivered: readonly PublishedAlert[],
  ) {
    super(error.topicArn, error.failures, error.messageIds, {
      cause: error,
      publishedIndexes: error.publishedIndexes,
    });
  }
}

/** The alerts a publish delivered before failing with `error` (none when it is not an AlertPublishError). */
export const deliveredBefore = (error: unknown): readonly PublishedAlert[] =>
  error instanceof AlertPublishError ? error.delivered : [];

const deliveredIn = (findings: readonly (readonly Finding[])[]): PublishedAlert[] =>
  findings.flat().map((finding) => ({ findingId: finding.id, severity: finding.severity }));

/** Publishes the alerts of `report` (one message per finding, capped); nothing when nothing qualifies. */
export const publishAlerts = async (
  report: Report,
  options: AlertPublishOptions,
): Promise<AlertPublication> => {
  const built = buildAlertMessages(report, {
    alertPolicy: options.alertPolicy,
    maxMessages: options.maxMessages ?? DEFAULT_MAX_ALERT_MESSAGES,
    ...(options.selected === undefined ? {} : { selected: options.selected }),
  });
  const summary = {
    topicArn: options.topicArn,
    alerted: built.alerts.findings.length,
    individual: built.individual,
    digests: built.digests,
    newSince: built.newSince,
  };
  if (built.messages.length === 0) return { ...summary, messageIds: [], delivered: [] };
  const sns = options.sns(topicRegion(options.topicArn));
  try {
    const messageIds = await publishMessages(
      sns,
      options.topicArn,
      built.messages.map((m) => m.message),
    );
    return { ...summary, messageIds, delivered: deliveredIn(built.findingsByMessage) };
  } catch (error) {
    if (!(error instanceof SnsPublishError)) throw error;
    const published = error.publishedIndexes.map((index) => built.findingsByMessage[index] ?? []);
    throw new AlertPublishError(error, deliveredIn(published));
  }
};
