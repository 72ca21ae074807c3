/**
 * Where reports and alerts go: two SNS topics encrypted with one customer managed KMS key, TLS-only, and
 * publishable only by the scanner role. A team that already has topics (or a key) brings its own instead.
 * The scanner's alarms go to a topic of their own (lib/alarm-topic.ts).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, ArnPrincipal, Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
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
  /** An existing alert topic, used as `reportTopic` is. @default a new topic */
  readonly alertTopic?: ITopic;
  /** The key of the topics created here. @default a new customer managed key, if a topic is created */
  readonly key?: IKey;
}

/**
 * Subscribes `emails` to `topic`. `addSubscription` would create the subscriptions in the topic's own
 * scope, which for a topic brought from elsewhere is somebody else's stack, so those are created in
 * `scope` instead (ids `<idPrefix>EmailSubscription<n>`).
 */
export const subscribeEmails = (
  scope: Construct,
  idPrefix: string,
  topic: ITopic,
  emails: readonly string[],
  created: boolean,
): void => {
  emails.forEach((email, i) => {
    if (created) topic.addSubscription(new EmailSubscription(email));
    else {
      new Subscription(scope, `${idPrefix}EmailSubscription${i + 1}`, {
        topic,
        protocol: SubscriptionProtocol.EMAIL,
        endpoint: email,
      });
    }
  });
};

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
  /** Alerts of the alerts job. */
  readonly alertTopic: ITopic;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps) {
    super(scope, id);
    // One key for the topics created here, made (or taken from props) only if a topic is created.
    let key: IKey | undefined;
    const topicKey = (): IKey => {
      key ??= this.prepareKey(props.key);
      return key;
    };
    this.reportTopic = props.reportTopic ?? this.topic('ReportTopic', 'key-audit report', props, topicKey());
    this.alertTopic = props.alertTopic ?? this.topic('AlertTopic', 'key-audit alerts', props, topicKey());
    this.key = key;
    subscribeEmails(
      this,
      'Report',
      this.reportTopic,
      props.reportEmails ?? [],
      props.reportTopic === undefined,
    );
    subscribeEmails(this, 'Alert', this.alertTopic, props.alertEmails ?? [], props.alertTopic === undefined);

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
   * The given key, or a new one. The scanner role is granted it through its own policy (the default key
   * policy delegates to IAM); subscribers (email, AWS Chatbot over HTTPS) receive plaintext from SNS and
   * need nothing. No service principal is in the key policy: alarms publish to the alarm topic.
   */
  private prepareKey(given: IKey | undefined): IKey {
    return (
      given ??
      new Key(this, 'Key', {
        description: 'key-audit: encrypts the report and alert SNS topics',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
        pendingWindow: Duration.days(7),
      })
    );
  }

  private topic(id: string, displayName: string, props: NotificationTopicsProps, key: IKey): Topic {
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
    // Identity policies of the account (administrators, CI roles) could otherwise publish too, and no
    // service needs to (alarms have a topic of their own).
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyPublishingByAnyOtherPrincipal',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.publisher.roleArn } },
      }),
    );
    return topic;
  }
}
