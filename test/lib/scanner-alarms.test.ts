import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildScanner } from './cdk-test-app.ts';

describe('ScannerAlarms', () => {
  it('creates five alarms, each notifying the alarm topic (not the alert topic) on one breaching datapoint', () => {
    const { scanner, template, id } = buildScanner({});
    expect(id(scanner.alarmTopic)).not.toBe(id(scanner.alertTopic));
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: id(scanner.alarmTopic) }],
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it.each([
    ['Errors', 'Sum', 0],
    ['Throttles', 'Sum', 0],
  ])('alarms on any Lambda %s', (metricName, statistic, threshold) => {
    const { scanner, template, id } = buildScanner({});
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Statistic: statistic,
      Threshold: threshold,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(scanner.function) } }],
    });
  });

  it.each([
    [900, {}],
    [300, { lambda: { timeoutSeconds: 300 } }],
  ])('alarms when the longest run exceeds 0.8 x the %i s timeout', (timeoutSeconds, input) => {
    const { template } = buildScanner(input);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      Statistic: 'Maximum',
      Threshold: timeoutSeconds * 1000 * 0.8,
    });
  });

  it('alarms as soon as the dead-letter queue holds a message', () => {
    const { scanner, template, id } = buildScanner({});
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 0,
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [id(scanner.deadLetterQueue), 'QueueName'] } },
      ],
    });
  });

  it('alarms on the AccountsFailed metric the handler publishes with Powertools', () => {
    const { template } = buildScanner({});
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'KeyAudit',
      MetricName: 'AccountsFailed',
      Statistic: 'Sum',
      Threshold: 0,
      Dimensions: [{ Name: 'service', Value: 'key-audit' }],
      AlarmDescription: Match.stringLikeRegexp('could not be scanned'),
    });
  });
});
