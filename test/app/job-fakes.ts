/**
 * A world for handler and scheduled-job tests: accounts behind fake IAM (test/aws/fake-iam.ts), STS that
 * lets the scanner into every account, a mocked SNS client, a controllable clock, and a logger and metrics
 * that record what they were given.
 */

import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import type { JobDeps, JobLogger, JobMetrics, LogFields } from '../../lambda/app/scheduled-job.ts';
import type { AwsClients } from '../../lambda/aws/client-factory.ts';
import { DEFAULT_REMEDIATION_ROLE_NAME } from '../../lambda/aws/key-remediation.ts';
import type { HandlerConfig } from '../../lambda/config/handler-config.ts';
import { SCAN_DEFAULTS } from '../../lambda/config/scan-settings.ts';
import { DEFAULT_ENFORCEMENT } from '../../lambda/domain/enforcement/policy.ts';
import { DAY_MS, DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import { type FakeAccountSpec, fakeIamAccount, type RecordedCall } from '../aws/fake-iam.ts';

export const CALLER = '999999999999';
export const A = '111111111111';
export const B = '222222222222';
/** The instant runs start at, unless a test moves the clock. */
export const NOW = Date.parse('2026-11-23T06:00:00Z');
export const HOUR_MS = 3_600_000;
export const REPORT_TOPIC = 'arn:aws:sns:eu-west-2:999999999999:key-audit-report';
export const ALERT_TOPIC = 'arn:aws:sns:eu-west-2:999999999999:key-audit-alerts';

/** The instant `days` days and `hours` hours before NOW. */
export const before = (days: number, hours = 0): Date => new Date(NOW - days * DAY_MS - hours * HOUR_MS);

/** One line the logger was given. */
export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields;
}

/** A logger that records every line. */
export const recordingLogger = (): JobLogger & {
  readonly lines: LogLine[];
  addContext(context: Context): void;
  readonly contexts: Context[];
} => {
  const lines: LogLine[] = [];
  const contexts: Context[] = [];
  return {
    lines,
    contexts,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
    addContext: (context) => contexts.push(context),
  };
};

/** Metrics that record what was added and each flush. */
export const recordingMetrics = (): JobMetrics & {
  readonly added: { name: string; unit: string; value: number }[];
  readonly flushes: number;
  /** Values by name as of the last flush. */
  readonly published: Record<string, number>[];
} => {
  const added: { name: string; unit: string; value: number }[] = [];
  const published: Record<string, number>[] = [];
  let pending: Record<string, number> = {};
  return {
    added,
    published,
    get flushes() {
      return published.length;
    },
    addMetric(name, unit, value) {
      added.push({ name, unit, value });
      pending[name] = value;
    },
    publishStoredMetrics() {
      published.push(pending);
      pending = {};
    },
  };
};

/** A Lambda context with `remainingMs` left. */
export const lambdaContext = (remainingMs = 900_000): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'key-audit-scanner',
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-2:${CALLER}:function:key-audit-scanner`,
  memoryLimitInMB: '1024',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/key-audit-scanner',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => remainingMs,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

/** The configuration a stack would give for `accounts` (the caller's own account when empty). */
export const config = (
  accounts: readonly string[] = [A, B],
  extra: Partial<HandlerConfig> = {},
): HandlerConfig => ({
  source: 'report',
  targets: accounts.length === 0 ? { kind: 'caller' } : { kind: 'accounts', accountIds: accounts },
  roleName: 'KeyAuditReadOnly',
  policy: DEFAULT_POLICY,
  enforcement: DEFAULT_ENFORCEMENT,
  remediationRoleName: DEFAULT_REMEDIATION_ROLE_NAME,
  reportTopicArn: REPORT_TOPIC,
  alertTopicArn: ALERT_TOPIC,
  alertSeverity: 'high',
  alertWindowHours: 24,
  concurrency: 1,
  production: SCAN_DEFAULTS.production,
  securityHub: false,
  serviceName: 'key-audit',
  metricsNamespace: 'KeyAudit',
  ...extra,
});

/**
 * Account A: `alice`'s key crossed the 90-day limit 3 hours ago (new, high), `bob`'s 44 days ago (standing,
 * high), `carol`'s key is fresh. Account B: `dave`'s key is 100 days old (standing, high).
 */
export const defaultSpecs = (): FakeAccountSpec[] => [
  {
    accountId: A,
    reportGeneratedAt: before(0, 1),
    users: [
      {
        name: 'alice',
        tags: { 'key-audit:owner': 'team-payments' },
        keys: [
          { id: 'AKIAALICE00000000001', status: 'Active', createdAt: before(90, 3), lastUsedAt: before(1) },
        ],
      },
      {
        name: 'bob',
        keys: [
          { id: 'AKIABOB0000000000001', status: 'Active', createdAt: before(134), lastUsedAt: before(1) },
        ],
      },
      {
        name: 'carol',
        keys: [{ id: 'AKIACAROL00000000001', status: 'Active', createdAt: before(5), lastUsedAt: before(1) }],
      },
    ],
  },
  {
    accountId: B,
    reportGeneratedAt: before(0, 1),
    users: [
      {
        name: 'dave',
        keys: [
          { id: 'AKIADAVE000000000001', status: 'Active', createdAt: before(100), lastUsedAt: before(2) },
        ],
      },
    ],
  },
];

/** Everything a job needs, faked, plus handles to inspect it. */
export interface FakeWorld {
  readonly deps: JobDeps & {
    readonly logger: ReturnType<typeof recordingLogger>;
    readonly metrics: ReturnType<typeof recordingMetrics>;
  };
  readonly sts: AwsClientStub<STSClient>;
  readonly sns: AwsClientStub<SNSClient>;
  /** Regions SNS clients were asked for. */
  readonly snsRegions: string[];
  /** IAM calls per account. */
  readonly iamCalls: Map<string, RecordedCall[]>;
  /** Moves the clock. */
  setNow(ms: number): void;
}

/** A world of `specs` (default: `defaultSpecs()`). `now` may be replaced to script time. */
export const fakeWorld = (specs: readonly FakeAccountSpec[] = defaultSpecs()): FakeWorld => {
  const stsClient = new STSClient({ region: 'eu-west-2' });
  const sts = mockClient(stsClient);
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: CALLER, Arn: `arn:aws:iam::${CALLER}:role/key-audit-scanner` });
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn?: string }) => ({
    Credentials: {
      AccessKeyId: `ASIA${input.RoleArn?.split(':')[4] ?? ''}`,
      SecretAccessKey: 's',
      SessionToken: 't',
      Expiration: new Date(NOW + HOUR_MS),
    },
  }));
  const iamCalls = new Map<string, RecordedCall[]>();
  const iam = new Map<string, ReturnType<typeof fakeIamAccount>['client']>();
  for (const spec of specs) {
    const fake = fakeIamAccount(spec);
    iamCalls.set(spec.accountId, fake.calls);
    iam.set(spec.accountId, fake.client);
  }
  const clients: AwsClients = {
    iam(accountId) {
      const client = iam.get(accountId);
      if (client === undefined) throw new Error(`no fake account ${accountId}`);
      return client;
    },
    sts: () => stsClient,
    organizations: () => new OrganizationsClient({ region: 'eu-west-2' }),
  };
  const snsClient = new SNSClient({ region: 'eu-west-2' });
  const sns = mockClient(snsClient);
  const snsRegions: string[] = [];
  let now = NOW;
  return {
    deps: {
      clients,
      sns: (region) => {
        snsRegions.push(region);
        return snsClient;
      },
      now: () => now,
      logger: recordingLogger(),
      metrics: recordingMetrics(),
      reportPolling: { sleep: async () => {}, pollDelayMs: 1 },
      history: (location) => {
        throw new Error(`no history in this world: ${location}`);
      },
      securityHub: () => {
        throw new Error('no Security Hub in this world');
      },
      region: 'eu-west-2',
      sleep: async () => {},
    },
    sts,
    sns,
    snsRegions,
    iamCalls,
    setNow: (ms) => {
      now = ms;
    },
  };
};
