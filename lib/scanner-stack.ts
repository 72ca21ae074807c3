/**
 * This repository's scanner stack (`cdk deploy KeyAuditScanner`): the cdk.json configuration turned into
 * `KeyAuditScanner` props, plus the outputs an operator needs.
 */
import { CfnOutput, Duration, Size, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { KeyAuditConfig, ScheduleConfig } from './config.ts';
import { handlerCodeFromSource } from './handler-source-code.ts';
import { KeyAuditScanner, type KeyAuditScannerProps, type KeyAuditSchedule } from './key-audit-scanner.ts';

/** Properties of `ScannerStack`. */
export interface ScannerStackProps extends StackProps {
  /** The validated configuration. */
  readonly config: KeyAuditConfig;
  /** The handler bundle. @default bundled from lambda/handler.ts at synth time */
  readonly code?: Code;
}

const scheduleProps = (schedule: ScheduleConfig): KeyAuditSchedule => ({
  enabled: schedule.enabled,
  minute: schedule.minute,
  hour: schedule.hour,
  weekDay: schedule.weekDay,
  timeZone: TimeZone.of(schedule.timeZone),
});

/**
 * The props `config` stands for. The scanner validates them again, so this mapping and the scanner's own
 * (`configInputFromProps`) must be inverse; a test checks the round trip. `stackSet` and
 * `scannerAccountId` concern the member roles and are not scanner props.
 */
export const scannerPropsFromConfig = (config: KeyAuditConfig): KeyAuditScannerProps => ({
  accounts: config.accounts,
  // A validated configuration in organisation mode has an organisation id; '' would fail validation.
  ...(config.organisation
    ? {
        organisation: {
          organisationId: config.organisationId ?? '',
          ous: config.ous,
          exclude: config.exclude,
        },
      }
    : {}),
  memberRoleName: config.roleName,
  ...(config.externalId === undefined ? {} : { externalId: config.externalId }),
  scannerRoleName: config.scannerRoleName,
  source: config.source,
  maxKeyAgeDays: config.maxKeyAgeDays,
  warnDays: config.warnDays,
  unusedDays: config.unusedDays,
  rotationGraceDays: config.rotationGraceDays,
  criticalAgeMultiplier: config.criticalAgeMultiplier,
  exemptions: config.exemptions,
  reportSchedule: scheduleProps(config.schedules.report),
  alertSchedule: scheduleProps(config.schedules.alerts),
  reportEmails: config.reportEmails,
  alertEmails: config.alertEmails,
  ...(config.slack === undefined ? {} : { slack: config.slack }),
  alertSeverity: config.alertSeverity,
  concurrency: config.concurrency,
  logRetention: config.logRetentionDays as RetentionDays,
  memorySize: Size.mebibytes(config.lambda.memoryMb),
  timeout: Duration.seconds(config.lambda.timeoutSeconds),
  ...(config.lambda.reservedConcurrency === undefined
    ? {}
    : { reservedConcurrentExecutions: config.lambda.reservedConcurrency }),
  historyRetention: Duration.days(config.historyRetentionDays),
  securityHub: config.securityHub,
  enforcement: config.enforcement,
  remediationRoleName: config.remediationRoleName,
});

/** Everything that runs in the scanner account. Environment-agnostic: no lookups at synth time. */
export class ScannerStack extends Stack {
  /** The scanner. */
  readonly scanner: KeyAuditScanner;

  constructor(scope: Construct, id: string, props: ScannerStackProps) {
    const { config, code, ...stackProps } = props;
    super(scope, id, {
      description:
        'key-audit scanner: scheduled IAM access-key audit with reports and alerts over SNS and a history in S3',
      ...stackProps,
    });
    // CDK leaves the id 'Default' out of logical ids, so resources keep the ids they had before the
    // scanner became one construct, and existing deployments update in place instead of being replaced.
    this.scanner = new KeyAuditScanner(this, 'Default', {
      ...scannerPropsFromConfig(config),
      code: code ?? handlerCodeFromSource(),
    });

    new CfnOutput(this, 'ScannerRoleArn', {
      description: 'Member roles trust this ARN',
      value: this.scanner.role.roleArn,
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
    new CfnOutput(this, 'ReportTopicArn', { value: this.scanner.reportTopic.topicArn });
    new CfnOutput(this, 'AlertTopicArn', { value: this.scanner.alertTopic.topicArn });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: "The scanner's own alarms (alert emails and the Slack alert channel are subscribed)",
      value: this.scanner.alarmTopic.topicArn,
    });
    new CfnOutput(this, 'HistoryBucketName', {
      description: 'Memory and stored reports; retained after cdk destroy until emptied and deleted by hand',
      value: this.scanner.historyBucket.bucketName,
    });
  }
}
