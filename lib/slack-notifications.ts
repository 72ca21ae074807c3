/**
 * Slack delivery of the topics through AWS Chatbot (Amazon Q Developer in chat applications). The Slack
 * workspace must have been authorised once in the Chatbot console; CloudFormation cannot do that step.
 */
import { Aws } from 'aws-cdk-lib';
import { LoggingLevel, SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import { type IManagedPolicy, ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { SlackConfig } from './config.ts';

/** The AWS managed policy that denies every action: the channels' guardrail. */
export const CHANNEL_GUARDRAIL_POLICY = 'AWSDenyAll';

/** Names of the channel configurations, by topic. */
export const CHANNEL_CONFIGURATION_NAMES = {
  report: 'key-audit-report',
  alerts: 'key-audit-alerts',
} as const;

/** Properties of `SlackNotifications`. */
export interface SlackNotificationsProps {
  /** Workspace and channel ids. */
  readonly slack: SlackConfig;
  /** Delivered to `slack.reportChannelId` when set. */
  readonly reportTopic: ITopic;
  /** Delivered to `slack.alertChannelId` when set. */
  readonly alertTopic: ITopic;
  /** Delivered to `slack.alertChannelId` too, so that alarms page the alert channel. */
  readonly alarmTopic: ITopic;
}

/**
 * One Slack channel configuration per configured channel. Without an explicit guardrail Chatbot applies
 * AdministratorAccess, and every member of the channel could run AWS commands with the channel role in
 * the scanner account (in organisation mode the management account or a delegated administrator). Here
 * the channel role has no permission at all and the guardrail (`AWSDenyAll`) denies everything: the
 * channels only receive notifications, which need no permission (alarm notifications come without the
 * metric chart Chatbot would draw with CloudWatch read access). The role trusts Chatbot only for this
 * account's configurations (`aws:SourceAccount`, and `aws:SourceArn` when Chatbot sends it).
 */
export class SlackNotifications extends Construct {
  /** Configurations created, by topic. */
  readonly channels: Readonly<Partial<Record<'report' | 'alerts', SlackChannelConfiguration>>>;

  constructor(scope: Construct, id: string, props: SlackNotificationsProps) {
    super(scope, id);
    const guardrail: IManagedPolicy = ManagedPolicy.fromAwsManagedPolicyName(CHANNEL_GUARDRAIL_POLICY);
    const configurationArn = (name: string): string =>
      `arn:${Aws.PARTITION}:chatbot::${Aws.ACCOUNT_ID}:chat-configuration/slack-channel/${name}`;
    const role = new Role(this, 'ChannelRole', {
      description: 'key-audit: AWS Chatbot channel role (notifications only, no permissions)',
      assumedBy: new ServicePrincipal('chatbot.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLikeIfExists: {
          'aws:SourceArn': Object.values(CHANNEL_CONFIGURATION_NAMES).map(configurationArn),
        },
      }),
    });

    const channel = (
      configId: string,
      name: string,
      channelId: string | undefined,
      topics: readonly ITopic[],
    ): SlackChannelConfiguration | undefined =>
      channelId === undefined
        ? undefined
        : new SlackChannelConfiguration(this, configId, {
            slackChannelConfigurationName: name,
            slackWorkspaceId: props.slack.workspaceId,
            slackChannelId: channelId,
            notificationTopics: [...topics],
            role,
            guardrailPolicies: [guardrail],
            loggingLevel: LoggingLevel.ERROR,
            userRoleRequired: false,
          });
    const report = channel('ReportChannel', CHANNEL_CONFIGURATION_NAMES.report, props.slack.reportChannelId, [
      props.reportTopic,
    ]);
    const alerts = channel('AlertChannel', CHANNEL_CONFIGURATION_NAMES.alerts, props.slack.alertChannelId, [
      props.alertTopic,
      props.alarmTopic,
    ]);
    this.channels = {
      ...(report === undefined ? {} : { report }),
      ...(alerts === undefined ? {} : { alerts }),
    };
  }
}
