/**
 * Slack delivery of the topics through AWS Chatbot (Amazon Q Developer in chat applications). The Slack
 * workspace must have been authorised once in the Chatbot console; CloudFormation cannot do that step.
 */
import { LoggingLevel, SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { SlackConfig } from './config.ts';
import { acknowledgeNag } from './nag.ts';

/** Read-only CloudWatch actions of AWS Chatbot's "Notification permissions" policy template. */
export const CHATBOT_NOTIFICATION_ACTIONS: readonly string[] = [
  'cloudwatch:Describe*',
  'cloudwatch:Get*',
  'cloudwatch:List*',
];

/** Properties of `SlackNotifications`. */
export interface SlackNotificationsProps {
  /** Workspace and channel ids. */
  readonly slack: SlackConfig;
  /** Delivered to `slack.reportChannelId` when set. */
  readonly reportTopic: ITopic;
  /** Delivered to `slack.alertChannelId` when set. */
  readonly alertTopic: ITopic;
}

/**
 * One Slack channel configuration per configured channel. Channel role and guardrail are the same small
 * customer managed policy: without an explicit guardrail Chatbot applies AdministratorAccess, and
 * key-audit only needs Chatbot to render alarm notifications, never to run commands.
 */
export class SlackNotifications extends Construct {
  /** Configurations created, by topic: `report`, `alerts`. */
  readonly channels: Readonly<Partial<Record<'report' | 'alerts', SlackChannelConfiguration>>>;

  constructor(scope: Construct, id: string, props: SlackNotificationsProps) {
    super(scope, id);
    const policy = new ManagedPolicy(this, 'NotificationPolicy', {
      description:
        'key-audit: AWS Chatbot channel role and guardrail, read-only CloudWatch for alarm notifications',
      statements: [new PolicyStatement({ actions: [...CHATBOT_NOTIFICATION_ACTIONS], resources: ['*'] })],
    });
    const reason =
      'AWS Chatbot "Notification permissions" template: read-only CloudWatch actions Chatbot uses to render alarm notifications (charts); CloudWatch Describe/Get/List calls for arbitrary metrics have no narrower resource.';
    for (const action of CHATBOT_NOTIFICATION_ACTIONS) {
      acknowledgeNag(policy, `AwsSolutions-IAM5[Action::${action}]`, reason);
    }
    acknowledgeNag(policy, 'AwsSolutions-IAM5[Resource::*]', reason);
    const role = new Role(this, 'ChannelRole', {
      description: 'key-audit: AWS Chatbot channel role (notifications only)',
      assumedBy: new ServicePrincipal('chatbot.amazonaws.com'),
      managedPolicies: [policy],
    });

    const channel = (
      configId: string,
      name: string,
      channelId: string | undefined,
      topic: ITopic,
    ): SlackChannelConfiguration | undefined =>
      channelId === undefined
        ? undefined
        : new SlackChannelConfiguration(this, configId, {
            slackChannelConfigurationName: name,
            slackWorkspaceId: props.slack.workspaceId,
            slackChannelId: channelId,
            notificationTopics: [topic],
            role,
            guardrailPolicies: [policy],
            loggingLevel: LoggingLevel.ERROR,
            userRoleRequired: false,
          });
    const report = channel(
      'ReportChannel',
      'key-audit-report',
      props.slack.reportChannelId,
      props.reportTopic,
    );
    const alerts = channel('AlertChannel', 'key-audit-alerts', props.slack.alertChannelId, props.alertTopic);
    this.channels = {
      ...(report === undefined ? {} : { report }),
      ...(alerts === undefined ? {} : { alerts }),
    };
  }
}
