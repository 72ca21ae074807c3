/**
 * Where reports and alerts go: two SNS topics encrypted with one customer managed KMS key, TLS-only, and
 * publishable only by the scanner role (and, for alerts, by CloudWatch alarms of this account).
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AnyPrincipal,
  ArnPrincipal,
  Effect,
  type IRole,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Properties of `NotificationTopics`. */
export interface NotificationTopicsProps {
  /** The only IAM principal allowed to publish (the scanner role). */
  readonly publisher: IRole;
  /** Email addresses subscribed to the report topic. @default [] */
  readonly reportEmails?: readonly string[];
  /** Email addresses subscribed to the alert topic. @default [] */
  readonly alertEmails?: readonly string[];
}

/**
 * The report topic and the alert topic. Email subscriptions stay pending until each recipient confirms.
 * The key is deleted (after a 7-day waiting period) with the stack: SNS keeps no messages at rest, so
 * nothing outlives the topics that would need it.
 */
export class NotificationTopics extends Construct {
  /** The customer managed key of both topics. */
  readonly key: Key;
  /** Weekly reports. */
  readonly reportTopic: Topic;
  /** Alerts of the alerts job, and CloudWatch alarms. */
  readonly alertTopic: Topic;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'key-audit: encrypts the report and alert SNS topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch publishes alarm notifications as a service principal, so it needs the key in the key
    // policy; the scanner role is granted it through its own policy (the default key policy delegates
    // to IAM). Subscribers (email, AWS Chatbot over HTTPS) receive plaintext from SNS and need nothing.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );

    this.reportTopic = this.topic('ReportTopic', 'key-audit report', props, props.reportEmails ?? [], false);
    this.alertTopic = this.topic('AlertTopic', 'key-audit alerts', props, props.alertEmails ?? [], true);

    props.publisher.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PublishReportsAndAlerts',
        actions: ['sns:Publish'],
        resources: [this.reportTopic.topicArn, this.alertTopic.topicArn],
      }),
    );
    props.publisher.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'EncryptForEncryptedTopics',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.key.keyArn],
      }),
    );
  }

  private topic(
    id: string,
    displayName: string,
    props: NotificationTopicsProps,
    emails: readonly string[],
    allowAlarms: boolean,
  ): Topic {
    const topic = new Topic(this, id, {
      displayName,
      masterKey: this.key,
      enforceSSL: true,
      signatureVersion: '2',
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowScannerToPublish',
        principals: [new ArnPrincipal(props.publisher.roleArn)],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
      }),
    );
    if (allowAlarms) {
      topic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToPublish',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: {
            ArnLike: {
              'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
            },
            StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          },
        }),
      );
    }
    // Identity policies of the account (administrators, CI roles) could otherwise publish too. Service
    // principals carry no aws:PrincipalArn and are matched by the Allow statements above instead.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyPublishingByAnyOtherPrincipal',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringNotEqualsIfExists: { 'aws:PrincipalArn': props.publisher.roleArn },
          Null: { 'aws:PrincipalServiceName': 'true' },
        },
      }),
    );
    for (const email of emails) topic.addSubscription(new EmailSubscription(email));
    return topic;
  }
}
