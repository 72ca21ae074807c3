/**
 * Runs with a history against moto_server, end to end: the scheduled jobs in-process (the handler's own SDK
 * clients, `KEY_AUDIT_HISTORY` in an S3 bucket) and the CLI as a subprocess (`--history s3://...`).
 *
 * moto cannot back-date keys, so the handler's clock is moved forward: 90 days and 3 hours after seeding,
 * every active key is past the 90-day limit. moto's AssumeRole accepts any role, and its IAM enforcement
 * (`/moto-api/reset-auth`, which cli-live.test.ts uses) also checks S3 signatures, which it gets wrong for
 * the history's `ListObjectsV2` with a delimiter; so an account is denied at the job's own STS client
 * instead: AssumeRole into it answers AccessDenied, as STS does for a member role whose trust policy does
 * not name the scanner. A publish fails by naming an alert topic that does not exist yet.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { STSServiceException } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AwsClients, createAwsClients } from '../../lambda/aws/client-factory.ts';
import { createS3HistoryStore } from '../../lambda/aws/history-s3.ts';
import { parseHistoryLocation } from '../../lambda/domain/history-location.ts';
import { DAY_MS } from '../../lambda/domain/policy.ts';
import { formatDateTime, plural } from '../../lambda/domain/wording.ts';
import { createHandler, defaultDeps } from '../../lambda/handler.ts';
import type { JsonFinding, JsonReport } from '../../lambda/present/render/json.ts';
import { lambdaContext, recordingLogger, recordingMetrics } from '../app/job-fakes.ts';
import { runKeyAudit } from '../cli/helpers.ts';
import { motoAvailable, motoEndpoint, motoEnv, resetMoto } from './moto.ts';
import {
  CALLER_CREDENTIALS,
  SEED_REGION,
  SEEDED_EXEMPTION_LIMIT,
  type SeededOrganisation,
  seedOrganisation,
} from './seed-organisation.ts';
import { drain, type Subscribed, topicWithQueues } from './sns-sqs.ts';

const HOUR_MS = 3_600_000;
const BUCKET = 'key-audit-history-it';

/** The finding each alert message carries (a digest would carry several; these runs stay under the cap). */
const alertedFindings = (envelopes: readonly { Message: string }[]): JsonFinding[] =>
  envelopes.flatMap((e) => (JSON.parse(e.Message) as JsonReport).findings);

describe.runIf(motoAvailable())('runs with a history against moto', () => {
  let endpoint = '';
  let org: SeededOrganisation;
  let seededAt = 0;
  let s3: S3Client;
  let reports: Subscribed;
  let alerts: Subscribed;
  let prefixes = 0;

  const accountA = () => org.accounts[0]?.accountId ?? '';
  const accountB = () => org.accounts[1]?.accountId ?? '';
  const freshHistory = (): string => {
    prefixes += 1;
    return `s3://${BUCKET}/run-${prefixes}`;
  };
  const storeOf = (location: string) => {
    const parsed = parseHistoryLocation(location);
    if (parsed.kind !== 's3') throw new Error(`not an S3 location: ${location}`);
    return createS3HistoryStore(s3, parsed);
  };

  /** The job's clients, with AssumeRole into `deniedAccount` refused as STS refuses an untrusted caller. */
  const clientsDenying = (env: Record<string, string>, deniedAccount: string): AwsClients => {
    const clients = createAwsClients({ env });
    clients.sts().middlewareStack.add(
      (next) => async (args) => {
        const roleArn = (args.input as { RoleArn?: string }).RoleArn ?? '';
        if (roleArn.includes(`:${deniedAccount}:`)) {
          throw new STSServiceException({
            name: 'AccessDenied',
            $fault: 'client',
            $metadata: { httpStatusCode: 403 },
            message: `User: arn:aws:iam::${org.managementAccountId}:user/scanner is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'denyAssumeRole' },
    );
    return clients;
  };

  /** Runs `job` at `asOf` with `history`; AssumeRole into `deny` fails. */
  const run = async (
    job: 'report' | 'alerts',
    asOf: number,
    options: { history: string; alertTopicArn?: string; deny?: string },
  ) => {
    const env = {
      ...motoEnv(endpoint),
      KEY_AUDIT_ACCOUNTS: [accountA(), accountB()].join(','),
      KEY_AUDIT_REPORT_TOPIC_ARN: reports.topicArn,
      KEY_AUDIT_ALERT_TOPIC_ARN: options.alertTopicArn ?? alerts.topicArn,
      KEY_AUDIT_POLICY: JSON.stringify({ maxKeyAgeDays: 90, ...SEEDED_EXEMPTION_LIMIT }),
      KEY_AUDIT_HISTORY: options.history,
    };
    const logger = recordingLogger();
    const handler = createHandler({
      ...defaultDeps(env),
      ...(options.deny === undefined ? {} : { clients: clientsDenying(env, options.deny) }),
      now: () => asOf,
      logger,
      metrics: recordingMetrics(),
      reportPolling: { pollDelayMs: 10 },
    });
    try {
      const summary = await handler({ job }, lambdaContext());
      return { summary, logger, error: null };
    } catch (error) {
      return { summary: null, logger, error };
    }
  };

  const alertsReceived = () => drain(endpoint, alerts.queues['alerts-all'] ?? '');

  beforeAll(async () => {
    endpoint = motoEndpoint() ?? '';
    await resetMoto(endpoint);
    for (const [name, value] of Object.entries(motoEnv(endpoint))) vi.stubEnv(name, value);
    vi.stubEnv('AWS_PROFILE', undefined);
    org = await seedOrganisation(endpoint, { accounts: 2, usersPerAccount: 5 });
    seededAt = Date.now();
    s3 = new S3Client({ endpoint, region: SEED_REGION, credentials: CALLER_CREDENTIALS });
    await s3.send(
      new CreateBucketCommand({
        Bucket: BUCKET,
        CreateBucketConfiguration: { LocationConstraint: SEED_REGION },
      }),
    );
    reports = await topicWithQueues(endpoint, 'key-audit-report', { 'report-all': null });
    alerts = await topicWithQueues(endpoint, 'key-audit-alerts', { 'alerts-all': null });
  });

  beforeEach(async () => {
    for (const url of [...Object.values(reports.queues), ...Object.values(alerts.queues)])
      await drain(endpoint, url);
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('does send an account’s alerts the day after it was unreachable, once, and nothing new on the third day', async () => {
    const history = freshHistory();
    const day1 = seededAt + 90 * DAY_MS + 3 * HOUR_MS;
    const [a, b] = [accountA(), accountB()];

    const first = await run('alerts', day1, { history, deny: b });
    expect(first.error).toBeNull();
    const firstAlerts = alertedFindings(await alertsReceived());
    expect(firstAlerts.filter((f) => f.accountId === b).map((f) => f.rule)).toEqual(['account-unreachable']);
    const firstA = firstAlerts.filter((f) => f.accountId === a);
    expect(firstA.map((f) => f.rule).sort()).toEqual(
      ['key-too-old', 'key-too-old', 'key-too-old', 'new-exemption', 'two-active-keys'].sort(),
    );

    // B's member role is fixed: the next day B is reachable.
    const second = await run('alerts', day1 + DAY_MS, { history });
    expect(second.error).toBeNull();
    const secondAlerts = alertedFindings(await alertsReceived());
    // Exactly what day 1 would have sent for B, had it been reachable; nothing of A again.
    expect(secondAlerts.map((f) => f.accountId)).toEqual(secondAlerts.map(() => b));
    expect(secondAlerts.map((f) => f.rule).sort()).toEqual(firstA.map((f) => f.rule).sort());
    for (const finding of secondAlerts.filter((f) => f.rule === 'key-too-old')) {
      expect(Date.parse(finding.since ?? '')).toBeLessThan(day1);
    }

    const third = await run('alerts', day1 + 2 * DAY_MS, { history });
    expect(third.summary).toMatchObject({ alerts: 0, messageIds: [] });
    expect(await alertsReceived()).toEqual([]);

    const { memory } = await storeOf(history).load();
    expect(memory.lastScanned).toEqual({
      [a]: new Date(day1 + 2 * DAY_MS),
      [b]: new Date(day1 + 2 * DAY_MS),
    });
    expect(Object.keys(memory.delivered).sort()).toEqual(
      [...firstA, ...secondAlerts].map((f) => f.id).sort(),
    );
    // Every run stored its complete report under its dated key.
    const { Contents: objects = [] } = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: `${history.slice(`s3://${BUCKET}/`.length)}/reports/`,
      }),
    );
    expect(objects.map((o) => o.Key?.split('/').slice(1, 3).join('/'))).toEqual([
      'reports/alerts',
      'reports/alerts',
      'reports/alerts',
    ]);
    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: objects[1]?.Key }));
    const secondReport = JSON.parse((await stored.Body?.transformToString()) ?? '') as JsonReport;
    expect(secondReport.accounts.map((acc) => [acc.accountId, acc.status])).toEqual([
      [a, 'scanned'],
      [b, 'scanned'],
    ]);
  });

  it('does deliver on the next day the alerts a failed publish did not, once', async () => {
    const history = freshHistory();
    const day1 = seededAt + 90 * DAY_MS + 3 * HOUR_MS;
    const lateTopic = alerts.topicArn.replace(/key-audit-alerts$/, 'key-audit-alerts-late');

    const first = await run('alerts', day1, { history, alertTopicArn: lateTopic });
    expect((first.error as Error | null)?.name).toBe('AlertPublishError');
    expect(first.logger.lines.map((l) => l.message)).toContain('history saved');
    expect(Object.keys((await storeOf(history).load()).memory.delivered)).toEqual([]);

    const late = await topicWithQueues(endpoint, 'key-audit-alerts-late', { 'late-all': null });
    expect(late.topicArn).toBe(lateTopic);
    const second = await run('alerts', day1 + DAY_MS, { history, alertTopicArn: lateTopic });
    expect(second.error).toBeNull();
    const delivered = alertedFindings(await drain(endpoint, late.queues['late-all'] ?? ''));
    // Both accounts' key-too-old, two-active-keys and new-exemption alerts, never sent before.
    expect(delivered).toHaveLength(10);
    expect(second.summary).toMatchObject({ alerts: 10 });

    const third = await run('alerts', day1 + 2 * DAY_MS, { history, alertTopicArn: lateTopic });
    expect(third.summary).toMatchObject({ alerts: 0 });
    expect(await drain(endpoint, late.queues['late-all'] ?? '')).toEqual([]);
  });

  it('does compare the weekly report with last week’s and link the stored report in S3', async () => {
    const history = freshHistory();
    const week1 = seededAt + 85 * DAY_MS;
    const first = await run('report', week1, { history });
    expect(first.error).toBeNull();
    const second = await run('report', week1 + 7 * DAY_MS, { history });
    expect(second.error).toBeNull();
    const storedAt = second.summary?.storedAt ?? '';
    expect(storedAt).toMatch(new RegExp(`^${history}/reports/report/\\d{4}/\\d{2}/\\d{2}/.*\\.json$`));
    const line = second.logger.lines.find((l) => l.message === 'report stored');
    expect(line?.fields).toMatchObject({
      previousAsOf: new Date(week1).toISOString(),
      consoleUrl: expect.stringMatching(
        new RegExp(`^https://${SEED_REGION}\\.console\\.aws\\.amazon\\.com/s3/object/${BUCKET}\\?`),
      ),
    });
    // Between day 85 and day 92 every active key crossed the 90-day limit: 3 new key-too-old per account.
    const [lastWeek, thisWeek] = await Promise.all(
      [first, second].map(async (r) => {
        const key = (r.summary?.storedAt ?? '').slice(`s3://${BUCKET}/`.length);
        const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        return JSON.parse((await object.Body?.transformToString()) ?? '') as JsonReport;
      }),
    );
    const ids = (report: JsonReport | undefined) =>
      new Set((report?.findings ?? []).filter((f) => !f.exempt).map((f) => f.id));
    const before = ids(lastWeek);
    const added = [...ids(thisWeek)].filter((id) => !before.has(id));
    expect(added.filter((id) => id.startsWith('key-too-old:'))).toHaveLength(6);
    expect(line?.fields.newFindings).toBe(added.length);
  });

  it('does give the trend of two CLI scans at different --as-of, through an S3 history', async () => {
    const history = freshHistory();
    const target = accountA();
    const scanAt = (asOf: number) =>
      runKeyAudit(
        [
          'scan',
          '--accounts',
          target,
          '--format',
          'json',
          '--fail-on',
          'none',
          '--history',
          history,
          '--as-of',
          new Date(asOf).toISOString(),
        ],
        { env: motoEnv(endpoint), timeoutMs: 90_000 },
      );
    const early = await scanAt(seededAt + 10 * DAY_MS);
    expect(early.code, early.stderr).toBe(0);
    expect(early.stderr).toContain('key-audit: first scan with this history: nothing to compare with yet');
    const later = await scanAt(seededAt + 100 * DAY_MS);
    expect(later.code, later.stderr).toBe(0);

    const [before, after] = [early, later].map(
      (r) => new Set((JSON.parse(r.stdout) as JsonReport).findings.filter((f) => !f.exempt).map((f) => f.id)),
    );
    const added = [...(after ?? [])].filter((id) => !before?.has(id));
    const resolved = [...(before ?? [])].filter((id) => !after?.has(id));
    expect(added.length).toBeGreaterThan(0);
    expect(later.stderr).toContain(
      `key-audit: since the previous scan (${formatDateTime(new Date(seededAt + 10 * DAY_MS))}): ` +
        `${plural(added.length, 'new finding')}, ${resolved.length} resolved\n`,
    );
    const { memory } = await storeOf(history).load();
    expect(memory.lastScanned).toEqual({ [target]: new Date(seededAt + 100 * DAY_MS) });
    expect(memory.latestReports.scan?.location).toMatch(new RegExp(`^${history}/reports/scan/`));
  });
});
