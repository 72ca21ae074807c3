/**
 * SNS topics with SQS subscribers in moto, to read back what key-audit published: each queue receives the
 * SNS envelope (RawMessageDelivery off), so the subject and message attributes can be checked too.
 */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SEED_REGION } from './seed-organisation.ts';

/** The SNS envelope an SQS subscriber receives. */
export interface SnsEnvelope {
  readonly Type: string;
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Subject?: string;
  /** The `sqs` key of a JSON-structured message (else `default`). */
  readonly Message: string;
  readonly MessageAttributes?: Readonly<Record<string, { readonly Type: string; readonly Value: string }>>;
}

const config = (endpoint: string) => ({
  endpoint,
  region: SEED_REGION,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});

/** A topic and the queues subscribed to it. */
export interface Subscribed {
  readonly topicArn: string;
  /** Queue URLs by name. */
  readonly queues: Readonly<Record<string, string>>;
}

/**
 * Creates `topic` and one queue per entry of `queues`, each subscribed with its filter policy (null: none).
 */
export const topicWithQueues = async (
  endpoint: string,
  topic: string,
  queues: Readonly<Record<string, Readonly<Record<string, unknown>> | null>>,
): Promise<Subscribed> => {
  const sns = new SNSClient(config(endpoint));
  const sqs = new SQSClient(config(endpoint));
  const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: topic }));
  if (topicArn === undefined) throw new Error(`moto CreateTopic ${topic} gave no ARN`);
  const urls: Record<string, string> = {};
  for (const [name, filterPolicy] of Object.entries(queues)) {
    const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes: attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    if (url === undefined || attributes?.QueueArn === undefined)
      throw new Error(`moto CreateQueue ${name} failed`);
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: attributes.QueueArn,
        Attributes: {
          RawMessageDelivery: 'false',
          ...(filterPolicy === null ? {} : { FilterPolicy: JSON.stringify(filterPolicy) }),
        },
      }),
    );
    urls[name] = url;
  }
  return { topicArn, queues: urls };
};

/** Every message in the queue, removed from it, as SNS envelopes (oldest first as SQS returns them). */
export const drain = async (endpoint: string, queueUrl: string): Promise<SnsEnvelope[]> => {
  const sqs = new SQSClient(config(endpoint));
  const envelopes: SnsEnvelope[] = [];
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (messages.length === 0) return envelopes;
    for (const message of messages) {
      envelopes.push(JSON.parse(message.Body ?? '{}') as SnsEnvelope);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
};

/** An envelope's attributes as `name -> value`. */
export const attributesOf = (envelope: SnsEnvelope): Record<string, string> =>
  Object.fromEntries(Object.entries(envelope.MessageAttributes ?? {}).map(([name, a]) => [name, a.Value]));
