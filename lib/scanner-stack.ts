/**
 * The scanner account's stack: role, topics, optional Slack, function, schedules, alarms. It only wires
 * the constructs together; each concern lives in its own construct.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { KeyAuditConfig } from './config.ts';
import { NotificationTopics } from './notification-topics.ts';
import { ScannerAlarms } from './scanner-alarms.ts';
import { scannerEnvironment } from './scanner-environment.ts';
import { ScannerFunction } from './scanner-function.ts';
import { ScannerRole } from './scanner-role.ts';
import { ScannerSchedules } from './schedules.ts';
import { SlackNotifications } from './slack-notifications.ts';

/** Properties of `ScannerStack`. */
export interface ScannerStackProps extends StackProps {
  /** The validated configuration. */
  readonly config: KeyAuditConfig;
  /** Handler module. @default lambda/handler.ts */
  readonly entry?: string;
}

/** Everything that runs in the scanner account. Environment-agnostic: no lookups at synth time. */
export class ScannerStack extends Stack {
  /** The scanner's execution role. */
  readonly scannerRole: ScannerRole;
  /** Report and alert topics with their key. */
  readonly topics: NotificationTopics;
  /** Slack channels, when configured. */
  readonly slack?: SlackNotifications;
  /** The Lambda function and its log group. */
  readonly scanner: ScannerFunction;
  /** The two schedules and their dead-letter queue. */
  readonly schedules: ScannerSchedules;
  /** Alarms on the scanner. */
  readonly alarms: ScannerAlarms;

  constructor(scope: Construct, id: string, props: ScannerStackProps) {
    const { config, entry, ...stackProps } = props;
    super(scope, id, {
      description: 'key-audit scanner: scheduled IAM access-key audit with reports and alerts over SNS',
      ...stackProps,
    });
    this.scannerRole = new ScannerRole(this, 'ScannerRole', { config });
    this.topics = new NotificationTopics(this, 'NotificationTopics', {
      publisher: this.scannerRole.role,
      reportEmails: config.reportEmails,
      alertEmails: config.alertEmails,
    });
    if (config.slack !== undefined) {
      this.slack = new SlackNotifications(this, 'SlackNotifications', {
        slack: config.slack,
        reportTopic: this.topics.reportTopic,
        alertTopic: this.topics.alertTopic,
      });
    }
    this.scanner = new ScannerFunction(this, 'ScannerFunction', {
      role: this.scannerRole.role,
      environment: scannerEnvironment(config, {
        reportTopicArn: this.topics.reportTopic.topicArn,
        alertTopicArn: this.topics.alertTopic.topicArn,
      }),
      memoryMb: config.lambda.memoryMb,
      timeoutSeconds: config.lambda.timeoutSeconds,
      logRetentionDays: config.logRetentionDays,
      ...(config.lambda.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrency: config.lambda.reservedConcurrency }),
      ...(entry === undefined ? {} : { entry }),
    });
    this.schedules = new ScannerSchedules(this, 'Schedules', {
      function: this.scanner.function,
      report: config.schedules.report,
      alerts: config.schedules.alerts,
    });
    this.alarms = new ScannerAlarms(this, 'Alarms', {
      function: this.scanner.function,
      timeout: this.scanner.timeout,
      deadLetterQueue: this.schedules.deadLetterQueue,
      alertTopic: this.topics.alertTopic,
    });

    new CfnOutput(this, 'ScannerRoleArn', {
      description: 'Member roles trust this ARN',
      value: this.scannerRole.role.roleArn,
    });
    new CfnOutput(this, 'ScannerFunctionName', {
      description:
        'Run now: aws lambda invoke --function-name <name> --payload \'{"job":"report"}\' --cli-binary-format raw-in-base64-out out.json',
      value: this.scanner.function.functionName,
    });
    new CfnOutput(this, 'ScannerLogGroupName', {
      description: 'Scanner logs; retained after cdk destroy until deleted by hand',
      value: this.scanner.logGroup.logGroupName,
    });
    new CfnOutput(this, 'ReportTopicArn', { value: this.topics.reportTopic.topicArn });
    new CfnOutput(this, 'AlertTopicArn', { value: this.topics.alertTopic.topicArn });
  }
}
