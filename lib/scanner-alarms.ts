/**
 * Alarms on the scanner itself, sent to the alarm topic: a scanner that silently stops scanning is worse
 * than none, because everybody believes keys are being watched.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ACCOUNTS_FAILED_METRIC, METRICS_NAMESPACE, SERVICE_NAME } from './scanner-environment.ts';

/** Names of the alarms `ScannerAlarms` creates. */
export type ScannerAlarmName = 'errors' | 'throttles' | 'duration' | 'deadLetters' | 'accountsFailed';

/** Properties of `ScannerAlarms`. */
export interface ScannerAlarmsProps {
  /** The scanner function. */
  readonly function: IFunction;
  /** Its timeout. */
  readonly timeout: Duration;
  /** The dead-letter queue of the schedules and of the function's failed asynchronous invocations. */
  readonly deadLetterQueue: IQueue;
  /** Where alarms are sent (a topic apart from the report and alert topics). */
  readonly topic: ITopic;
  /** Alarm when the longest run exceeds this share of the timeout. @default 0.8 */
  readonly durationShareOfTimeout?: number;
}

/**
 * Five alarms, each on one 5-minute datapoint: function errors, throttles, a run longer than 80% of the
 * timeout (it will soon time out as the organisation grows), messages in the dead-letter queue (a
 * scheduled run never started, or failed), and accounts that failed to scan (the handler's `AccountsFailed` metric,
 * namespace `KeyAudit`, dimension `service` = `key-audit`). The scanner runs once or twice a day, so no
 * data is the normal state: missing data is not breaching. Only the transition to ALARM notifies.
 */
export class ScannerAlarms extends Construct {
  /** The alarms by name. */
  readonly alarms: Readonly<Record<ScannerAlarmName, Alarm>>;

  constructor(scope: Construct, id: string, props: ScannerAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const action = new SnsAction(props.topic);
    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string): Alarm => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      return created;
    };
    const share = props.durationShareOfTimeout ?? 0.8;
    const durationThresholdMs = Math.round(props.timeout.toMilliseconds() * share);
    this.alarms = {
      errors: alarm(
        'Errors',
        props.function.metricErrors({ period, statistic: 'Sum' }),
        0,
        'key-audit: the scanner function failed (unhandled error or timeout); no report or alert was sent. See its log group.',
      ),
      throttles: alarm(
        'Throttles',
        props.function.metricThrottles({ period, statistic: 'Sum' }),
        0,
        'key-audit: the scanner function was throttled (account concurrency exhausted or reserved concurrency reached).',
      ),
      duration: alarm(
        'Duration',
        props.function.metricDuration({ period, statistic: 'Maximum' }),
        durationThresholdMs,
        `key-audit: a scan took more than ${Math.round(share * 100)}% of the ${props.timeout.toSeconds()} s timeout; raise lambda.timeoutSeconds (max 900) or concurrency, or use source "report".`,
      ),
      deadLetters: alarm(
        'DeadLetters',
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        0,
        'key-audit: a scheduled run never started (EventBridge Scheduler could not invoke the scanner) or failed; each failed invocation is a message in the dead-letter queue.',
      ),
      accountsFailed: alarm(
        'AccountsFailed',
        new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: ACCOUNTS_FAILED_METRIC,
          dimensionsMap: { service: SERVICE_NAME },
          period,
          statistic: 'Sum',
        }),
        0,
        'key-audit: some accounts could not be scanned (member role missing, trust or external id mismatch, throttling); the report lists them.',
      ),
    };
  }
}
