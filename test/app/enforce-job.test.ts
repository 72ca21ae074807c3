import {
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  checkEnforcementHistory,
  ENFORCEMENT_METRICS,
  enforceInJob,
  enforcementMetric,
  rememberEnforcement,
} from '../../lambda/app/enforce-job.ts';
import { reportFromInventory } from '../../lambda/app/report-from-inventory.ts';
import type { LiveAudit } from '../../lambda/app/run-audit.ts';
import { runScheduledJob } from '../../lambda/app/scheduled-job.ts';
import type { AwsClients, CredentialsProvider } from '../../lambda/aws/client-factory.ts';
import type { HandlerConfig } from '../../lambda/config/handler-config.ts';
import { DEFAULT_ENFORCEMENT, type EnforcementPolicy } from '../../lambda/domain/enforcement/policy.ts';
import { ConfigurationError } from '../../lambda/domain/errors.ts';
import { EMPTY_MEMORY, type Memory } from '../../lambda/domain/memory.ts';
import { addDays, DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import {
  ACCOUNT_ID,
  AS_OF,
  accessKey,
  ago,
  iamUser,
  inventoryOf,
  scannedAccount,
} from '../domain/factories.ts';
import { fakeWorld, config as jobConfig, recordingLogger, recordingMetrics } from './job-fakes.ts';

const DUE_KEY = 'AKIADUEEXAMPLE000001';
const LAST_USE = ago(100);

/** alice's key, unused 100 days: noticed 7 days ago, due now. */
const inventory = inventoryOf(
  scannedAccount([
    iamUser('alice', [accessKey({ accessKeyId: DUE_KEY, createdAt: ago(200), lastUsedAt: LAST_USE })]),
  ]),
);

const audit: LiveAudit = {
  report: reportFromInventory(inventory, { asOf: AS_OF, policy: DEFAULT_POLICY }),
  scan: {
    ...inventory,
    callerAccountId: '999999999999',
    accountNames: {},
    accountsNotScanned: [],
    warnings: [],
    stopReason: null,
    ownCredentialAccounts: [],
  },
  isProduction: () => false,
  warnings: [],
};

const MEMORY: Memory = {
  ...EMPTY_MEMORY,
  notices: {
    [DUE_KEY]: {
      accountId: ACCOUNT_ID,
      userName: 'alice',
      accessKeyId: DUE_KEY,
      action: 'deactivate',
      noticedAt: ago(7),
      dueAt: AS_OF,
      lastUsedAtNoticed: LAST_USE,
      production: false,
    },
  },
};

/** AWS behind fakes: each IAM client made is kept with the credentials it was made with. */
const fakeAws = () => {
  const sts = new STSClient({ region: 'eu-west-2' });
  mockClient(sts)
    .on(AssumeRoleCommand)
    .callsFake((input: { RoleArn?: string }) => ({
      // The role name as the key id, so a test can tell which role a client acts as.
      Credentials: {
        AccessKeyId: input.RoleArn?.split('/').pop(),
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: addDays(new Date(), 1),
      },
    }));
  const iamClients: { credentials: CredentialsProvider | undefined; mock: AwsClientStub<IAMClient> }[] = [];
  const organizations = new OrganizationsClient({ region: 'us-east-1' });
  const org = mockClient(organizations);
  const clients: AwsClients = {
    iam(_accountId, credentials) {
      const client = new IAMClient({ region: 'us-east-1' });
      const mock = mockClient(client);
      mock
        .on(ListAccessKeysCommand)
        .resolves({ AccessKeyMetadata: [{ AccessKeyId: DUE_KEY, Status: 'Active', UserName: 'alice' }] });
      mock.on(GetAccessKeyLastUsedCommand).resolves({
        UserName: 'alice',
        AccessKeyLastUsed: { LastUsedDate: LAST_USE, ServiceName: 's3', Region: 'eu-west-1' },
      });
      mock.on(UpdateAccessKeyCommand).resolves({});
      iamClients.push({ credentials, mock });
      return client;
    },
    sts: () => sts,
    organizations: () => organizations,
  };
  const snsClient = new SNSClient({ region: 'eu-west-2' });
  const sns = mockClient(snsClient);
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  const deps = { clients, sns: () => snsClient, logger: recordingLogger(), metrics: recordingMetrics() };
  /** The role of each IAM client that listed keys (`read`) or changed one (`write`). */
  const rolesThat = async (what: 'read' | 'write') => {
    const roles: string[] = [];
    for (const { credentials, mock } of iamClients) {
      const calls =
        what === 'read'
          ? mock.commandCalls(ListAccessKeysCommand)
          : mock.commandCalls(UpdateAccessKeyCommand);
      if (calls.length > 0) roles.push((await credentials?.())?.accessKeyId ?? 'own');
    }
    return roles;
  };
  return { deps, org, sns, rolesThat };
};

const configWith = (enforcement: Partial<EnforcementPolicy>, extra: Partial<HandlerConfig> = {}) =>
  jobConfig([ACCOUNT_ID], { enforcement: { ...DEFAULT_ENFORCEMENT, ...enforcement }, ...extra });

describe('enforceInJob', () => {
  it('reads through the read-only role, deactivates through the remediation role, logs the undo and counts', async () => {
    const { deps, rolesThat } = fakeAws();
    const result = await enforceInJob(audit, MEMORY, configWith({ mode: 'apply' }), deps);
    expect(result.outcomes.map((o) => o.status)).toEqual(['done']);
    expect(await rolesThat('read')).toEqual(['KeyAuditReadOnly']);
    expect(await rolesThat('write')).toEqual(['KeyAuditRemediation']);
    expect(deps.logger.lines).toContainEqual({
      level: 'info',
      message: 'enforcement action done',
      fields: expect.objectContaining({
        accessKeyId: DUE_KEY,
        undo: `aws iam update-access-key --user-name alice --access-key-id ${DUE_KEY} --status Active`,
      }),
    });
    const metrics = Object.fromEntries(deps.metrics.added.map((m) => [m.name, m.value]));
    expect(Object.keys(metrics)).toEqual(ENFORCEMENT_METRICS.map((m) => enforcementMetric(m.type, m.status)));
    expect(metrics).toMatchObject({ EnforcementDeactivateDone: 1, EnforcementDeactivateFailed: 0 });
  });

  it('gives the production notice to the accounts the audit classified as production', async () => {
    const { deps, sns } = fakeAws();
    const fresh = inventoryOf(
      scannedAccount([
        iamUser('bob', [accessKey({ accessKeyId: 'AKIABOBEXAMPLE000001', lastUsedAt: ago(80) })]),
      ]),
    );
    const result = await enforceInJob(
      { ...audit, scan: { ...audit.scan, ...fresh }, isProduction: (accountId) => accountId === ACCOUNT_ID },
      EMPTY_MEMORY,
      configWith({ mode: 'apply' }),
      deps,
    );
    expect(result.notices.map((n) => [n.notice.production, n.notice.dueAt])).toEqual([
      [true, addDays(AS_OF, 14)],
    ]);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes?.audience).toEqual({
      DataType: 'String',
      StringValue: 'second-line',
    });
  });
});

describe('rememberEnforcement', () => {
  it('lays the run’s notices and actions over the memory at save time and keeps the rest', async () => {
    const { deps } = fakeAws();
    const result = await enforceInJob(audit, MEMORY, configWith({ mode: 'apply' }), deps);
    const atSave: Memory = { ...EMPTY_MEMORY, lastScanned: { [ACCOUNT_ID]: AS_OF } };
    const remembered = rememberEnforcement(result)(atSave);
    expect(remembered.lastScanned).toEqual(atSave.lastScanned);
    expect(remembered.notices).toBe(result.memory.notices);
    expect(remembered.actions.map((a) => [a.type, a.status])).toEqual([['deactivate', 'done']]);
  });
});

describe('checkEnforcementHistory', () => {
  it.each([
    ['off', false],
    ['plan', false],
    ['apply', true],
  ] as const)('refuses mode %s without a history: %s', (mode, refused) => {
    const check = () => checkEnforcementHistory(configWith({ mode }));
    if (refused) expect(check).toThrow(ConfigurationError);
    else expect(check).not.toThrow();
  });

  it('stops the alerts job before it scans anything', async () => {
    const world = fakeWorld();
    await expect(
      runScheduledJob(
        'alerts',
        jobConfig(undefined, { enforcement: { ...DEFAULT_ENFORCEMENT, mode: 'apply' } }),
        world.deps,
        60_000,
      ),
    ).rejects.toThrow('KEY_AUDIT_ENFORCEMENT: mode "apply" needs a history');
    expect([...world.iamCalls.values()].flat()).toEqual([]);
  });
});
