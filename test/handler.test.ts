import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  InvalidAccessException,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { AuthorizationErrorException, PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { SecurityHubImportError } from '../lambda/app/job-security-hub.ts';
import { AlertPublishError } from '../lambda/app/publish.ts';
import { SnsPublishError } from '../lambda/aws/sns-publisher.ts';
import { ConfigurationError, InputError } from '../lambda/domain/errors.ts';
import { HistoryError } from '../lambda/domain/history-store.ts';
import { createHandler, defaultDeps, type HandlerDeps, handler } from '../lambda/handler.ts';
import { createDirectoryHistoryStore } from '../lambda/history/history-dir.ts';
import type { JsonReport } from '../lambda/present/render/json.ts';
import {
  A,
  ALERT_TOPIC,
  B,
  config,
  type FakeWorld,
  fakeWorld,
  lambdaContext,
  NOW,
  REPORT_TOPIC,
} from './app/job-fakes.ts';

const handlerOf = (world: FakeWorld, overrides: Partial<HandlerDeps> = {}) =>
  createHandler({ ...world.deps, config: config(), ...overrides });

const protocolsOf = (message: string | undefined): Record<string, string> =>
  JSON.parse(message ?? '{}') as Record<string, string>;

const TMP = mkdtempSync(join(tmpdir(), 'key-audit-handler-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let histories = 0;
const nextHistory = (): string => {
  histories += 1;
  return join(TMP, `history-${histories}`);
};
const HISTORY = 's3://key-audit-history-999999999999/history';

/** A handler over `world` with a history of its own (a directory standing in for the bucket). */
const withHistory = (world: FakeWorld, dir = nextHistory()) => {
  const store = createDirectoryHistoryStore(dir);
  const locations: string[] = [];
  return {
    dir,
    store,
    locations,
    handle: handlerOf(world, {
      config: config([A, B], { history: HISTORY }),
      history: (location) => {
        locations.push(location);
        return store;
      },
    }),
  };
};

/** SNS accepting every batch entry, with message ids `<prefix>-m0`... */
const acceptBatches = (world: FakeWorld, prefix = 'alert'): void => {
  world.sns.on(PublishBatchCommand).callsFake((input) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((e: { Id?: string }) => ({
      Id: e.Id,
      MessageId: `${prefix}-${e.Id}`,
    })),
  }));
};

/** The subjects of every alert published to the mocked SNS. */
const alertSubjects = (world: FakeWorld): string[] =>
  world.sns
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? [])
    .map((entry) => entry.Subject ?? '');

const VALID_ENV = {
  KEY_AUDIT_REPORT_TOPIC_ARN: REPORT_TOPIC,
  KEY_AUDIT_ALERT_TOPIC_ARN: ALERT_TOPIC,
  POWERTOOLS_SERVICE_NAME: 'key-audit',
  POWERTOOLS_METRICS_NAMESPACE: 'KeyAudit',
};

describe('handler', () => {
  describe('report job', () => {
    it('does publish one JSON-structured message to the report topic and return a summary', async () => {
      const world = fakeWorld();
      world.sns.on(PublishCommand).resolves({ MessageId: 'report-1' });
      const summary = await handlerOf(world)({ job: 'report' }, lambdaContext());

      expect(summary).toEqual({
        job: 'report',
        asOf: new Date(NOW).toISOString(),
        accounts: 2,
        failed: 0,
        notScanned: 0,
        violations: 3,
        incomplete: false,
        messageIds: ['report-1'],
      });
      const calls = world.sns.commandCalls(PublishCommand);
      expect(calls).toHaveLength(1);
      const input = calls[0]?.args[0].input;
      expect(input).toMatchObject({ TopicArn: REPORT_TOPIC, MessageStructure: 'json' });
      expect(input?.Subject).toBe('key-audit: 3 violations in 2 accounts');
      expect(input?.MessageAttributes).toEqual({
        severity: { DataType: 'String', StringValue: 'high' },
        violations: { DataType: 'Number', StringValue: '3' },
      });
      const protocols = protocolsOf(input?.Message);
      expect(protocols.default).toContain('3 violations');
      const json = JSON.parse(protocols.sqs ?? '') as JsonReport;
      expect(json.findings.map((f) => f.userName).sort()).toEqual(['alice', 'bob', 'dave']);
      expect(world.snsRegions).toEqual(['eu-west-2']);
    });

    it('does log the scan and the message id as structured lines, and records the metrics', async () => {
      const world = fakeWorld();
      world.sns.on(PublishCommand).resolves({ MessageId: 'report-1' });
      const context = lambdaContext();
      await handlerOf(world)({ job: 'report' }, context);

      const { lines, contexts } = world.deps.logger;
      expect(contexts).toEqual([context]);
      expect(lines.map((l) => [l.level, l.message])).toEqual([
        ['info', 'scan finished'],
        ['info', 'report published'],
      ]);
      expect(lines[0]?.fields).toMatchObject({
        job: 'report',
        accountsScanned: 2,
        accountsFailed: 0,
        accountsNotScanned: 0,
        findings: 3,
        violations: 3,
      });
      expect(lines[1]?.fields).toMatchObject({
        topicArn: REPORT_TOPIC,
        messageIds: ['report-1'],
        stage: 'complete',
      });
      expect(world.deps.metrics.published).toEqual([
        { AccountsScanned: 2, AccountsFailed: 0, Violations: 3 },
      ]);
      expect(world.deps.metrics.added.every((m) => m.unit === 'Count')).toBe(true);
    });

    it('does fail the invocation after logging the JSON report at error level when SNS refuses it', async () => {
      const world = fakeWorld();
      const denied = new AuthorizationErrorException({
        message: 'not authorized to perform SNS:Publish',
        $metadata: {},
      });
      world.sns.on(PublishCommand).rejects(denied);
      const error = await handlerOf(world)({ job: 'report' }, lambdaContext()).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(SnsPublishError);
      expect((error as Error).cause).toBe(denied);
      const errors = world.deps.logger.lines.filter((l) => l.level === 'error');
      expect(errors[0]?.message).toBe('report could not be published');
      const logged = errors[0]?.fields.report as JsonReport;
      expect(logged.summary.violations).toBe(3);
      // Findings follow in parts, so no line outgrows a log event.
      expect(errors.flatMap((l) => (l.fields.findings as unknown[] | undefined) ?? [])).toHaveLength(3);
      expect(errors.at(-1)?.message).toBe('run failed');
      // The alarm on AccountsFailed still gets its data point.
      expect(world.deps.metrics.published).toEqual([
        { AccountsScanned: 2, AccountsFailed: 0, Violations: 3 },
      ]);
    });

    it('does publish what was scanned, marked incomplete, when the deadline passes mid-run', async () => {
      const world = fakeWorld();
      world.sns.on(PublishCommand).resolves({ MessageId: 'report-1' });
      // Two minutes left: accounts may start during the first minute. Reading account A's credential
      // report takes ten.
      const calls = world.iamCalls.get(A) ?? [];
      const read = (): boolean => calls.some((c) => c.command === 'GetCredentialReport');
      const handle = handlerOf(world, { now: () => (read() ? NOW + 10 * 60_000 : NOW) });
      const summary = await handle({ job: 'report' }, lambdaContext(120_000));

      expect(summary).toMatchObject({ accounts: 2, notScanned: 1, incomplete: true });
      // B's credential report was started ahead (the report head start), but B itself was never read.
      expect((world.iamCalls.get(B) ?? []).map((c) => c.command)).toEqual(['GenerateCredentialReport']);
      const input = world.sns.commandCalls(PublishCommand)[0]?.args[0].input;
      expect(input?.Subject).toContain('incomplete');
      const protocols = protocolsOf(input?.Message);
      const json = JSON.parse(protocols.sqs ?? '') as JsonReport;
      expect(json.incomplete).toEqual({
        reason: 'the run reached its time limit before every account was scanned',
        accountsNotScanned: [B],
      });
      expect(protocols.email).toContain('INCOMPLETE');
      expect(protocols.email).toContain(B);
      expect(world.deps.logger.lines[0]).toMatchObject({
        level: 'warn',
        fields: { accountsNotScanned: 1, notScannedAccounts: [B], stopReason: 'deadline' },
      });
      // Unscanned accounts count as failed for the alarm: their keys are unknown this week.
      expect(world.deps.metrics.published[0]).toMatchObject({ AccountsScanned: 1, AccountsFailed: 1 });
    });
  });

  describe('alerts job', () => {
    it('does publish one message per new finding to the alert topic, routed by attributes', async () => {
      const world = fakeWorld();
      world.sns.on(PublishBatchCommand).callsFake((input) => ({
        Successful: (input.PublishBatchRequestEntries ?? []).map((e: { Id?: string }) => ({
          Id: e.Id,
          MessageId: `alert-${e.Id}`,
        })),
      }));
      const summary = await handlerOf(world)({ job: 'alerts' }, lambdaContext());

      expect(summary).toMatchObject({ job: 'alerts', alerts: 1, messageIds: ['alert-m0'], violations: 3 });
      const entries =
        world.sns.commandCalls(PublishBatchCommand)[0]?.args[0].input.PublishBatchRequestEntries;
      expect(world.sns.commandCalls(PublishBatchCommand)[0]?.args[0].input.TopicArn).toBe(ALERT_TOPIC);
      expect(entries).toHaveLength(1);
      expect(entries?.[0]?.MessageAttributes).toEqual({
        severity: { DataType: 'String', StringValue: 'high' },
        accountId: { DataType: 'String', StringValue: A },
        rule: { DataType: 'String', StringValue: 'key-too-old' },
        owner: { DataType: 'String', StringValue: 'team-payments' },
        production: { DataType: 'String', StringValue: 'false' },
      });
      expect(entries?.[0]?.Subject).toBe(
        `key-audit ALERT: new HIGH Access key older than the rotation limit in ${A}: alice`,
      );
      expect(world.deps.metrics.published).toEqual([
        { AccountsScanned: 2, AccountsFailed: 0, Violations: 3, AlertsPublished: 1 },
      ]);
      expect(world.deps.logger.lines.at(-1)).toMatchObject({
        message: 'alerts published',
        fields: { alerted: 1, messageIds: ['alert-m0'] },
      });
    });

    it('does publish nothing when nothing is new or critical', async () => {
      const world = fakeWorld();
      // A day later alice's key is no longer new; nothing is critical.
      world.setNow(NOW + 26 * 3_600_000);
      const summary = await handlerOf(world)({ job: 'alerts' }, lambdaContext());

      expect(summary).toMatchObject({ alerts: 0, messageIds: [] });
      expect(world.sns.calls()).toHaveLength(0);
      expect(world.deps.logger.lines.at(-1)?.message).toBe('no alerts: nothing new or critical');
      expect(world.deps.metrics.published[0]).toMatchObject({ AlertsPublished: 0 });
    });

    it('does widen the window by an hour for daylight-saving changes', async () => {
      const world = fakeWorld();
      world.sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: 'm0', MessageId: 'x' }] });
      // alice's key crossed the limit 24.5 hours ago: outside 24 hours, inside 24 + 1.
      world.setNow(NOW + 21.5 * 3_600_000);
      const summary = await handlerOf(world)({ job: 'alerts' }, lambdaContext());
      expect(summary.alerts).toBe(1);
    });
  });

  describe('with a history', () => {
    it('does send every alert never delivered, once, and store the report before publishing', async () => {
      const world = fakeWorld();
      acceptBatches(world);
      const { handle, locations, store } = withHistory(world);
      const summary = await handle({ job: 'alerts' }, lambdaContext());

      // First run with a history: the backlog too (bob and dave are past the limit for weeks).
      expect(alertSubjects(world).sort()).toEqual([
        `key-audit ALERT: new HIGH Access key older than the rotation limit in ${A}: alice`,
        `key-audit ALERT: new HIGH Access key older than the rotation limit in ${A}: bob`,
        `key-audit ALERT: new HIGH Access key older than the rotation limit in ${B}: dave`,
      ]);
      expect(locations).toEqual([HISTORY]);
      expect(summary).toMatchObject({
        alerts: 3,
        storedAt: expect.stringContaining('reports/alerts/2026/11/23/'),
      });
      expect(world.deps.logger.lines.map((l) => l.message)).toEqual([
        'scan finished',
        'report stored',
        'alerts published',
        'history saved',
      ]);
      expect(world.deps.logger.lines[3]?.fields).toMatchObject({ job: 'alerts', delivered: 3, attempts: 1 });
      const { memory } = await store.load();
      expect(Object.keys(memory.delivered)).toHaveLength(3);

      world.sns.resetHistory();
      world.setNow(NOW + 24 * 3_600_000);
      const nextDay = await handle({ job: 'alerts' }, lambdaContext());
      expect(nextDay).toMatchObject({ alerts: 0, messageIds: [] });
      expect(world.sns.calls()).toHaveLength(0);
    });

    it('does record only what reached the topic when publishing fails part-way, and send the rest next run', async () => {
      const world = fakeWorld();
      world.sns.on(PublishBatchCommand).callsFake((input) => {
        const entries: { Id?: string }[] = input.PublishBatchRequestEntries ?? [];
        return {
          Successful: entries
            .filter((e) => e.Id !== 'm1')
            .map((e) => ({ Id: e.Id, MessageId: `id-${e.Id}` })),
          Failed: entries
            .filter((e) => e.Id === 'm1')
            .map((e) => ({ Id: e.Id, Code: 'KMSThrottling', SenderFault: false, Message: 'slow down' })),
        };
      });
      const { handle, store } = withHistory(world);
      const error = await handle({ job: 'alerts' }, lambdaContext()).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(AlertPublishError);
      const { memory } = await store.load();
      const sent = alertSubjects(world);
      expect(Object.keys(memory.delivered)).toHaveLength(2);
      const messages = world.deps.logger.lines.map((l) => l.message);
      expect(messages).toContain('history saved');
      expect(messages.at(-1)).toBe('run failed');

      world.sns.reset();
      acceptBatches(world);
      world.setNow(NOW + 24 * 3_600_000);
      await handle({ job: 'alerts' }, lambdaContext());
      // Only the message that failed goes out again (it failed twice: the retry of its entry too).
      expect(alertSubjects(world)).toEqual([sent[1]]);
    });

    it('does compare the weekly report with the previous weekly report', async () => {
      const world = fakeWorld();
      world.sns.on(PublishCommand).resolves({ MessageId: 'report-1' });
      const { handle } = withHistory(world);
      await handle({ job: 'report' }, lambdaContext());
      world.setNow(NOW + 7 * 24 * 3_600_000);
      await handle({ job: 'report' }, lambdaContext());
      const stored = world.deps.logger.lines.filter((l) => l.message === 'report stored');
      expect(stored.map((l) => l.fields.previousAsOf)).toEqual([null, new Date(NOW).toISOString()]);
      // A week on, carol's key is still fresh and nothing was rotated: nothing new, nothing resolved.
      expect(stored[1]?.fields).toMatchObject({ newFindings: 0, resolvedFindings: 0 });
    });

    it('does fail before scanning or sending anything when the history cannot be read', async () => {
      const world = fakeWorld();
      const { handle, dir, store } = withHistory(world);
      await store.save((await store.load()).memory, null);
      writeFileSync(join(dir, 'state.json'), '{"version": 99}');
      const error = await handle({ job: 'alerts' }, lambdaContext()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HistoryError);
      expect(world.sts.calls()).toHaveLength(0);
      expect(world.sns.calls()).toHaveLength(0);
      // The metrics are flushed all the same (empty), as on every invocation.
      expect(world.deps.metrics.flushes).toBe(1);
    });
  });

  describe('with Security Hub', () => {
    const securityHub = (reject?: Error) => {
      const client = new SecurityHubClient({ region: 'eu-west-2' });
      const mock = mockClient(client);
      mock.on(GetFindingsCommand).resolves({ Findings: [] });
      if (reject === undefined) {
        mock.on(BatchImportFindingsCommand).callsFake((input) => ({
          FailedCount: 0,
          SuccessCount: input.Findings?.length ?? 0,
          FailedFindings: [],
        }));
      } else mock.on(BatchImportFindingsCommand).rejects(reject);
      const accounts: string[] = [];
      return {
        mock,
        accounts,
        factory: (accountId: string) => {
          accounts.push(accountId);
          return client;
        },
      };
    };

    it('does import the weekly report after publishing it, through each account’s role', async () => {
      const world = fakeWorld();
      world.sns.on(PublishCommand).resolves({ MessageId: 'report-1' });
      const hub = securityHub();
      const summary = await handlerOf(world, {
        config: config([A, B], { securityHub: true }),
        securityHub: hub.factory,
      })({ job: 'report' }, lambdaContext());

      expect(summary.messageIds).toEqual(['report-1']);
      expect(hub.accounts).toEqual([A, B]);
      const imported = hub.mock
        .commandCalls(BatchImportFindingsCommand)
        .flatMap((call) => call.args[0].input.Findings ?? []);
      expect(imported.map((f) => f.AwsAccountId).sort()).toEqual([A, A, B]);
      // The scan's role again, once per account.
      const assumed = world.sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn);
      expect(assumed.filter((arn) => arn === `arn:aws:iam::${A}:role/KeyAuditReadOnly`)).toHaveLength(2);
      expect(world.deps.logger.lines.at(-1)).toMatchObject({
        message: 'security hub import complete',
        fields: { imported: 3, archived: 0 },
      });
      expect(world.deps.metrics.published[0]).toMatchObject({ SecurityHubAccountsFailed: 0 });
    });

    it('does fail the invocation after publishing when an account’s findings were not imported', async () => {
      const world = fakeWorld();
      world.sns.on(PublishCommand).resolves({ MessageId: 'report-1' });
      const hub = securityHub(new InvalidAccessException({ message: 'not subscribed', $metadata: {} }));
      const error = await handlerOf(world, {
        config: config([A, B], { securityHub: true }),
        securityHub: hub.factory,
      })({ job: 'report' }, lambdaContext()).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(SecurityHubImportError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Security Hub import \\(eu-west-2\\) incomplete in 2 accounts: ${A} \\(InvalidAccessException: `,
        ),
      );
      expect(world.sns.commandCalls(PublishCommand)).toHaveLength(1);
      const lines = world.deps.logger.lines;
      expect(lines.find((l) => l.message === 'security hub import incomplete')?.level).toBe('error');
      expect(world.deps.metrics.published[0]).toMatchObject({ SecurityHubAccountsFailed: 2 });
    });

    it('does not import from the alerts job', async () => {
      const world = fakeWorld();
      acceptBatches(world);
      const hub = securityHub();
      await handlerOf(world, { config: config([A, B], { securityHub: true }), securityHub: hub.factory })(
        { job: 'alerts' },
        lambdaContext(),
      );
      expect(hub.accounts).toEqual([]);
    });
  });

  it.each([
    [{ job: 'weekly' }, 'event.job: "weekly" is not a job: expected "report" or "alerts"'],
    [{}, 'event.job: missing: expected "report" or "alerts"'],
    [{ job: 7 }, 'event.job: 7 is not a job'],
    [null, 'event: expected {"job": "report"} or {"job": "alerts"}, got null'],
    ['report', 'event: expected {"job": "report"} or {"job": "alerts"}, got "report"'],
  ])('does fail an invocation with event %j, naming the event field', async (event, message) => {
    const world = fakeWorld();
    const error = await handlerOf(world)(event, lambdaContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(message);
    expect(world.sts.calls()).toHaveLength(0);
    expect(world.sns.calls()).toHaveLength(0);
  });

  it('does fail every invocation with the configuration error found at cold start, before any AWS call', async () => {
    const world = fakeWorld();
    const deps = defaultDeps({ KEY_AUDIT_ALERT_SEVERITY: 'urgent' });
    expect(deps.config).toBeInstanceOf(ConfigurationError);
    const handle = createHandler({ ...world.deps, config: deps.config });
    for (let i = 0; i < 2; i += 1) {
      await expect(handle({ job: 'report' }, lambdaContext())).rejects.toThrow(
        /KEY_AUDIT_REPORT_TOPIC_ARN: missing.*KEY_AUDIT_ALERT_SEVERITY: "urgent"/,
      );
    }
    expect(world.deps.logger.lines[0]?.message).toMatch(/^invalid configuration/);
    expect(world.sts.calls()).toHaveLength(0);
  });

  it('does fail the invocation when no account can be scanned at all, and publishes nothing', async () => {
    const world = fakeWorld();
    world.sts.on(GetCallerIdentityCommand).rejects(
      new STSServiceException({
        name: 'ExpiredToken',
        $fault: 'client',
        $metadata: {},
        message: 'expired',
      }),
    );
    await expect(handlerOf(world)({ job: 'report' }, lambdaContext())).rejects.toThrow(/expired/);
    expect(world.sns.calls()).toHaveLength(0);
    expect(world.deps.logger.lines.at(-1)?.message).toBe('run failed');
  });

  it('does export a handler built at module load, even when the environment is not configured', () => {
    expect(typeof handler).toBe('function');
  });
});

describe('defaultDeps', () => {
  it('does build Powertools metrics in namespace KeyAudit with the service dimension key-audit', () => {
    const deps = defaultDeps(VALID_ENV);
    expect(deps.config).not.toBeInstanceOf(Error);
    const metrics = deps.metrics as Metrics;
    metrics.addMetric('AccountsFailed', 'Count', 2);
    const emf = metrics.serializeMetrics();
    metrics.clearMetrics();
    expect(emf._aws.CloudWatchMetrics[0]?.Namespace).toBe('KeyAudit');
    expect(emf._aws.CloudWatchMetrics[0]?.Dimensions[0]).toContain('service');
    expect(emf.service).toBe('key-audit');
    expect(emf.AccountsFailed).toBe(2);
  });

  it('does keep the configuration error rather than throw at module load', () => {
    const deps = defaultDeps({});
    expect(deps.config).toBeInstanceOf(ConfigurationError);
    expect((deps.config as ConfigurationError).problems).toEqual([
      'KEY_AUDIT_REPORT_TOPIC_ARN: missing (the SNS topic ARN to publish to)',
      'KEY_AUDIT_ALERT_TOPIC_ARN: missing (the SNS topic ARN to publish to)',
    ]);
  });
});
