/**
 * The scanner Lambda's handler in-process against moto: member accounts seeded with users and keys, both
 * topics with SQS subscribers, and the handler's own SDK clients pointed at moto by the environment. moto
 * cannot back-date keys, so the handler's clock is moved forward instead: 90 days and 3 hours after the keys
 * were created, they crossed the 90-day limit 3 hours ago (new); 100 days after, they are old news.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DAY_MS } from '../../lambda/domain/policy.ts';
import { createHandler, defaultDeps } from '../../lambda/handler.ts';
import type { JsonReport } from '../../lambda/present/render/json.ts';
import { lambdaContext, recordingLogger, recordingMetrics } from '../app/job-fakes.ts';
import { motoAvailable, motoEndpoint, motoEnv, resetMoto } from './moto.ts';
import { SEEDED_EXEMPTION_LIMIT, type SeededOrganisation, seedOrganisation } from './seed-organisation.ts';
import { attributesOf, drain, type Subscribed, topicWithQueues } from './sns-sqs.ts';

const HOUR_MS = 3_600_000;

describe.runIf(motoAvailable())('handler against moto', () => {
  let endpoint = '';
  let org: SeededOrganisation;
  let seededAt = 0;
  let reports: Subscribed;
  let alerts: Subscribed;

  const run = async (job: 'report' | 'alerts', asOf: number) => {
    const env = {
      ...motoEnv(endpoint),
      KEY_AUDIT_ACCOUNTS: org.accounts.map((a) => a.accountId).join(','),
      KEY_AUDIT_REPORT_TOPIC_ARN: reports.topicArn,
      KEY_AUDIT_ALERT_TOPIC_ARN: alerts.topicArn,
      KEY_AUDIT_POLICY: JSON.stringify({ maxKeyAgeDays: 90, ...SEEDED_EXEMPTION_LIMIT }),
    };
    const logger = recordingLogger();
    const metrics = recordingMetrics();
    const handler = createHandler({
      ...defaultDeps(env),
      now: () => asOf,
      logger,
      metrics,
      reportPolling: { pollDelayMs: 10 },
    });
    const summary = await handler({ job }, lambdaContext());
    return { summary, logger, metrics };
  };

  beforeAll(async () => {
    endpoint = motoEndpoint() ?? '';
    await resetMoto(endpoint);
    for (const [name, value] of Object.entries(motoEnv(endpoint))) vi.stubEnv(name, value);
    vi.stubEnv('AWS_PROFILE', undefined);
    org = await seedOrganisation(endpoint, { accounts: 2, usersPerAccount: 5 });
    seededAt = Date.now();
    reports = await topicWithQueues(endpoint, 'key-audit-report', { 'report-all': null });
    alerts = await topicWithQueues(endpoint, 'key-audit-alerts', {
      'alerts-all': null,
      'alerts-critical': { severity: ['critical'] },
    });
  });

  beforeEach(async () => {
    for (const url of [...Object.values(reports.queues), ...Object.values(alerts.queues)])
      await drain(endpoint, url);
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('does publish the weekly report as one message with the JSON report, subject and attributes', async () => {
    const { summary, metrics } = await run('report', seededAt + 100 * DAY_MS);
    const [envelope, ...more] = await drain(endpoint, reports.queues['report-all'] ?? '');

    expect(more).toEqual([]);
    expect(envelope?.MessageId).toBe(summary.messageIds[0]);
    expect(envelope?.TopicArn).toBe(reports.topicArn);
    const json = JSON.parse(envelope?.Message ?? '') as JsonReport;
    expect(json).toMatchObject({ schemaVersion: 1, kind: 'report' });
    expect(json.accounts.map((a) => a.accountId).sort()).toEqual(org.accounts.map((a) => a.accountId).sort());
    // Per account: user 0 and both keys of user 1 too old; user 4's key is exempt.
    const tooOld = json.findings.filter((f) => f.rule === 'key-too-old');
    expect(tooOld.filter((f) => !f.exempt)).toHaveLength(6);
    expect(envelope?.Subject).toMatch(
      new RegExp(`^key-audit: ${json.summary.violations} violations.* in 2 accounts$`),
    );
    expect(envelope === undefined ? {} : attributesOf(envelope)).toEqual({
      severity: 'high',
      violations: String(json.summary.violations),
    });
    expect(envelope?.MessageAttributes?.violations?.Type).toBe('Number');
    expect(summary).toMatchObject({
      job: 'report',
      accounts: 2,
      failed: 0,
      violations: json.summary.violations,
    });
    expect(metrics.published).toEqual([
      { AccountsScanned: 2, AccountsFailed: 0, Violations: json.summary.violations },
    ]);
  });

  it('does publish one alert per newly too-old key, routed by attributes; the critical queue gets none', async () => {
    const { summary, metrics } = await run('alerts', seededAt + 90 * DAY_MS + 3 * HOUR_MS);
    const envelopes = await drain(endpoint, alerts.queues['alerts-all'] ?? '');

    // Per account: user 0's key and both of user 1's keys crossed the limit 3 hours ago.
    expect(envelopes).toHaveLength(6);
    expect(envelopes.map((e) => e.MessageId).sort()).toEqual([...summary.messageIds].sort());
    for (const envelope of envelopes) {
      const json = JSON.parse(envelope.Message) as JsonReport;
      expect(json.kind).toBe('alert');
      expect(json.findings).toHaveLength(1);
      const [finding] = json.findings;
      expect(attributesOf(envelope)).toEqual({
        severity: 'high',
        accountId: finding?.accountId,
        rule: 'key-too-old',
        ...(finding?.owner === null ? {} : { owner: finding?.owner }),
        production: 'false',
      });
      expect(envelope.Subject).toBe(
        `key-audit ALERT: new HIGH Access key older than the rotation limit in ${finding?.accountId}: ${finding?.userName}`,
      );
    }
    expect(envelopes.filter((e) => attributesOf(e).owner === 'user-0001@example.com')).toHaveLength(4);
    expect(await drain(endpoint, alerts.queues['alerts-critical'] ?? '')).toEqual([]);
    expect(metrics.published[0]).toMatchObject({ AlertsPublished: 6 });
  });

  it('does publish nothing when nothing is new or critical', async () => {
    const { summary, logger } = await run('alerts', seededAt + 100 * DAY_MS);
    expect(summary).toMatchObject({ alerts: 0, messageIds: [] });
    expect(await drain(endpoint, alerts.queues['alerts-all'] ?? '')).toEqual([]);
    expect(logger.lines.at(-1)?.message).toBe('no alerts: nothing new or critical');
  });

  it('does page critical findings on every run, and only those reach the queue filtering on critical', async () => {
    // 181 days: past twice the limit, so every too-old key is critical (alerted although not new).
    await run('alerts', seededAt + 181 * DAY_MS);
    const critical = await drain(endpoint, alerts.queues['alerts-critical'] ?? '');
    const all = await drain(endpoint, alerts.queues['alerts-all'] ?? '');
    expect(critical).toHaveLength(6);
    expect(critical.every((e) => attributesOf(e).severity === 'critical')).toBe(true);
    expect(all.map((e) => e.MessageId).sort()).toEqual(critical.map((e) => e.MessageId).sort());
  });
});
