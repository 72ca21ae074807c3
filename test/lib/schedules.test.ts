import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildScanner } from './cdk-test-app.ts';

describe('ScannerSchedules', () => {
  it('runs the report on Mondays and the alerts daily at 09:00 Europe/London by default', () => {
    const { template } = buildScanner({});
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    // AWS cron: minute hour day-of-month month day-of-week year; one of the two day fields must be "?".
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/London',
      State: 'ENABLED',
      Target: Match.objectLike({ Input: JSON.stringify({ job: 'report' }) }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/London',
      State: 'ENABLED',
      Target: Match.objectLike({ Input: JSON.stringify({ job: 'alerts' }) }),
    });
  });

  it('uses the configured minute, hour, days and time zone', () => {
    const { template } = buildScanner({
      schedules: {
        report: { minute: 30, hour: 7, weekDay: 'FRI', timeZone: 'America/New_York' },
        alerts: { minute: 15, hour: 18, weekDay: 'MON-FRI', timeZone: 'Asia/Tokyo' },
      },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 7 ? * FRI *)',
      ScheduleExpressionTimezone: 'America/New_York',
      Target: Match.objectLike({ Input: JSON.stringify({ job: 'report' }) }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 18 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Asia/Tokyo',
      Target: Match.objectLike({ Input: JSON.stringify({ job: 'alerts' }) }),
    });
  });

  it('keeps a switched-off schedule deployed but disabled', () => {
    const { template } = buildScanner({ schedules: { alerts: { enabled: false } } });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      State: 'DISABLED',
      Target: Match.objectLike({ Input: JSON.stringify({ job: 'alerts' }) }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      State: 'ENABLED',
      Target: Match.objectLike({ Input: JSON.stringify({ job: 'report' }) }),
    });
  });

  it('invokes the scanner with 2 retries within an hour, then dead-letters', () => {
    const { scanner, template, id } = buildScanner({});
    const schedules = template.findResources('AWS::Scheduler::Schedule');
    expect(Object.keys(schedules)).toHaveLength(2);
    for (const schedule of Object.values(schedules)) {
      expect(schedule).toMatchObject({
        Properties: {
          Target: {
            Arn: { 'Fn::GetAtt': [id(scanner.function), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(scanner.deadLetterQueue), 'Arn'] } },
            RoleArn: { 'Fn::GetAtt': [id(scanner.scheduleRole), 'Arn'] },
          },
        },
      });
    }
  });

  it('encrypts the dead-letter queue and refuses non-TLS access to it', () => {
    const { scanner, template, id } = buildScanner({});
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id(scanner.deadLetterQueue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets only EventBridge Scheduler of this account assume the invoke role', () => {
    const { template } = buildScanner({});
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
  });
});
