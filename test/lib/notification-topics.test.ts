import { describe, expect, it } from 'vitest';
import { buildScanner, FULL_ORGANISATION_CONFIG, keyResource, topicPolicy } from './cdk-test-app.ts';

describe('NotificationTopics', () => {
  it('encrypts both topics with one customer managed key that rotates', () => {
    const { scanner, template, id } = buildScanner({});
    expect(keyResource(template, id(scanner.topicKey)).Properties.EnableKeyRotation).toBe(true);
    for (const topic of [scanner.reportTopic, scanner.alertTopic]) {
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [id(scanner.topicKey), 'Arn'] },
        DisplayName: topic === scanner.reportTopic ? 'key-audit report' : 'key-audit alerts',
      });
    }
  });

  it('gives no service principal the key: alarms publish to a topic of their own', () => {
    const { scanner, template, id } = buildScanner({});
    const statements = keyResource(template, id(scanner.topicKey)).Properties.KeyPolicy.Statement;
    expect(statements.filter((s) => JSON.stringify(s.Principal).includes('Service'))).toEqual([]);
  });

  it('schedules the key for deletion with the stack, after 7 days', () => {
    const { scanner, template, id } = buildScanner({});
    expect(keyResource(template, id(scanner.topicKey))).toMatchObject({
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
    'allows the scanner role and denies every other principal, services included, on the %s',
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
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn } },
        }),
      );
      expect(JSON.stringify(statements)).not.toContain('cloudwatch.amazonaws.com');
    },
  );

  it('subscribes the configured email addresses to their topic, alert addresses to the alarm topic too', () => {
    const { scanner, template, id } = buildScanner(FULL_ORGANISATION_CONFIG);
    const expected = [
      ...FULL_ORGANISATION_CONFIG.reportEmails.map((email) => [email, id(scanner.reportTopic)]),
      ...FULL_ORGANISATION_CONFIG.alertEmails.map((email) => [email, id(scanner.alertTopic)]),
      ...FULL_ORGANISATION_CONFIG.alertEmails.map((email) => [email, id(scanner.alarmTopic)]),
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
