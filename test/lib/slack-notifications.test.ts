import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CHANNEL_CONFIGURATION_NAMES, CHANNEL_GUARDRAIL_POLICY } from '../../lib/slack-notifications.ts';
import { buildTestApp } from './cdk-test-app.ts';

const SLACK = { workspaceId: 'T0123ABCDE', reportChannelId: 'C0123ABCDE', alertChannelId: 'C0456FGHIJ' };

const DENY_ALL = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${CHANNEL_GUARDRAIL_POLICY}`]],
};

const configurationArn = (name: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':chatbot::',
      { Ref: 'AWS::AccountId' },
      `:chat-configuration/slack-channel/${name}`,
    ],
  ],
});

describe('SlackNotifications', () => {
  it('is absent when Slack is not configured', () => {
    const { scanner } = buildTestApp({});
    expect(scanner.scanner.slackChannels).toEqual({});
    const template = Template.fromStack(scanner);
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
  });

  it('delivers each topic to its channel, the alarms to the alert channel, with the deny-all guardrail', () => {
    const { scanner } = buildTestApp({ slack: SLACK });
    const template = Template.fromStack(scanner);
    const ref = (construct: { node: { defaultChild?: unknown } }) => ({
      Ref: Stack.of(scanner).getLogicalId(construct.node.defaultChild as never),
    });
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 2);
    for (const [channel, topics] of [
      [SLACK.reportChannelId, [scanner.scanner.reportTopic]],
      [SLACK.alertChannelId, [scanner.scanner.alertTopic, scanner.scanner.alarmTopic]],
    ] as const) {
      template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
        SlackWorkspaceId: SLACK.workspaceId,
        SlackChannelId: channel,
        SnsTopicArns: topics.map(ref),
        GuardrailPolicies: [DENY_ALL],
        LoggingLevel: 'ERROR',
        UserRoleRequired: false,
      });
    }
  });

  it('gives channel members no permission in the scanner account: a channel role without policies', () => {
    const { scanner } = buildTestApp({ slack: SLACK });
    const template = Template.fromStack(scanner);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([, role]) =>
      JSON.stringify(role).includes('chatbot.amazonaws.com'),
    );
    expect(roles).toHaveLength(1);
    const [roleId, role] = roles[0] as [string, { Properties: Record<string, unknown> }];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    expect(
      Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
        JSON.stringify(policy).includes(`"${roleId}"`),
      ),
    ).toEqual([]);
  });

  it('trusts AWS Chatbot only for configurations of its own account (aws:SourceAccount, aws:SourceArn)', () => {
    const { scanner } = buildTestApp({ slack: SLACK });
    Template.fromStack(scanner).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'chatbot.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLikeIfExists: {
                'aws:SourceArn': Object.values(CHANNEL_CONFIGURATION_NAMES).map(configurationArn),
              },
            },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  it('creates only the configured channel', () => {
    const { scanner } = buildTestApp({
      slack: { workspaceId: SLACK.workspaceId, alertChannelId: SLACK.alertChannelId },
    });
    const template = Template.fromStack(scanner);
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 1);
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackChannelId: SLACK.alertChannelId,
    });
    expect(Object.keys(scanner.scanner.slackChannels)).toEqual(['alerts']);
  });
});
