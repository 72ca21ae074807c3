import {
  AuthorizationErrorException,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { type PublishFlags, publishFromCli } from '../../bin/cli/publish.ts';
import type { HistoryRun } from '../../lambda/app/history-run.ts';
import { SnsPublishError } from '../../lambda/aws/sns-publisher.ts';
import { everyRuleReport, keyTooOld, makeReport } from '../present/render/report-factory.ts';

const REPORT_TOPIC = 'arn:aws:sns:eu-west-2:123456789012:key-audit-report';
const ALERT_TOPIC = 'arn:aws:sns:us-east-1:123456789012:key-audit-alerts';
const DAY_WINDOW = 24 * 3_600_000;

const flags = (extra: Partial<PublishFlags> = {}): PublishFlags => ({
  alertSinceMs: DAY_WINDOW,
  alertSeverity: 'high',
  stats: false,
  ...extra,
});

/** A batch publish answering every entry with `msg-<entry id>`. */
const acceptEveryEntry = (input: { PublishBatchRequestEntries?: { Id?: string }[] }) => ({
  Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: `msg-${e.Id}` })),
});

const setup = () => {
  const client = new SNSClient({ region: 'eu-west-2' });
  const regions: string[] = [];
  let text = '';
  return {
    sns: mockClient(client),
    regions,
    deps: {
      sns: (region: string) => {
        regions.push(region);
        return client;
      },
    },
    stderr: { write: (chunk: string) => (text += chunk) },
    get text() {
      return text;
    },
  };
};

describe('publishFromCli', () => {
  it('does nothing, and creates no SNS client, without a publish flag', async () => {
    const world = setup();
    await publishFromCli(flags(), everyRuleReport(), world.stderr, world.deps);
    expect(world.regions).toEqual([]);
    expect(world.text).toBe('');
  });

  it('does publish the report with --publish-report and say so in one line on stderr', async () => {
    const world = setup();
    world.sns.on(PublishCommand).resolves({ MessageId: 'msg-123' });
    await publishFromCli(flags({ publishReport: REPORT_TOPIC }), everyRuleReport(), world.stderr, world.deps);
    expect(world.sns.commandCalls(PublishCommand)[0]?.args[0].input.TopicArn).toBe(REPORT_TOPIC);
    expect(world.regions).toEqual(['eu-west-2']);
    expect(world.text).toBe(`key-audit: published the report to ${REPORT_TOPIC}\n`);
  });

  it('does list the message ids, one per line, only with --stats', async () => {
    const world = setup();
    world.sns.on(PublishCommand).resolves({ MessageId: 'report-1' });
    world.sns.on(PublishBatchCommand).callsFake(acceptEveryEntry);
    await publishFromCli(
      flags({ publishReport: REPORT_TOPIC, publishAlerts: ALERT_TOPIC, stats: true }),
      everyRuleReport(),
      world.stderr,
      world.deps,
    );
    expect(world.text.split('\n')).toEqual([
      `key-audit: published the report to ${REPORT_TOPIC}`,
      `SNS messages published to ${REPORT_TOPIC}: 1`,
      '  report-1',
      `key-audit: published 3 alerts to ${ALERT_TOPIC}`,
      `SNS messages published to ${ALERT_TOPIC}: 3`,
      '  msg-m0',
      '  msg-m1',
      '  msg-m2',
      '',
    ]);
  });

  it('does say how many alerts it published in one line, however many there are', async () => {
    const world = setup();
    world.sns.on(PublishBatchCommand).callsFake(acceptEveryEntry);
    const findings = Array.from({ length: 52 }, (_, i) =>
      keyTooOld({ ageDays: 200, userName: `user-${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}` }),
    );
    await publishFromCli(
      flags({ publishAlerts: ALERT_TOPIC }),
      makeReport(findings),
      world.stderr,
      world.deps,
    );
    expect(world.text).toMatch(
      new RegExp(`^key-audit: published 52 alerts to ${ALERT_TOPIC}( \\(.*\\))?\\n$`),
    );
  });

  it('does say so, and publish nothing, when no finding is new or critical', async () => {
    const world = setup();
    await publishFromCli(
      flags({ publishAlerts: ALERT_TOPIC }),
      makeReport([keyTooOld()]),
      world.stderr,
      world.deps,
    );
    expect(world.sns.calls()).toHaveLength(0);
    expect(world.text).toBe('key-audit: no alerts: nothing new or critical\n');
  });

  it('does publish alerts with the window and severity of --alert-since and --alert-severity', async () => {
    const world = setup();
    world.sns.on(PublishBatchCommand).callsFake(acceptEveryEntry);
    // Crossed the limit 3 hours ago: new within 24 hours, not within 2.
    const report = makeReport([keyTooOld({ ageDays: 90 })]);
    await publishFromCli(
      flags({ publishAlerts: ALERT_TOPIC, alertSinceMs: 2 * 3_600_000 }),
      report,
      world.stderr,
      world.deps,
    );
    expect(world.text).toBe('key-audit: no alerts: nothing new or critical\n');

    const again = setup();
    again.sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: 'm0', MessageId: 'msg-m0' }] });
    await publishFromCli(flags({ publishAlerts: ALERT_TOPIC }), report, again.stderr, again.deps);
    expect(again.regions).toEqual(['us-east-1']);
    expect(again.text).toBe(`key-audit: published 1 alert to ${ALERT_TOPIC}\n`);

    const severe = setup();
    await publishFromCli(
      flags({ publishAlerts: ALERT_TOPIC, alertSeverity: 'critical' }),
      report,
      severe.stderr,
      severe.deps,
    );
    expect(severe.sns.calls()).toHaveLength(0);
  });

  it('does publish both when both flags are given, the report first', async () => {
    const world = setup();
    world.sns.on(PublishCommand).resolves({ MessageId: 'report-1' });
    world.sns.on(PublishBatchCommand).callsFake(acceptEveryEntry);
    await publishFromCli(
      flags({ publishReport: REPORT_TOPIC, publishAlerts: ALERT_TOPIC }),
      everyRuleReport(),
      world.stderr,
      world.deps,
    );
    // everyRuleReport has a root key, a critical key and an unreachable account: alerted on every run.
    expect(world.text.trimEnd().split('\n')).toEqual([
      `key-audit: published the report to ${REPORT_TOPIC}`,
      `key-audit: published 3 alerts to ${ALERT_TOPIC}`,
    ]);
  });

  it('does let a publishing failure propagate (the CLI prints it and exits 1)', async () => {
    const world = setup();
    world.sns
      .on(PublishCommand)
      .rejects(new AuthorizationErrorException({ message: 'denied', $metadata: {} }));
    await expect(
      publishFromCli(flags({ publishReport: REPORT_TOPIC }), everyRuleReport(), world.stderr, world.deps),
    ).rejects.toBeInstanceOf(SnsPublishError);
    expect(world.text).toBe('');
  });

  it('does publish what the history never delivered instead of the window’s choice, and return it', async () => {
    const world = setup();
    world.sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: 'm0', MessageId: 'msg-m0' }] });
    // Past the limit for weeks: outside any window, but never delivered.
    const standing = keyTooOld({ ageDays: 134 });
    const history = {
      alerts: () => [{ finding: standing, reason: 'undelivered' as const }],
    } as unknown as HistoryRun;
    const delivered = await publishFromCli(
      flags({ publishAlerts: ALERT_TOPIC }),
      makeReport([standing]),
      world.stderr,
      { ...world.deps, history },
    );
    expect(delivered).toEqual([{ findingId: standing.id, severity: 'high' }]);
    const entry =
      world.sns.commandCalls(PublishBatchCommand)[0]?.args[0].input.PublishBatchRequestEntries?.[0];
    // Never delivered is new to on-call.
    expect(entry?.Subject).toMatch(/^key-audit ALERT: new HIGH /);
  });
});
