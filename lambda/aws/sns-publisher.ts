/**
 * Publishing to SNS: one message with `Publish`, many with `PublishBatch` (10 entries and 262,144 bytes
 * per call at most). The SDK retries throttling and server errors (`maxAttempts` from `clientConfig`);
 * entries a batch reports as failed are retried once more, then the publish fails naming each of them.
 * Nothing is dropped silently: a message that was not accepted always ends in an `SnsPublishError`.
 */
import { createHash } from 'node:crypto';
import {
  type MessageAttributeValue,
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { TOPIC_ARN } from '../domain/aws-ids.ts';
import { type SnsMessage, snsMessageBytes } from '../present/sns/index.ts';
import { AwsAdapterError, awsErrorCode, awsErrorMessage } from './aws-error.ts';
import { type ClientFactoryOptions, clientConfig } from './client-factory.ts';

/** Entries per `PublishBatch` call (an SNS limit). */
export const MAX_BATCH_ENTRIES = 10;

/** Bytes of all entries of one `PublishBatch` call together (an SNS limit). */
export const MAX_BATCH_BYTES = 262_144;

/** A message SNS did not accept. */
export interface PublishFailure {
  /** The message's subject, to say which one failed. */
  readonly subject: string;
  /** AWS error code, e.g. `InvalidParameter`, `AuthorizationError`. */
  readonly code: string;
  readonly message: string;
  /** True when AWS blames the request (retrying cannot help). */
  readonly senderFault: boolean;
}

/**
 * Publishing failed after the SDK's retries (and, for batch entries, one more try). `code` is the AWS error
 * code of the first message that failed.
 */
export class SnsPublishError extends AwsAdapterError {
  override readonly name: string = 'SnsPublishError';
  /**
   * Positions (in the list given to `publishMessages`) of the messages that WERE published, in order, one
   * per entry of `messageIds`: what a caller needs to tell which alerts reached the topic.
   */
  readonly publishedIndexes: readonly number[];
  constructor(
    readonly topicArn: string,
    readonly failures: readonly PublishFailure[],
    /** Message ids of the messages that WERE published before the failure, in order. */
    readonly messageIds: readonly string[],
    options?: { cause?: unknown; publishedIndexes?: readonly number[] },
  ) {
    super(
      failures[0]?.code ?? 'PublishFailed',
      `publishing to ${topicArn} failed for ${failures.length} message${failures.length === 1 ? '' : 's'}` +
        `${messageIds.length > 0 ? ` (${messageIds.length} published)` : ''}: ` +
        failures.map((f) => `"${f.subject}": ${f.code}: ${f.message}`).join('; '),
      options,
    );
    this.publishedIndexes = options?.publishedIndexes ?? [];
  }
}

/** SNS clients by region (a topic must be published to in its own region). */
export type SnsClientFactory = (region: string) => SNSClient;

/** Real SNS clients with key-audit's retry configuration, one per region. */
export const createSnsClientFactory = (
  options: Omit<ClientFactoryOptions, 'region'> = {},
): SnsClientFactory => {
  const clients = new Map<string, SNSClient>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = new SNSClient(clientConfig({ ...options, region }));
      clients.set(region, client);
    }
    return client;
  };
};

/** The region of a topic ARN (`arn:aws:sns:eu-west-2:...` -> `eu-west-2`). */
export const topicRegion = (topicArn: string): string => {
  const match = TOPIC_ARN.exec(topicArn);
  if (match?.[1] === undefined) throw new RangeError(`not an SNS topic ARN: "${topicArn}"`);
  return match[1];
};

const isFifo = (topicArn: string): boolean => topicArn.endsWith('.fifo');

const attributesOf = (message: SnsMessage): Record<string, MessageAttributeValue> =>
  Object.fromEntries(
    Object.entries(message.attributes).map(([name, a]) => [name, { DataType: a.type, StringValue: a.value }]),
  );

/** FIFO topics need a group and (without content-based deduplication) a deduplication id. */
const fifoFields = (topicArn: string, message: SnsMessage) =>
  isFifo(topicArn)
    ? {
        MessageGroupId: 'key-audit',
        MessageDeduplicationId: createHash('sha256')
          .update(message.subject)
          .update(message.message)
          .digest('hex'),
      }
    : {};

/** The `Publish` input of `message`. */
export const publishInput = (topicArn: string, message: SnsMessage) => ({
  TopicArn: topicArn,
  Subject: message.subject,
  Message: message.message,
  MessageStructure: 'json',
  MessageAttributes: attributesOf(message),
  ...fifoFields(topicArn, message),
});

/** Publishes one message; returns its message id. */
export const publishMessage = async (
  sns: SNSClient,
  topicArn: string,
  message: SnsMessage,
): Promise<string> => {
  let messageId: string | undefined;
  try {
    ({ MessageId: messageId } = await sns.send(new PublishCommand(publishInput(topicArn, message))));
  } catch (error) {
    throw new SnsPublishError(
      topicArn,
      [
        {
          subject: message.subject,
          code: awsErrorCode(error),
          message: awsErrorMessage(error),
          senderFault: false,
        },
      ],
      [],
      { cause: error },
    );
  }
  if (messageId === undefined) {
    throw new SnsPublishError(
      topicArn,
      [
        {
          subject: message.subject,
          code: 'NoMessageId',
          message: 'SNS returned no message id',
          senderFault: false,
        },
      ],
      [],
    );
  }
  return messageId;
};

/**
 * `items` in order, grouped into batches of at most `maxEntries` entries and `maxBytes` bytes together
 * (`sizeOf` measures one). An item larger than `maxBytes` on its own still gets a batch (SNS then reports
 * it as failed, and the failure is raised).
 */
export const batchesOf = <T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  limits: { readonly maxEntries?: number; readonly maxBytes?: number } = {},
): T[][] => {
  const maxEntries = limits.maxEntries ?? MAX_BATCH_ENTRIES;
  const maxBytes = limits.maxBytes ?? MAX_BATCH_BYTES;
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= maxEntries || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

interface Entry {
  readonly index: number;
  readonly message: SnsMessage;
}

/** One `PublishBatch` call: ids of the accepted entries by index, and the failed ones. */
const sendBatch = async (
  sns: SNSClient,
  topicArn: string,
  entries: readonly Entry[],
): Promise<{ published: Map<number, string>; failed: { entry: Entry; failure: PublishFailure }[] }> => {
  const byId = new Map(entries.map((entry) => [`m${entry.index}`, entry]));
  const request: PublishBatchRequestEntry[] = entries.map((entry) => ({
    Id: `m${entry.index}`,
    ...publishInput(topicArn, entry.message),
  }));
  const response = await sns.send(
    new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: request }),
  );
  const published = new Map<number, string>();
  for (const ok of response.Successful ?? []) {
    const entry = ok.Id === undefined ? undefined : byId.get(ok.Id);
    if (entry !== undefined && ok.MessageId !== undefined) published.set(entry.index, ok.MessageId);
  }
  const failed: { entry: Entry; failure: PublishFailure }[] = [];
  const reported = new Map((response.Failed ?? []).map((f) => [f.Id, f]));
  // An entry neither in Successful nor in Failed was not published either: count it as failed.
  for (const entry of entries) {
    if (published.has(entry.index)) continue;
    const failure = reported.get(`m${entry.index}`);
    failed.push({
      entry,
      failure: {
        subject: entry.message.subject,
        code: failure?.Code ?? 'NotAcknowledged',
        message: failure?.Message ?? 'SNS reported the entry neither as published nor as failed',
        senderFault: failure?.SenderFault ?? false,
      },
    });
  }
  return { published, failed };
};

/**
 * Publishes `messages` with `PublishBatch` (see `batchesOf`); returns their message ids in order. Entries
 * a batch reports as failed are sent once more. Every batch is tried even when an earlier one failed (so
 * one bad message does not hold back the other pages); then, if any message was not published, throws an
 * `SnsPublishError` listing each failure and the ids of the messages that were published.
 */
export const publishMessages = async (
  sns: SNSClient,
  topicArn: string,
  messages: readonly SnsMessage[],
): Promise<string[]> => {
  const entries: Entry[] = messages.map((message, index) => ({ index, message }));
  const ids = new Map<number, string>();
  const failures: PublishFailure[] = [];
  let firstError: unknown;
  for (const batch of batchesOf(entries, (entry) => snsMessageBytes(entry.message))) {
    let pending: readonly Entry[] = batch;
    let lastFailures: PublishFailure[] = [];
    for (let attempt = 0; attempt < 2 && pending.length > 0; attempt += 1) {
      try {
        const result = await sendBatch(sns, topicArn, pending);
        for (const [index, id] of result.published) ids.set(index, id);
        pending = result.failed.map((f) => f.entry);
        lastFailures = result.failed.map((f) => f.failure);
      } catch (error) {
        // The SDK has already retried the call itself; a second round would only repeat that.
        firstError ??= error;
        lastFailures = pending.map((entry) => ({
          subject: entry.message.subject,
          code: awsErrorCode(error),
          message: awsErrorMessage(error),
          senderFault: false,
        }));
        break;
      }
    }
    if (pending.length > 0) failures.push(...lastFailures);
  }
  const inOrder = [...ids.entries()].sort((a, b) => a[0] - b[0]);
  const published = inOrder.map(([, id]) => id);
  if (failures.length > 0) {
    throw new SnsPublishError(topicArn, failures, published, {
      publishedIndexes: inOrder.map(([index]) => index),
      ...(firstError === undefined ? {} : { cause: firstError }),
    });
  }
  return published;
};
