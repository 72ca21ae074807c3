import {
  AuthorizationErrorException,
  InvalidParameterException,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { AwsAdapterError } from '../../lambda/aws/aws-error.ts';
import { DEFAULT_MAX_ATTEMPTS } from '../../lambda/aws/client-factory.ts';
import {
  batchesOf,
  createSnsClientFactory,
  MAX_BATCH_BYTES,
  publishInput,
  publishMessage,
  publishMessages,
  SnsPublishError,
  topicRegion,
} from '../../lambda/aws/sns-publisher.ts';
import { isTopicArn } from '../../lambda/domain/aws-ids.ts';
import { type SnsMessage, snsMessageBytes } from '../../lambda/present/sns/index.ts';

const TOPIC = 'arn:aws:sns:eu-west-2:123456789012:key-audit-alerts';

const message = (n: number, size = 100): SnsMessage => ({
  subject: `alert ${n}`,
  message: JSON.stringify({ default: `m${n}`.padEnd(size, '.') }),
  attributes: { severity: { type: 'String', value: 'high' }, violations: { type: 'Number', value: '3' } },
});

const setup = () => {
  const client = new SNSClient({ region: 'eu-west-2' });
  return { client, sns: mockClient(client) };
};

/** Entry ids of every PublishBatch call, in order. */
const batchIds = (sns: ReturnType<typeof setup>['sns']): string[][] =>
  sns
    .commandCalls(PublishBatchCommand)
    .map((call) => (call.args[0].input.PublishBatchRequestEntries ?? []).map((e) => e.Id ?? ''));

describe('publishMessage', () => {
  it('does publish a JSON-structured message with its subject and typed attributes', async () => {
    const { client, sns } = setup();
    sns.on(PublishCommand).resolves({ MessageId: 'id-1' });
    await expect(publishMessage(client, TOPIC, message(1))).resolves.toBe('id-1');
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: 'alert 1',
      Message: message(1).message,
      MessageStructure: 'json',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'high' },
        violations: { DataType: 'Number', StringValue: '3' },
      },
    });
  });

  it('does throw an SnsPublishError naming the message and the AWS error, keeping it as cause', async () => {
    const { client, sns } = setup();
    const denied = new AuthorizationErrorException({
      message: 'not authorized to perform SNS:Publish',
      $metadata: {},
    });
    sns.on(PublishCommand).rejects(denied);
    const error = await publishMessage(client, TOPIC, message(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnsPublishError);
    expect(error).toBeInstanceOf(AwsAdapterError);
    expect(error).toMatchObject({ name: 'SnsPublishError', code: 'AuthorizationErrorException' });
    expect((error as SnsPublishError).cause).toBe(denied);
    expect((error as SnsPublishError).failures).toEqual([
      {
        subject: 'alert 1',
        code: 'AuthorizationErrorException',
        message: 'not authorized to perform SNS:Publish',
        senderFault: false,
      },
    ]);
    expect((error as Error).message).toContain(TOPIC);
    expect((error as Error).message).toContain('AuthorizationErrorException');
  });

  it('does add a message group and deduplication id for a FIFO topic', () => {
    const fifo = 'arn:aws:sns:eu-west-2:123456789012:key-audit.fifo';
    const input = publishInput(fifo, message(1));
    expect(input).toMatchObject({ MessageGroupId: 'key-audit' });
    expect(input.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(publishInput(TOPIC, message(1))).not.toHaveProperty('MessageGroupId');
  });
});

describe('batchesOf', () => {
  const sizes = (batches: SnsMessage[][]): number[] => batches.map((b) => b.length);

  it('does put at most 10 entries in a batch', () => {
    const messages = Array.from({ length: 25 }, (_, i) => message(i));
    const batches = batchesOf(messages, snsMessageBytes);
    expect(sizes(batches)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(messages);
  });

  it('does keep each batch within 262,144 bytes together', () => {
    const big = Array.from({ length: 5 }, (_, i) => message(i, 100_000));
    const batches = batchesOf(big, snsMessageBytes);
    expect(sizes(batches)).toEqual([2, 2, 1]);
    for (const batch of batches) {
      expect(batch.reduce((sum, m) => sum + snsMessageBytes(m), 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    }
  });

  it('does give an oversized message a batch of its own rather than dropping it', () => {
    expect(sizes(batchesOf([message(1), message(2, 300_000), message(3)], snsMessageBytes))).toEqual([
      1, 1, 1,
    ]);
  });
});

describe('publishMessages', () => {
  it('does publish in batches and return the message ids in message order', async () => {
    const { client, sns } = setup();
    sns.on(PublishBatchCommand).callsFake((input) => ({
      Successful: [...(input.PublishBatchRequestEntries ?? [])]
        .reverse()
        .map((e: { Id?: string }) => ({ Id: e.Id, MessageId: `id-${e.Id}` })),
      Failed: [],
    }));
    const ids = await publishMessages(
      client,
      TOPIC,
      Array.from({ length: 12 }, (_, i) => message(i)),
    );
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => `id-m${i}`));
    expect(batchIds(sns).map((b) => b.length)).toEqual([10, 2]);
    const entry = sns.commandCalls(PublishBatchCommand)[0]?.args[0].input.PublishBatchRequestEntries?.[0];
    expect(entry).toMatchObject({ MessageStructure: 'json', Subject: 'alert 0' });
  });

  it('does retry the entries a batch reports as failed once, and succeeds when the retry does', async () => {
    const { client, sns } = setup();
    sns
      .on(PublishBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: 'm0', MessageId: 'id-0' }],
        Failed: [{ Id: 'm1', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
      })
      .resolvesOnce({ Successful: [{ Id: 'm1', MessageId: 'id-1' }], Failed: [] });
    await expect(publishMessages(client, TOPIC, [message(0), message(1)])).resolves.toEqual(['id-0', 'id-1']);
    expect(batchIds(sns)).toEqual([['m0', 'm1'], ['m1']]);
  });

  it('does throw listing every entry still failing after the retry, with the ids already published', async () => {
    const { client, sns } = setup();
    sns.on(PublishBatchCommand).callsFake((input) => {
      const entries = input.PublishBatchRequestEntries ?? [];
      return {
        Successful: entries
          .filter((e: { Id?: string }) => e.Id === 'm0')
          .map(() => ({ Id: 'm0', MessageId: 'id-0' })),
        Failed: entries
          .filter((e: { Id?: string }) => e.Id !== 'm0')
          .map((e: { Id?: string }) => ({
            Id: e.Id,
            Code: 'InvalidParameter',
            SenderFault: true,
            Message: 'bad',
          })),
      };
    });
    const error = (await publishMessages(client, TOPIC, [message(0), message(1), message(2)]).catch(
      (e: unknown) => e,
    )) as SnsPublishError;
    expect(error).toBeInstanceOf(SnsPublishError);
    expect(error.messageIds).toEqual(['id-0']);
    expect(error.publishedIndexes).toEqual([0]);
    expect(error.failures.map((f) => [f.subject, f.code, f.senderFault])).toEqual([
      ['alert 1', 'InvalidParameter', true],
      ['alert 2', 'InvalidParameter', true],
    ]);
    expect(error.message).toContain('"alert 1": InvalidParameter: bad');
    expect(batchIds(sns)).toEqual([
      ['m0', 'm1', 'm2'],
      ['m1', 'm2'],
    ]);
  });

  it('does count an entry SNS reports neither way as failed', async () => {
    const { client, sns } = setup();
    sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: 'm0', MessageId: 'id-0' }] });
    const error = (await publishMessages(client, TOPIC, [message(0), message(1)]).catch(
      (e: unknown) => e,
    )) as SnsPublishError;
    expect(error.failures.map((f) => f.code)).toEqual(['NotAcknowledged']);
  });

  it('does still publish later batches when one batch call fails, then throws with its cause', async () => {
    const { client, sns } = setup();
    const throttled = new ThrottledException({ message: 'Rate exceeded', $metadata: {} });
    sns
      .on(PublishBatchCommand)
      .rejectsOnce(throttled)
      .callsFake((input) => ({
        Successful: (input.PublishBatchRequestEntries ?? []).map((e: { Id?: string }) => ({
          Id: e.Id,
          MessageId: `id-${e.Id}`,
        })),
      }));
    const error = (await publishMessages(
      client,
      TOPIC,
      Array.from({ length: 12 }, (_, i) => message(i)),
    ).catch((e: unknown) => e)) as SnsPublishError;
    expect(error).toBeInstanceOf(SnsPublishError);
    expect(error.cause).toBe(throttled);
    expect(error.failures).toHaveLength(10);
    expect(error.failures.every((f) => f.code === 'ThrottledException')).toBe(true);
    expect(error.messageIds).toEqual(['id-m10', 'id-m11']);
    expect(error.publishedIndexes).toEqual([10, 11]);
  });

  it('does not call SNS for no messages', async () => {
    const { client, sns } = setup();
    await expect(publishMessages(client, TOPIC, [])).resolves.toEqual([]);
    expect(sns.calls()).toHaveLength(0);
  });

  it('does surface a batch rejected as a whole (a real SNS exception class) as SnsPublishError', async () => {
    const { client, sns } = setup();
    sns
      .on(PublishBatchCommand)
      .rejects(new InvalidParameterException({ message: 'Invalid parameter', $metadata: {} }));
    await expect(publishMessages(client, TOPIC, [message(0)])).rejects.toThrow(
      /failed for 1 message: "alert 0": InvalidParameterException: Invalid parameter/,
    );
  });
});

describe('topicRegion', () => {
  it.each([
    ['arn:aws:sns:eu-west-2:123456789012:key-audit-report', 'eu-west-2'],
    ['arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts.fifo', 'us-gov-west-1'],
  ])('does read the region of %s', (arn, region) => {
    expect(isTopicArn(arn)).toBe(true);
    expect(topicRegion(arn)).toBe(region);
  });

  it.each([['arn:aws:sqs:eu-west-2:123456789012:q'], ['key-audit-report'], ['']])('does refuse %j', (arn) => {
    expect(isTopicArn(arn)).toBe(false);
    expect(() => topicRegion(arn)).toThrow(RangeError);
  });
});

describe('createSnsClientFactory', () => {
  it('does build one client per region with the raised retry attempts', async () => {
    const factory = createSnsClientFactory({ env: {} });
    const client = factory('eu-west-2');
    expect(factory('eu-west-2')).toBe(client);
    expect(factory('us-east-1')).not.toBe(client);
    expect(await client.config.region()).toBe('eu-west-2');
    expect(await client.config.maxAttempts()).toBe(DEFAULT_MAX_ATTEMPTS);
  });
});
