/**
 * Where reports and alerts go: two SNS topics encrypted with one customer managed KMS key, TLS-only, and
 * publishable only by the scanner role (and, for alerts, by CloudWatch alarms of this account). A team
 * that already has topics (or a key) brings its own instead.
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
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
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
  /**
   * An existing report topic, used as it is: its policy is left alone, the publisher is granted
   * `sns:Publish` on it (and its `masterKey`, when known). @default a new topic
   */
  readonly reportTopic?: ITopic;
  /**
   * An existing alert topic, used as `reportTopic` is. CloudWatch alarms publish to it too: if it is
   * encrypted, its key policy must let `cloudwatch.amazonaws.com` use the key. @default a new topic
   */
  readonly alertTopic?: ITopic;
  /**
   * The key of the topics created here. An imported key's policy is not changed: it must let
   * `cloudwatch.amazonaws.com` use it for alarms. @default a new customer managed key, if a topic is created
   */
  readonly key?: IKey;
}

/**
 * The report topic and the alert topic. Email subscriptions stay pending until each recipient confirms.
 * The key is deleted (after a 7-day waiting period) with the stack: SNS keeps no messages at rest, so
 * nothing outlives the topics that would need it.
 */
export class NotificationTopics extends Construct {
  /** The key of the topics created here; none when both topics were brought. */
  readonly key?: IKey;
  /** Weekly reports. */
  readonly reportTopic: ITopic;
  /** Alerts of the alerts job, and CloudWatch alarms. */
  readonly alertTopic: ITopic;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps) {
    super(scope, id);
    // One key for the topics created here, made (or taken from props) only if a topic is created.
    let key: IKey | undefined;
    const topicKey = (): IKey => {
      key ??= this.prepareKey(props.key);
      return key;
    };
    this.reportTopic =
      props.reportTopic ?? this.topic('ReportTopic', 'key-audit report', props, topicKey(), false);
    this.alertTopic =
      props.alertTopic ?? this.topic('AlertTopic', 'key-audit alerts', props, topicKey(), true);
    this.key = key;
    this.subscribe('Report', this.reportTopic, props.reportEmails ?? [], props.reportTopic === undefined);
    this.subscribe('Alert', this.alertTopic, props.alertEmails ?? [], props.alertTopic === undefined);

    props.publisher.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PublishReportsAndAlerts',
        actions: ['sns:Publish'],
        resources: [this.reportTopic.topicArn, this.alertTopic.topicArn],
      }),
    );
    // Explicit actions rather than grantPublish's `kms:GenerateDataKey*`: only what publishing needs.
    const keyArns = [
      ...new Set([this.reportTopic.masterKey?.keyArn, this.alertTopic.masterKey?.keyArn]),
    ].filter((arn) => arn !== undefined);
    if (keyArns.length > 0) {
      props.publisher.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'EncryptForEncryptedTopics',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: keyArns,
        }),
      );
    }
  }

  /**
   * Email subscriptions. `addSubscription` would create them in the topic's own scope, which for a
   * topic brought from elsewhere is somebody else's stack, so those are created here instead.
   */
  private subscribe(which: string, topic: ITopic, emails: readonly string[], created: boolean): void {
    emails.forEach((email, i) => {
      if (created) topic.addSubscription(new EmailSubscription(email));
      else {
        new Subscription(this, `${which}EmailSubscription${i + 1}`, {
          topic,
          protocol: SubscriptionProtocol.EMAIL,
          endpoint: email,
        });
      }
    });
  }

  private prepareKey(given: IKey | undefined): IKey {
    const key =
      given ??
      new Key(this, 'Key', {
        description: 'key-audit: encrypts the report and alert SNS topics',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
        pendingWindow: Duration.days(7),
      });
    // CloudWatch publishes alarm notifications as a service principal, so it needs the key in the key
    // policy; the scanner role is granted it through its own policy (the default key policy delegates
    // to IAM). Subscribers (email, AWS Chatbot over HTTPS) receive plaintext from SNS and need nothing.
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    return key;
  }

  private topic(
    id: string,
    displayName: string,
    props: NotificationTopicsProps,
    key: IKey,
    allowAlarms: boolean,
  ): Topic {
    const topic = new Topic(this, id, {
      displayName,
      masterKey: key,
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
    return topic;
  }
}
