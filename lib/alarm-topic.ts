/**
 * Where the scanner's own alarms go: a topic of their own, encrypted with a key of its own, so that a
 * broken report or alert topic (a deleted subscription, a key policy edited away, a disabled key) still
 * leaves the alarms paging someone. Only CloudWatch alarms of this account and region publish to it.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { subscribeEmails } from './notification-topics.ts';

/**
 * The conditions that limit the CloudWatch service principal to alarms of this account and region
 * (confused-deputy protection): `aws:SourceAccount` and `aws:SourceArn`.
 */
export const alarmSourceConditions = (): Record<string, Record<string, string>> => ({
  StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
  ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
});

/** Properties of `AlarmTopic`. */
export interface AlarmTopicProps {
  /** Email addresses subscribed (each confirms by email). @default [] */
  readonly emails?: readonly string[];
  /**
   * An existing topic, used as it is: its policy is left alone, and if it is encrypted its key must let
   * `cloudwatch.amazonaws.com` use it. @default a new topic with a new key
   */
  readonly topic?: ITopic;
}

/**
 * The alarm topic. Its key is a customer managed key (CloudWatch cannot publish to a topic encrypted with
 * the AWS managed SNS key), rotated yearly, deleted 7 days after the stack like the topics' key.
 */
export class AlarmTopic extends Construct {
  /** The topic. */
  readonly topic: ITopic;
  /** Its key; undefined when the topic was brought. */
  readonly key?: IKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    if (props.topic !== undefined) {
      this.topic = props.topic;
    } else {
      const key = new Key(this, 'Key', {
        description:
          'key-audit: encrypts the alarm SNS topic (its own key, apart from the report and alert topics)',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
        pendingWindow: Duration.days(7),
      });
      key.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: alarmSourceConditions(),
        }),
      );
      const topic = new Topic(this, 'Topic', {
        displayName: 'key-audit alarms',
        masterKey: key,
        enforceSSL: true,
        signatureVersion: '2',
      });
      topic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToPublish',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: alarmSourceConditions(),
        }),
      );
      // Nobody publishes here but CloudWatch: a test page is `aws cloudwatch set-alarm-state`, which
      // exercises the whole path.
      topic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'DenyPublishingByAnyPrincipalButCloudWatch',
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { Null: { 'aws:PrincipalServiceName': 'true' } },
        }),
      );
      this.topic = topic;
      this.key = key;
    }
    subscribeEmails(this, 'Email', this.topic, props.emails ?? [], props.topic === undefined);
  }
}
