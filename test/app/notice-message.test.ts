import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { noticePublisher } from '../../lambda/app/notice-message.ts';
import { enforcementNotice } from '../domain/factories.ts';

const TOPIC = 'arn:aws:sns:eu-west-2:444455556666:key-audit-alerts';

const notice = enforcementNotice;

describe('noticePublisher', () => {
  it('publishes one message per notice to the topic, in its region, with its attributes', async () => {
    const client = new SNSClient({ region: 'eu-west-2' });
    const sns = mockClient(client);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const regions: string[] = [];
    const publish = noticePublisher({
      topicArn: TOPIC,
      sns: (region) => {
        regions.push(region);
        return client;
      },
    });
    await publish(notice({ production: true }));
    expect(regions).toEqual(['eu-west-2']);
    const [call] = sns.commandCalls(PublishCommand);
    expect(call?.args[0].input).toMatchObject({
      TopicArn: TOPIC,
      MessageStructure: 'json',
      MessageAttributes: { audience: { DataType: 'String', StringValue: 'second-line' } },
    });
  });
});
