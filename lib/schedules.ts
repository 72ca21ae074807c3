/**
 * When the scanner runs: EventBridge Scheduler (not EventBridge rules, which are UTC-only), so that
 * "Monday 09:00 Europe/London" stays 09:00 across daylight-saving changes.
 */
import { Aws, CfnResource, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduleConfig } from './config.ts';
import { acknowledgeNag } from './nag.ts';

/** The jobs the handler understands (`{"job": ...}`). */
export type Job = 'report' | 'alerts';

/** Properties of `ScannerSchedules`. */
export interface ScannerSchedulesProps {
  /** The scanner function. */
  readonly function: IFunction;
  /** Weekly report schedule. */
  readonly report: ScheduleConfig;
  /** Alerts schedule. */
  readonly alerts: ScheduleConfig;
  /** Scheduler attempts to invoke the function after a failed invocation. @default 2 */
  readonly retryAttempts?: number;
  /** Give up on an invocation this long after its scheduled time. @default 1 hour */
  readonly maxEventAge?: Duration;
}

/** The cron expression of a schedule (`weekDay: '*'` means daily). */
export const cronExpression = (schedule: ScheduleConfig): ScheduleExpression =>
  ScheduleExpression.cron({
    minute: String(schedule.minute),
    hour: String(schedule.hour),
    ...(schedule.weekDay === '*' || schedule.weekDay === '?' ? {} : { weekDay: schedule.weekDay }),
    timeZone: TimeZone.of(schedule.timeZone),
  });

/**
 * The report and alerts schedules, each invoking the function with `{"job": "<job>"}`. Invocations the
 * Scheduler cannot deliver (after its retries) land in an encrypted, TLS-only dead-letter queue, which
 * the alarms watch. A disabled schedule stays deployed with state DISABLED.
 */
export class ScannerSchedules extends Construct {
  /** Undeliverable invocations. */
  readonly deadLetterQueue: Queue;
  /** Role EventBridge Scheduler assumes to invoke the function. */
  readonly role: Role;
  /** The schedules by job. */
  readonly schedules: Readonly<Record<Job, Schedule>>;

  constructor(scope: Construct, id: string, props: ScannerSchedulesProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeNag(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the EventBridge Scheduler schedules; a DLQ of a DLQ would only move the problem. The DeadLetters alarm reports any message in it.',
    );
    // One role for both targets, created here (rather than by the target) so that it is scoped to this
    // account's schedules and its acknowledgement sits beside it.
    this.role = new Role(this, 'InvokeRole', {
      description:
        'key-audit: lets EventBridge Scheduler invoke the scanner and dead-letter failed invocations',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      }),
    });
    const cfnFunction = props.function.node.defaultChild;
    if (CfnResource.isCfnResource(cfnFunction)) {
      const logicalId: unknown = Stack.of(this).resolve(cfnFunction.logicalId);
      acknowledgeNag(
        this.role,
        `AwsSolutions-IAM5[Resource::<${String(logicalId)}.Arn>:*]`,
        'Function.grantInvoke allows the function ARN and "<function ARN>:*", i.e. the versions and aliases of the scanner function only; no other function matches.',
      );
    }
    const schedule = (job: Job, config: ScheduleConfig, description: string): Schedule =>
      new Schedule(this, job === 'report' ? 'ReportSchedule' : 'AlertsSchedule', {
        description,
        schedule: cronExpression(config),
        enabled: config.enabled,
        target: new LambdaInvoke(props.function, {
          role: this.role,
          input: ScheduleTargetInput.fromObject({ job }),
          retryAttempts: props.retryAttempts ?? 2,
          maxEventAge: props.maxEventAge ?? Duration.hours(1),
          deadLetterQueue: this.deadLetterQueue,
        }),
      });
    this.schedules = {
      report: schedule('report', props.report, 'key-audit: full access-key report'),
      alerts: schedule('alerts', props.alerts, 'key-audit: alerts for new high-severity findings'),
    };
  }
}
