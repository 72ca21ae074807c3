import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { AlarmTopic } from '../../lib/alarm-topic.ts';
import {
  buildScanner,
  FULL_ORGANISATION_CONFIG,
  keyResource,
  logicalIdIn,
  type Statement,
  topicPolicy,
} from './cdk-test-app.ts';

/** `arn:<partition>:cloudwatch:<region>:<account>:alarm:*` as CloudFormation renders it. */
const ALARMS_OF_THIS_ACCOUNT = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':cloudwatch:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':alarm:*',
    ],
  ],
};

const ONLY_ALARMS_OF_THIS_ACCOUNT = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: { 'aws:SourceArn': ALARMS_OF_THIS_ACCOUNT },
};

const fromCloudWatch = (s: Statement): boolean =>
  s.Effect === 'Allow' &&
  JSON.stringify(s.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' });

describe('AlarmTopic', () => {
  it('encrypts the alarm topic with a rotating key of its own, apart from the report and alert topics', () => {
    const { scanner, template, id } = buildScanner({});
    expect(scanner.alarmTopicKey).toBeDefined();
    expect(id(scanner.alarmTopicKey)).not.toBe(id(scanner.topicKey));
    expect(keyResource(template, id(scanner.alarmTopicKey)).Properties.EnableKeyRotation).toBe(true);
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'key-audit alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [id(scanner.alarmTopicKey), 'Arn'] },
    });
  });

  it('lets only CloudWatch alarms of this account and region use its key (aws:SourceAccount, aws:SourceArn)', () => {
    const { scanner, template, id } = buildScanner({});
    const grants = keyResource(template, id(scanner.alarmTopicKey)).Properties.KeyPolicy.Statement.filter(
      fromCloudWatch,
    );
    expect(grants).toEqual([
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: ONLY_ALARMS_OF_THIS_ACCOUNT,
      }),
    ]);
  });

  it('accepts publishing from CloudWatch alarms of this account only, and over TLS', () => {
    const { scanner, template, id } = buildScanner({});
    const statements = topicPolicy(template, id(scanner.alarmTopic));
    expect(statements.filter(fromCloudWatch)).toEqual([
      expect.objectContaining({ Action: 'sns:Publish', Condition: ONLY_ALARMS_OF_THIS_ACCOUNT }),
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Principal: { AWS: '*' },
        Condition: { Null: { 'aws:PrincipalServiceName': 'true' } },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('subscribes the alert addresses to the topic it creates', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const { topic } = new AlarmTopic(stack, 'Alarms', { emails: FULL_ORGANISATION_CONFIG.alertEmails });
    const template = Template.fromStack(stack);
    for (const email of FULL_ORGANISATION_CONFIG.alertEmails) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: { Ref: logicalIdIn(stack)(topic as Topic) },
      });
    }
  });

  it('uses a topic it is given as it is, subscribing the addresses beside it', () => {
    const app = new App();
    const shared = new Stack(app, 'Shared');
    const pager = Topic.fromTopicArn(shared, 'Pager', 'arn:aws:sns:eu-west-2:111122223333:pager');
    const stack = new Stack(app, 'Test');
    const alarms = new AlarmTopic(stack, 'Alarms', { topic: pager, emails: ['oncall@example.com'] });
    const template = Template.fromStack(stack);
    expect(alarms.key).toBeUndefined();
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'oncall@example.com',
      TopicArn: 'arn:aws:sns:eu-west-2:111122223333:pager',
    });
  });
});
