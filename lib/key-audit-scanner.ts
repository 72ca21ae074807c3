/**
 * `KeyAuditScanner`: everything that runs in the scanner account, as one construct an infrastructure
 * team adds to its own CDK app. It wires the parts together (role, topics, optional Slack, history,
 * function, schedules, alarms); each part lives in its own construct. It adds no outputs: that is the
 * stack's call.
 */
import type { Duration, Size, TimeZone } from 'aws-cdk-lib';
import { SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import type { SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Code, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type * as z from 'zod/mini';
import type { ENFORCEMENT_CONFIG } from '../lambda/config/enforcement-settings.ts';
import type { ConfiguredExemption } from '../lambda/domain/policy.ts';
import type { Severity } from '../lambda/domain/severity.ts';
import { AlarmTopic } from './alarm-topic.ts';
import type { KeyAuditConfig } from './config.ts';
import { packagedHandlerCode } from './handler-code.ts';
import { NotificationTopics } from './notification-topics.ts';
import { KeyAuditPropsError, type PropNames, validateWithConfiguration } from './prop-validation.ts';
import { type ScannerAlarmName, ScannerAlarms } from './scanner-alarms.ts';
import { scannerEnvironment } from './scanner-environment.ts';
import { ScannerFunction } from './scanner-function.ts';
import { ScannerHistory } from './scanner-history.ts';
import { ScannerRole } from './scanner-role.ts';
import { type Job, ScannerSchedules } from './schedules.ts';
import { SlackNotifications } from './slack-notifications.ts';

/**
 * The enforcement policy, as the configuration's `enforcement` object holds it (days as whole numbers, as
 * `maxKeyAgeDays`): `mode` (`off`, `plan`, `apply`), `deleteAfterDays` and the other settings of the
 * README's configuration table. Every field is optional.
 */
export type KeyAuditEnforcement = NonNullable<z.input<(typeof ENFORCEMENT_CONFIG)['enforcement']>>;

/** Organisation mode: every ACTIVE account of the organisation, or of some of its OUs. */
export interface KeyAuditOrganisation {
  /** The organisation id (`o-xxxxxxxxxx`); the scanner may assume member roles only inside it. */
  readonly organisationId: string;
  /** Only accounts under these OUs (`ou-xxxx-xxxxxxxx`) or the root (`r-xxxx`). @default the whole organisation */
  readonly ous?: readonly string[];
  /** Account ids never scanned. @default none */
  readonly exclude?: readonly string[];
}

/** When one job runs: at most once a day, on some days of the week, in a time zone. */
export interface KeyAuditSchedule {
  /** Create the schedule enabled; `false` deploys it DISABLED. @default true */
  readonly enabled?: boolean;
  /** Minute of the hour, 0-59. @default 0 */
  readonly minute?: number;
  /** Hour of the day, 0-23, in `timeZone`. @default 9 */
  readonly hour?: number;
  /**
   * Days in AWS cron syntax: `*` (every day), `MON`, `MON-FRI`, `MON,WED,FRI` (or 1-7, 1 = SUN).
   * @default 'MON' for the report, '*' for alerts
   */
  readonly weekDay?: string;
  /** The time zone `hour` is in; daylight-saving changes are followed. @default Europe/London */
  readonly timeZone?: TimeZone;
}

/** Slack channels the topics are delivered to through AWS Chatbot (the workspace authorised beforehand). */
export interface KeyAuditSlackChannels {
  /** Slack workspace (team) id, e.g. `T0123ABCDE`. */
  readonly workspaceId: string;
  /** Channel id for reports, e.g. `C0123ABCDE`. @default reports are not sent to Slack */
  readonly reportChannelId?: string;
  /** Channel id for alerts and alarms. @default alerts are not sent to Slack */
  readonly alertChannelId?: string;
}

/**
 * Properties of `KeyAuditScanner`. Every prop is optional: no props scan the scanner's own account with
 * the default policy, report weekly and alert daily. Values are validated at synth time by the same rules
 * as this repository's cdk.json configuration, so they must be literal values, not tokens.
 */
export interface KeyAuditScannerProps {
  /** Account mode: scan these account ids through `memberRoleName`. @default the scanner's own account */
  readonly accounts?: readonly string[];
  /** Organisation mode (instead of `accounts`). @default the scanner's own account */
  readonly organisation?: KeyAuditOrganisation;
  /** Name of the read-only member role in each scanned account (see `KeyAuditMemberRole`). @default 'KeyAuditReadOnly' */
  readonly memberRoleName?: string;
  /** `sts:ExternalId` sent when assuming member roles (they must require the same). @default none */
  readonly externalId?: string;
  /** Name of the scanner's execution role: member roles trust its exact ARN. @default 'key-audit-scanner' */
  readonly scannerRoleName?: string;
  /** `report`: the credential report verified live for flagged users; `api`: every user via the IAM API. @default 'report' */
  readonly source?: KeyAuditConfig['source'];
  /** Active keys older than this many days must be rotated. @default 90 */
  readonly maxKeyAgeDays?: number;
  /** Warn this many days before a key reaches `maxKeyAgeDays`. @default 14 */
  readonly warnDays?: number;
  /** A key unused (or never used) this many days should go. @default 45 */
  readonly unusedDays?: number;
  /** Two active keys count as a rotation in progress while the newer key is this many days young. @default 7 */
  readonly rotationGraceDays?: number;
  /** A too-old key becomes critical beyond this multiple of `maxKeyAgeDays`. @default 2 */
  readonly criticalAgeMultiplier?: number;
  /** Users excused until a date, each with a reason. @default none */
  readonly exemptions?: readonly ConfiguredExemption[];
  /** When the full report is published. @default Mondays 09:00 Europe/London */
  readonly reportSchedule?: KeyAuditSchedule;
  /** When alerts (new or critical findings) are published. @default daily 09:00 Europe/London */
  readonly alertSchedule?: KeyAuditSchedule;
  /** Email addresses subscribed to the report topic (each must confirm). @default none */
  readonly reportEmails?: readonly string[];
  /** Email addresses subscribed to the alert topic and the alarm topic. @default none */
  readonly alertEmails?: readonly string[];
  /** Slack delivery through AWS Chatbot (the alert channel gets the alarms too). @default none */
  readonly slack?: KeyAuditSlackChannels;
  /** Lowest severity the alerts job sends when a finding is new. @default 'high' */
  readonly alertSeverity?: Severity;
  /** Accounts scanned at once. @default 4 */
  readonly concurrency?: number;
  /** How long the scanner's logs are kept. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** The function's memory (CPU scales with it), in whole MiB. @default Size.mebibytes(1024) */
  readonly memorySize?: Size;
  /** The function's timeout, in whole seconds, at most 15 minutes. @default Duration.minutes(15) */
  readonly timeout?: Duration;
  /** Reserved concurrency of the function. @default none */
  readonly reservedConcurrentExecutions?: number;
  /**
   * How long the history bucket created here keeps each stored report, in whole days (the memory,
   * `state.json`, is kept while the scanner runs). @default Duration.days(400): a year of weekly evidence
   */
  readonly historyRetention?: Duration;
  /**
   * A bucket of your own for the history, used as it is: its policy, lifecycle and logging are left
   * alone; the scanner role is granted read, write and list on it. @default a new bucket (see README)
   */
  readonly historyBucket?: IBucket;
  /** Key prefix of the history in the bucket: empty, or ending with `/` (`key-audit/`). @default '' */
  readonly historyPrefix?: string;
  /** Import the findings into Security Hub of each scanned account (through its member role). @default false */
  readonly securityHub?: boolean;
  /**
   * Enforcement: whether key-audit deactivates (and deletes) keys itself after notice. With `mode`
   * `apply` the scanner may assume `remediationRoleName` in the scanned accounts (deploy
   * `KeyAuditRemediationRole` there). @default { mode: 'off' }
   */
  readonly enforcement?: KeyAuditEnforcement;
  /** Name of the remediation role in each scanned account. @default 'KeyAuditRemediation' */
  readonly remediationRoleName?: string;
  /** An existing topic for reports (its policy is left as it is). @default a new encrypted topic */
  readonly reportTopic?: ITopic;
  /**
   * An existing topic for alerts (its policy is left as it is). @default a new encrypted topic
   */
  readonly alertTopic?: ITopic;
  /** The KMS key of the topics created here. @default a new customer managed key, rotated yearly */
  readonly topicKey?: IKey;
  /**
   * An existing topic for the scanner's alarms (its policy is left as it is; if encrypted, its key must let
   * `cloudwatch.amazonaws.com` use it). @default a new topic with a key of its own, apart from the others
   */
  readonly alarmTopic?: ITopic;
  /**
   * The KMS key of the log group (its policy must let `logs.<region>.amazonaws.com` use it).
   * @default a new customer managed key, retained with the log group
   */
  readonly logKey?: IKey;
  /** The handler bundle. @default the bundle shipped prebuilt in this package */
  readonly code?: Code;
}

/** Props whose configuration field has another name or place (everything else has the same name). */
const PROP_NAMES: PropNames = {
  organisationId: 'organisation.organisationId',
  ous: 'organisation.ous',
  exclude: 'organisation.exclude',
  roleName: 'memberRoleName',
  'schedules.report': 'reportSchedule',
  'schedules.alerts': 'alertSchedule',
  logRetentionDays: 'logRetention',
  'lambda.memoryMb': 'memorySize',
  'lambda.timeoutSeconds': 'timeout',
  'lambda.reservedConcurrency': 'reservedConcurrentExecutions',
  historyRetentionDays: 'historyRetention',
};

/** S3 key prefix: segments of safe characters, each ending with `/`. */
const HISTORY_PREFIX = /^([A-Za-z0-9!_.*'()-]+\/)*$/;

/** Problems of the props the configuration does not hold, each naming its prop. */
const historyProblems = (props: KeyAuditScannerProps): string[] => {
  const problems: string[] = [];
  const prefix = props.historyPrefix;
  if (prefix !== undefined && !Token.isUnresolved(prefix) && !HISTORY_PREFIX.test(prefix)) {
    problems.push(
      `historyPrefix: ${JSON.stringify(prefix)} must be empty or folders each ending with / (e.g. "key-audit/")`,
    );
  }
  if (props.historyBucket !== undefined && props.historyRetention !== undefined) {
    problems.push(
      'historyRetention: applies only to the history bucket created here; give your own bucket (historyBucket) a lifecycle of its own',
    );
  }
  return problems;
};

const scheduleInput = (schedule: KeyAuditSchedule | undefined) =>
  schedule === undefined
    ? undefined
    : {
        enabled: schedule.enabled,
        minute: schedule.minute,
        hour: schedule.hour,
        weekDay: schedule.weekDay,
        timeZone: schedule.timeZone?.timezoneName,
      };

/**
 * The cdk.json-shaped configuration the props stand for (undefined: not set). Sizes and durations are
 * converted without rounding, so that a fraction is reported by validation rather than silently cut.
 */
export const configInputFromProps = (props: KeyAuditScannerProps): Record<string, unknown> => ({
  accounts: props.accounts,
  organisation: props.organisation === undefined ? undefined : true,
  organisationId: props.organisation?.organisationId,
  ous: props.organisation?.ous,
  exclude: props.organisation?.exclude,
  roleName: props.memberRoleName,
  externalId: props.externalId,
  scannerRoleName: props.scannerRoleName,
  source: props.source,
  maxKeyAgeDays: props.maxKeyAgeDays,
  warnDays: props.warnDays,
  unusedDays: props.unusedDays,
  rotationGraceDays: props.rotationGraceDays,
  criticalAgeMultiplier: props.criticalAgeMultiplier,
  exemptions: props.exemptions,
  schedules: { report: scheduleInput(props.reportSchedule), alerts: scheduleInput(props.alertSchedule) },
  reportEmails: props.reportEmails,
  alertEmails: props.alertEmails,
  slack: props.slack,
  alertSeverity: props.alertSeverity,
  concurrency: props.concurrency,
  logRetentionDays: props.logRetention,
  lambda: {
    memoryMb: props.memorySize?.toMebibytes({ rounding: SizeRoundingBehavior.NONE }),
    timeoutSeconds: props.timeout?.toSeconds({ integral: false }),
    reservedConcurrency: props.reservedConcurrentExecutions,
  },
  historyRetentionDays: props.historyRetention?.toDays({ integral: false }),
  securityHub: props.securityHub,
  enforcement: props.enforcement,
  remediationRoleName: props.remediationRoleName,
});

/**
 * The key-audit scanner: a Lambda function that scans IAM access keys (the own account, listed accounts
 * or the organisation, through `KeyAuditMemberRole` in each), publishes a weekly report and daily alerts
 * to two SNS topics, keeps its memory and every report in a history bucket, is started by EventBridge
 * Scheduler, and is watched by CloudWatch alarms that notify a topic of their own.
 *
 * @example
 * const scanner = new KeyAuditScanner(this, 'KeyAudit', {
 *   organisation: { organisationId: 'o-abcdefghij' },
 *   alertEmails: ['oncall@example.com'],
 *   timeout: Duration.minutes(10),
 * });
 */
export class KeyAuditScanner extends Construct {
  /** The validated configuration the props stand for, every default applied. */
  readonly config: KeyAuditConfig;
  /** The scanner's execution role (named `scannerRoleName`). */
  readonly role: Role;
  /** The scanner function. */
  readonly function: LambdaFunction;
  /** The function's log group (retained when the stack is deleted). */
  readonly logGroup: LogGroup;
  /** Where weekly reports go. */
  readonly reportTopic: ITopic;
  /** Where alerts go. */
  readonly alertTopic: ITopic;
  /** The key of the topics created here; undefined when both topics were brought. */
  readonly topicKey?: IKey;
  /** Where the scanner's alarms go. */
  readonly alarmTopic: ITopic;
  /** The alarm topic's own key; undefined when the alarm topic was brought. */
  readonly alarmTopicKey?: IKey;
  /** The history bucket (memory and stored reports). */
  readonly historyBucket: IBucket;
  /** The history as the function reads it (`KEY_AUDIT_HISTORY`): `s3://<bucket>/<prefix>`. */
  readonly historyLocation: string;
  /** The key of the log group. */
  readonly logKey: IKey;
  /** The report and alerts schedules. */
  readonly schedules: Readonly<Record<Job, Schedule>>;
  /** The role EventBridge Scheduler assumes to invoke the function. */
  readonly scheduleRole: Role;
  /** Scheduled invocations that could not be delivered, and failed asynchronous invocations. */
  readonly deadLetterQueue: Queue;
  /** Alarms on the scanner, by name. */
  readonly alarms: Readonly<Record<ScannerAlarmName, Alarm>>;
  /** Slack channel configurations created, by topic. */
  readonly slackChannels: Readonly<Partial<Record<'report' | 'alerts', SlackChannelConfiguration>>>;

  constructor(scope: Construct, id: string, props: KeyAuditScannerProps = {}) {
    super(scope, id);
    const config = this.validate(props);
    this.config = config;
    const scannerRole = new ScannerRole(this, 'ScannerRole', { config });
    this.role = scannerRole.role;
    const topics = new NotificationTopics(this, 'NotificationTopics', {
      publisher: this.role,
      reportEmails: config.reportEmails,
      alertEmails: config.alertEmails,
      ...(props.reportTopic === undefined ? {} : { reportTopic: props.reportTopic }),
      ...(props.alertTopic === undefined ? {} : { alertTopic: props.alertTopic }),
      ...(props.topicKey === undefined ? {} : { key: props.topicKey }),
    });
    this.reportTopic = topics.reportTopic;
    this.alertTopic = topics.alertTopic;
    if (topics.key !== undefined) this.topicKey = topics.key;
    const alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      emails: config.alertEmails,
      ...(props.alarmTopic === undefined ? {} : { topic: props.alarmTopic }),
    });
    this.alarmTopic = alarmTopic.topic;
    if (alarmTopic.key !== undefined) this.alarmTopicKey = alarmTopic.key;
    this.slackChannels =
      config.slack === undefined
        ? {}
        : new SlackNotifications(this, 'SlackNotifications', {
            slack: config.slack,
            reportTopic: this.reportTopic,
            alertTopic: this.alertTopic,
            alarmTopic: this.alarmTopic,
          }).channels;
    const history = new ScannerHistory(this, 'History', {
      writer: this.role,
      retentionDays: config.historyRetentionDays,
      ...(props.historyBucket === undefined ? {} : { bucket: props.historyBucket }),
      ...(props.historyPrefix === undefined ? {} : { prefix: props.historyPrefix }),
    });
    this.historyBucket = history.bucket;
    this.historyLocation = history.location;
    const scanner = new ScannerFunction(this, 'ScannerFunction', {
      code: props.code ?? packagedHandlerCode(),
      role: this.role,
      environment: scannerEnvironment(config, {
        reportTopicArn: this.reportTopic.topicArn,
        alertTopicArn: this.alertTopic.topicArn,
        history: this.historyLocation,
      }),
      memoryMb: config.lambda.memoryMb,
      timeoutSeconds: config.lambda.timeoutSeconds,
      logRetentionDays: config.logRetentionDays,
      ...(config.lambda.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrency: config.lambda.reservedConcurrency }),
      ...(props.logKey === undefined ? {} : { logKey: props.logKey }),
    });
    this.function = scanner.function;
    this.logGroup = scanner.logGroup;
    this.logKey = scanner.logKey;
    const schedules = new ScannerSchedules(this, 'Schedules', {
      function: this.function,
      report: config.schedules.report,
      alerts: config.schedules.alerts,
    });
    this.schedules = schedules.schedules;
    this.scheduleRole = schedules.role;
    this.deadLetterQueue = schedules.deadLetterQueue;
    scanner.sendFailedInvocationsTo(this.deadLetterQueue);
    this.alarms = new ScannerAlarms(this, 'Alarms', {
      function: this.function,
      timeout: scanner.timeout,
      deadLetterQueue: this.deadLetterQueue,
      topic: this.alarmTopic,
    }).alarms;
  }

  /**
   * The configuration `props` stand for, every problem of the props reported at once.
   * @throws KeyAuditPropsError naming each prop with a problem
   */
  private validate(props: KeyAuditScannerProps): KeyAuditConfig {
    const extra = historyProblems(props);
    let config: KeyAuditConfig;
    try {
      config = validateWithConfiguration(this, 'KeyAuditScanner', configInputFromProps(props), PROP_NAMES);
    } catch (error) {
      if (!(error instanceof KeyAuditPropsError) || extra.length === 0) throw error;
      throw new KeyAuditPropsError(error.construct, [...error.problems, ...extra], { cause: error });
    }
    if (extra.length > 0) throw new KeyAuditPropsError(`KeyAuditScanner ${this.node.path}`, extra);
    return config;
  }
}
