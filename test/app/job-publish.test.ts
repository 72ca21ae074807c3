import {
  AuthorizationErrorException,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { DST_ALLOWANCE_MS, publishAlertsJob, publishReportJob } from '../../lambda/app/job-publish.ts';
import { SnsPublishError } from '../../lambda/aws/sns-publisher.ts';
import type { JsonReport } from '../../lambda/present/render/json.ts';
import { AS_OF, keyTooOld, makeReport } from '../present/render/report-factory.ts';
import { recordingLogger, recordingMetrics } from './job-fakes.ts';

const REPORT_TOPIC = 'arn:aws:sns:eu-west-2:999999999999:key-audit-report';
const ALERT_TOPIC = 'arn:aws:sns:eu-west-2:999999999999:key-audit-alerts';
const ALERTS = { alertTopicArn: ALERT_TOPIC, alertSeverity: 'high', alertWindowHours: 24 } as const;

const setup = () => {
  const client = new SNSClient({ region: 'eu-west-2' });
  return {
    sns: mockClient(client),
    deps: { sns: () => client, logger: recordingLogger(), metrics: recordingMetrics() },
  };
};

/** Keys that crossed the age limit just now: new, so alerted one by one. */
const freshFindings = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    keyTooOld({ ageDays: 90, userName: `u${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}` }),
  );

describe('publishReportJob', () => {
  it('does log the published message', async () => {
    const { sns, deps } = setup();
    sns.on(PublishCommand).resolves({ MessageId: 'report-1' });
    await publishReportJob(makeReport(freshFindings(1)), { reportTopicArn: REPORT_TOPIC }, deps);
    expect(deps.logger.lines).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'report published',
        fields: expect.objectContaining({ job: 'report', messageIds: ['report-1'], topicArn: REPORT_TOPIC }),
      }),
    ]);
  });

  it('does log the whole report at error level before rethrowing when SNS refuses it', async () => {
    const { sns, deps } = setup();
    sns.on(PublishCommand).rejects(new AuthorizationErrorException({ message: 'denied', $metadata: {} }));
    const report = makeReport(freshFindings(2));
    await expect(publishReportJob(report, { reportTopicArn: REPORT_TOPIC }, deps)).rejects.toThrow(
      SnsPublishError,
    );
    const errors = deps.logger.lines.filter((l) => l.level === 'error');
    expect(errors[0]?.message).toBe('report could not be published');
    expect(errors.flatMap((l) => (l.fields.findings as unknown[] | undefined) ?? [])).toHaveLength(2);
  });
});

describe('publishAlertsJob', () => {
  it('does widen the alert window by the daylight-saving allowance', async () => {
    const { deps } = setup();
    const publication = await publishAlertsJob(makeReport([]), ALERTS, deps);
    expect(publication.newSince).toEqual(new Date(AS_OF.getTime() - 24 * 3_600_000 - DST_ALLOWANCE_MS));
    expect(deps.logger.lines[0]?.message).toBe('no alerts: nothing new or critical');
    expect(deps.metrics.added).toEqual([{ name: 'AlertsPublished', unit: 'Count', value: 0 }]);
  });

  it('does count and log the messages SNS accepted, then rethrow, when some alerts are refused', async () => {
    const { sns, deps } = setup();
    sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries?: { Id?: string }[] }) => {
      const [first, ...rest] = input.PublishBatchRequestEntries ?? [];
      return {
        Successful: first?.Id === 'm0' ? [{ Id: 'm0', MessageId: 'alert-0' }] : [],
        Failed: [...(first?.Id === 'm0' ? [] : [first]), ...rest].map((entry) => ({
          Id: entry?.Id,
          Code: 'InternalError',
          SenderFault: false,
        })),
      };
    });
    const error = await publishAlertsJob(makeReport(freshFindings(3)), ALERTS, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnsPublishError);
    expect(deps.metrics.added).toEqual([{ name: 'AlertsPublished', unit: 'Count', value: 1 }]);
    const errors = deps.logger.lines.filter((l) => l.level === 'error');
    expect(errors[0]).toMatchObject({
      message: 'alerts could not be published',
      fields: { job: 'alerts', topicArn: ALERT_TOPIC, messageIds: ['alert-0'] },
    });
    expect((errors[0]?.fields.report as JsonReport | undefined)?.kind).toBe('alert');
    expect(errors.flatMap((l) => (l.fields.findings as unknown[] | undefined) ?? [])).toHaveLength(3);
  });
});
