/**
 * `key-audit scan --publish-report` and `--publish-alerts` as a subprocess against moto: the CLI's own SDK
 * clients reach moto through the environment (motoEnv), and SQS queues subscribed to the topics show what
 * subscribers receive. moto cannot back-date keys, so ages come from --as-of (see handler.test.ts).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../lambda/domain/policy.ts';
import type { JsonReport } from '../../lambda/present/render/json.ts';
import { linesOf, runKeyAudit } from '../cli/helpers.ts';
import { motoAvailable, motoEndpoint, motoEnv, resetMoto } from './moto.ts';
import { SEEDED_EXEMPTION_CONFIG, type SeededOrganisation, seedOrganisation } from './seed-organisation.ts';
import { attributesOf, drain, type Subscribed, topicWithQueues } from './sns-sqs.ts';

const HOUR_MS = 3_600_000;

describe.runIf(motoAvailable())('CLI publishing against moto', () => {
  let endpoint = '';
  let org: SeededOrganisation;
  let seededAt = 0;
  let reports: Subscribed;
  let alerts: Subscribed;

  const scan = (asOf: number, extra: readonly string[]) =>
    runKeyAudit(
      [
        'scan',
        '--accounts',
        org.accounts.map((a) => a.accountId).join(','),
        '--as-of',
        new Date(asOf).toISOString(),
        '--quiet',
        '--config',
        SEEDED_EXEMPTION_CONFIG,
        ...extra,
      ],
      { env: motoEnv(endpoint) },
    );

  beforeAll(async () => {
    endpoint = motoEndpoint() ?? '';
    await resetMoto(endpoint);
    org = await seedOrganisation(endpoint, { accounts: 1, usersPerAccount: 5 });
    seededAt = Date.now();
    reports = await topicWithQueues(endpoint, 'cli-report', { 'cli-report-all': null });
    alerts = await topicWithQueues(endpoint, 'cli-alerts', {
      'cli-alerts-all': null,
      'cli-alerts-critical': { severity: ['critical'] },
    });
  });

  beforeEach(async () => {
    for (const url of [...Object.values(reports.queues), ...Object.values(alerts.queues)])
      await drain(endpoint, url);
  });

  it('does publish the report it printed, and say so on stderr (the message id with --stats)', async () => {
    const run = await scan(seededAt + 100 * DAY_MS, [
      '--format',
      'json',
      '--publish-report',
      reports.topicArn,
      '--stats',
    ]);
    const [envelope, ...more] = await drain(endpoint, reports.queues['cli-report-all'] ?? '');

    expect(run.code).toBe(2);
    expect(more).toEqual([]);
    const lines = linesOf(run.stderr);
    const published = lines.indexOf(`key-audit: published the report to ${reports.topicArn}`);
    expect(published).toBeGreaterThanOrEqual(0);
    expect(lines.slice(published + 1)).toEqual([
      `SNS messages published to ${reports.topicArn}: 1`,
      `  ${envelope?.MessageId}`,
    ]);
    const printed = JSON.parse(run.stdout) as JsonReport;
    expect(JSON.parse(envelope?.Message ?? '')).toEqual(printed);
    expect(envelope?.Subject).toMatch(
      new RegExp(`^key-audit: ${printed.summary.violations} violations.* in 1 account$`),
    );
    expect(envelope === undefined ? {} : attributesOf(envelope)).toEqual({
      severity: 'high',
      violations: String(printed.summary.violations),
    });
  });

  it('does publish one alert per new finding, none of them to the queue filtering on critical', async () => {
    const asOf = seededAt + 90 * DAY_MS + 3 * HOUR_MS;
    const run = await scan(asOf, ['--format', 'json', '--publish-alerts', alerts.topicArn]);
    const envelopes = await drain(endpoint, alerts.queues['cli-alerts-all'] ?? '');

    // User 0's key and both of user 1's keys crossed the 90-day limit 3 hours before --as-of.
    expect(envelopes).toHaveLength(3);
    expect(linesOf(run.stderr)).toEqual([`key-audit: published 3 alerts to ${alerts.topicArn}`]);

    // With --stats, the message ids follow, one per line (they are new messages: the same findings again).
    const withIds = await scan(asOf, ['--format', 'json', '--publish-alerts', alerts.topicArn, '--stats']);
    const again = await drain(endpoint, alerts.queues['cli-alerts-all'] ?? '');
    const lines = linesOf(withIds.stderr);
    const header = lines.indexOf(`SNS messages published to ${alerts.topicArn}: 3`);
    expect(header).toBeGreaterThan(0);
    expect(lines[header - 1]).toBe(`key-audit: published 3 alerts to ${alerts.topicArn}`);
    expect(
      lines
        .slice(header + 1)
        .map((line) => line.trim())
        .sort(),
    ).toEqual(again.map((e) => e.MessageId).sort());
    const accountId = org.accounts[0]?.accountId;
    for (const envelope of envelopes) {
      expect(attributesOf(envelope)).toMatchObject({ severity: 'high', accountId, rule: 'key-too-old' });
      expect((JSON.parse(envelope.Message) as JsonReport).findings).toHaveLength(1);
    }
    expect(await drain(endpoint, alerts.queues['cli-alerts-critical'] ?? '')).toEqual([]);
  });

  it('does say there is nothing to alert, and publishes nothing, when nothing is new or critical', async () => {
    const run = await scan(seededAt + 100 * DAY_MS, [
      '--format',
      'json',
      '--publish-alerts',
      alerts.topicArn,
    ]);
    expect(linesOf(run.stderr)).toEqual(['key-audit: no alerts: nothing new or critical']);
    expect(await drain(endpoint, alerts.queues['cli-alerts-all'] ?? '')).toEqual([]);
  });

  it('does honour --alert-since and --alert-severity', async () => {
    const asOf = seededAt + 90 * DAY_MS + 3 * HOUR_MS;
    const narrow = await scan(asOf, ['--publish-alerts', alerts.topicArn, '--alert-since', '2h']);
    expect(linesOf(narrow.stderr)).toEqual(['key-audit: no alerts: nothing new or critical']);
    const severe = await scan(asOf, ['--publish-alerts', alerts.topicArn, '--alert-severity', 'critical']);
    expect(linesOf(severe.stderr)).toEqual(['key-audit: no alerts: nothing new or critical']);
    expect(await drain(endpoint, alerts.queues['cli-alerts-all'] ?? '')).toEqual([]);
  });

  it('does exit 1 with one line naming the topic when SNS refuses the message', async () => {
    const missing = reports.topicArn.replace(/cli-report$/, 'no-such-topic');
    const run = await scan(seededAt + 100 * DAY_MS, ['--format', 'json', '--publish-report', missing]);
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^key-audit: publishing to ${missing} failed`)),
    ]);
  });
});
