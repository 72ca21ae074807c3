import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildScanner, FULL_ORGANISATION_CONFIG, type Statement } from './cdk-test-app.ts';

/** Statements of the topic policy of the topic with logical id `topicId`. */
const topicPolicy = (template: Template, topicId: string): Statement[] => {
  const policies = Object.values(
    template.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: topicId }] } }),
  ) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
  expect(policies).toHaveLength(1);
  return policies[0]?.Properties.PolicyDocument.Statement ?? [];
};

describe('NotificationTopics', () => {
  it('encrypts both topics with one customer managed key that rotates', () => {
    const { scanner, template, id } = buildScanner({});
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.resourceCountIs('AWS::SNS::Topic', 2);
    for (const topic of [scanner.reportTopic, scanner.alertTopic]) {
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [id(scanner.topicKey), 'Arn'] },
        DisplayName: topic === scanner.reportTopic ? 'key-audit report' : 'key-audit alerts',
      });
    }
  });

  it('lets CloudWatch use the key so that alarms can publish to the encrypted alert topic', () => {
    const { template } = buildScanner({});
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
  });

  it('schedules the key for deletion with the stack, after 7 days', () => {
    const { template } = buildScanner({});
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Delete',
      Properties: { PendingWindowInDays: 7 },
    });
  });

  it.each(['reportTopic', 'alertTopic'] as const)('refuses publishing without TLS on the %s', (which) => {
    const { scanner, template, id } = buildScanner({});
    const statements = topicPolicy(template, id(scanner[which]));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it.each(['reportTopic', 'alertTopic'] as const)(
    'allows the scanner role and denies every other IAM principal on the %s',
    (which) => {
      const { scanner, template, id } = buildScanner({});
      const roleArn = { 'Fn::GetAtt': [id(scanner.role), 'Arn'] };
      const statements = topicPolicy(template, id(scanner[which]));
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Principal: { AWS: roleArn } }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Principal: { AWS: '*' },
          Condition: {
            StringNotEqualsIfExists: { 'aws:PrincipalArn': roleArn },
            Null: { 'aws:PrincipalServiceName': 'true' },
          },
        }),
      );
    },
  );

  it('allows CloudWatch alarms of this account to publish to the alert topic only', () => {
    const { scanner, template, id } = buildScanner({});
    const fromCloudWatch = (s: Statement): boolean =>
      s.Effect === 'Allow' &&
      JSON.stringify(s.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' });
    const alert = topicPolicy(template, id(scanner.alertTopic)).filter(fromCloudWatch);
    expect(alert).toHaveLength(1);
    expect(alert[0]?.Condition?.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(alert[0]?.Condition?.ArnLike?.['aws:SourceArn']).toBeDefined();
    expect(topicPolicy(template, id(scanner.reportTopic)).filter(fromCloudWatch)).toEqual([]);
  });

  it('subscribes the configured email addresses to their topic', () => {
    const { scanner, template, id } = buildScanner(FULL_ORGANISATION_CONFIG);
    const expected = [
      ...FULL_ORGANISATION_CONFIG.reportEmails.map((email) => [email, id(scanner.reportTopic)]),
      ...FULL_ORGANISATION_CONFIG.alertEmails.map((email) => [email, id(scanner.alertTopic)]),
    ];
    template.resourceCountIs('AWS::SNS::Subscription', expected.length);
    for (const [email, topicId] of expected) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: { Ref: topicId },
      });
    }
  });

  it('creates no subscription when no email is configured', () => {
    buildScanner({}).template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
