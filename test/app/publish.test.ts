import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { AlertPublishError, publishAlerts, publishReport } from '../../lambda/app/publish.ts';
import {
  AS_OF,
  everyRuleReport,
  keyTooOld,
  largeReport,
  makeReport,
} from '../present/render/report-factory.ts';

const REPORT_TOPIC = 'arn:aws:sns:eu-central-1:123456789012:key-audit-report';
const ALERT_TOPIC = 'arn:aws:sns:eu-central-1:123456789012:key-audit-alerts';
const POLICY = { alertSeverity: 'high', windowMs: 24 * 3_600_000 } as const;

const setup = () => {
  const client = new SNSClient({ region: 'eu-central-1' });
  const regions: string[] = [];
  return {
    sns: mockClient(client),
    regions,
    factory: (region: string) => {
      regions.push(region);
      return client;
    },
  };
};

describe('publishReport', () => {
  it('does publish to the topic in its own region and say what was published', async () => {
    const { sns, regions, factory } = setup();
    sns.on(PublishCommand).resolves({ MessageId: 'id-1' });
    const published = await publishReport(everyRuleReport(), { topicArn: REPORT_TOPIC, sns: factory });
    expect(regions).toEqual(['eu-central-1']);
    expect(published).toMatchObject({
      topicArn: REPORT_TOPIC,
      messageId: 'id-1',
      stage: 'complete',
      findingsOmitted: 0,
    });
    expect(published.subject).toBe(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject);
  });

  it('does say how many findings were counted rather than listed', async () => {
    const { sns, factory } = setup();
    sns.on(PublishCommand).resolves({ MessageId: 'id-1' });
    const published = await publishReport(largeReport(2000), { topicArn: REPORT_TOPIC, sns: factory });
    expect(published.stage).toBe('findings-summarised');
    expect(published.findingsOmitted).toBeGreaterThan(0);
    expect(published.bytes).toBeLessThanOrEqual(262_144);
  });
});

describe('publishAlerts', () => {
  it('does not call SNS at all when nothing qualifies', async () => {
    const { sns, factory } = setup();
    const published = await publishAlerts(makeReport([keyTooOld()]), {
      topicArn: ALERT_TOPIC,
      sns: factory,
      alertPolicy: POLICY,
    });
    expect(published).toMatchObject({ alerted: 0, messageIds: [], individual: 0, digests: 0 });
    expect(published.newSince).toEqual(new Date(AS_OF.getTime() - POLICY.windowMs));
    expect(sns.calls()).toHaveLength(0);
  });

  it('does publish one batch entry per alerted finding and the digests beyond the cap', async () => {
    const { sns, factory } = setup();
    sns.on(PublishBatchCommand).callsFake((input) => ({
      Successful: (input.PublishBatchRequestEntries ?? []).map((e: { Id?: string }) => ({
        Id: e.Id,
        MessageId: e.Id,
      })),
    }));
    const fresh = Array.from({ length: 4 }, (_, i) =>
      keyTooOld({ ageDays: 90, userName: `u${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}` }),
    );
    const published = await publishAlerts(makeReport(fresh), {
      topicArn: ALERT_TOPIC,
      sns: factory,
      alertPolicy: POLICY,
      maxMessages: 2,
    });
    expect(published).toMatchObject({
      alerted: 4,
      individual: 2,
      digests: 1,
      messageIds: ['m0', 'm1', 'm2'],
    });
  });

  it('does say which findings were delivered, digests included', async () => {
    const { sns, factory } = setup();
    sns.on(PublishBatchCommand).callsFake((input) => ({
      Successful: (input.PublishBatchRequestEntries ?? []).map((e: { Id?: string }) => ({
        Id: e.Id,
        MessageId: e.Id,
      })),
    }));
    const fresh = Array.from({ length: 3 }, (_, i) =>
      keyTooOld({ ageDays: 90, userName: `u${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}` }),
    );
    const published = await publishAlerts(makeReport(fresh), {
      topicArn: ALERT_TOPIC,
      sns: factory,
      alertPolicy: POLICY,
      maxMessages: 1,
    });
    expect(published.delivered).toEqual(fresh.map((f) => ({ findingId: f.id, severity: 'high' })));
  });

  it('does publish the findings chosen by a history, whatever the window says', async () => {
    const { sns, factory } = setup();
    sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: 'm0', MessageId: 'id-0' }] });
    const standing = keyTooOld({ ageDays: 134 });
    const published = await publishAlerts(makeReport([standing]), {
      topicArn: ALERT_TOPIC,
      sns: factory,
      alertPolicy: POLICY,
      selected: [{ finding: standing, reason: 'new' }],
    });
    expect(published).toMatchObject({ alerted: 1, newSince: null, messageIds: ['id-0'] });
    expect(published.delivered).toEqual([{ findingId: standing.id, severity: 'high' }]);
  });

  it('does throw an AlertPublishError naming the findings delivered before a message failed', async () => {
    const { sns, factory } = setup();
    sns.on(PublishBatchCommand).callsFake((input) => {
      const entries: { Id?: string }[] = input.PublishBatchRequestEntries ?? [];
      return {
        Successful: entries.filter((e) => e.Id !== 'm1').map((e) => ({ Id: e.Id, MessageId: `id-${e.Id}` })),
        Failed: entries
          .filter((e) => e.Id === 'm1')
          .map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false, Message: 'try later' })),
      };
    });
    const fresh = Array.from({ length: 3 }, (_, i) =>
      keyTooOld({ ageDays: 90, userName: `u${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}` }),
    );
    const error = (await publishAlerts(makeReport(fresh), {
      topicArn: ALERT_TOPIC,
      sns: factory,
      alertPolicy: POLICY,
    }).catch((e: unknown) => e)) as AlertPublishError;
    expect(error).toBeInstanceOf(AlertPublishError);
    expect(error.code).toBe('InternalError');
    expect(error.messageIds).toEqual(['id-m0', 'id-m2']);
    const [first, , third] = fresh;
    expect(error.delivered).toEqual([
      { findingId: first?.id, severity: 'high' },
      { findingId: third?.id, severity: 'high' },
    ]);
  });
});
