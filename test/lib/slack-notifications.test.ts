import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CHATBOT_NOTIFICATION_ACTIONS } from '../../lib/slack-notifications.ts';
import { buildTestApp } from './cdk-test-app.ts';

const SLACK = { workspaceId: 'T0123ABCDE', reportChannelId: 'C0123ABCDE', alertChannelId: 'C0456FGHIJ' };

describe('SlackNotifications', () => {
  it('is absent when Slack is not configured', () => {
    const { scanner } = buildTestApp({});
    expect(scanner.scanner.slackChannels).toEqual({});
    const template = Template.fromStack(scanner);
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  it('delivers each topic to its channel, with a least-privilege guardrail instead of the AdministratorAccess default', () => {
    const { scanner } = buildTestApp({ slack: SLACK });
    const template = Template.fromStack(scanner);
    const id = (construct: { node: { defaultChild?: unknown } }): string =>
      Stack.of(scanner).getLogicalId(construct.node.defaultChild as never);
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    const policyIds = Object.keys(policies);
    expect(policyIds).toHaveLength(1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Effect: 'Allow', Action: [...CHATBOT_NOTIFICATION_ACTIONS] })],
      },
    });
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 2);
    for (const [channel, topic] of [
      [SLACK.reportChannelId, scanner.scanner.reportTopic],
      [SLACK.alertChannelId, scanner.scanner.alertTopic],
    ] as const) {
      template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
        SlackWorkspaceId: SLACK.workspaceId,
        SlackChannelId: channel,
        SnsTopicArns: [{ Ref: id(topic) }],
        GuardrailPolicies: [{ Ref: policyIds[0] }],
        LoggingLevel: 'ERROR',
        UserRoleRequired: false,
      });
    }
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
