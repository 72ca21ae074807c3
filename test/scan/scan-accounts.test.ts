import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { AwsClients, CredentialsProvider } from '../../lambda/aws/client-factory.ts';
import { InputError } from '../../lambda/domain/errors.ts';
import { evaluate } from '../../lambda/domain/evaluate.ts';
import type { ScannedAccount } from '../../lambda/domain/inventory.ts';
import { DAY_MS, DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import { type ScanOptions, type ScanProgress, scanAccounts } from '../../lambda/scan/scan-accounts.ts';
import { type FakeAccountSpec, fakeIamAccount, type RecordedCall, reportCsv } from '../aws/fake-iam.ts';

const CALLER = '999999999999';
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const AS_OF = new Date('2025-06-01T12:00:00Z');
const ago = (days: number): Date => new Date(AS_OF.getTime() - days * DAY_MS);

/** Three users: one healthy (unflagged), one with an old key, one with an inactive key. */
const accountSpec = (accountId: string): FakeAccountSpec => ({
  accountId,
  users: [
    {
      name: `ok-${accountId.slice(0, 1)}`,
      keys: [{ id: `AKIAOK${accountId}`, status: 'Active', createdAt: ago(5), lastUsedAt: ago(1) }],
    },
    {
      name: 'old',
      tags: { owner: 'ops' },
      keys: [{ id: `AKIAOLD${accountId}`, status: 'Active', createdAt: ago(200), lastUsedAt: ago(1) }],
    },
    { name: 'off', keys: [{ id: `AKIAOFF${accountId}`, status: 'Inactive', createdAt: ago(30) }] },
  ],
});
const FLAGGED_PER_ACCOUNT = 2;

interface World {
  readonly clients: AwsClients;
  readonly sts: AwsClientStub<STSClient>;
  readonly org: AwsClientStub<OrganizationsClient>;
  /** Calls per account, as the fake IAM saw them. */
  readonly calls: Map<string, RecordedCall[]>;
  /** The credentials each IAM client was built with (undefined: the caller's own). */
  readonly credentials: Map<string, CredentialsProvider | undefined>;
  /** IAM clients, for per-test overrides. */
  readonly iam: Map<string, IAMClient>;
  readonly mocks: Map<string, ReturnType<typeof fakeIamAccount>['mock']>;
}

/** Accounts A, B, C and the caller's; AssumeRole is denied into `denied`. */
const world = (denied: readonly string[] = []): World => {
  const stsClient = new STSClient({ region: 'eu-west-2' });
  const orgClient = new OrganizationsClient({ region: 'eu-west-2' });
  const sts = mockClient(stsClient);
  const org = mockClient(orgClient);
  sts.on(GetCallerIdentityCommand).resolves({ Account: CALLER, Arn: `arn:aws:iam::${CALLER}:user/scanner` });
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn?: string }) => {
    const accountId = input.RoleArn?.split(':')[4] ?? '';
    if (denied.includes(accountId)) {
      throw new STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: `User: arn:aws:iam::${CALLER}:user/scanner is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
      });
    }
    return {
      Credentials: {
        AccessKeyId: `ASIA${accountId}`,
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    };
  });
  const calls = new Map<string, RecordedCall[]>();
  const credentials = new Map<string, CredentialsProvider | undefined>();
  const iam = new Map<string, IAMClient>();
  const mocks = new Map<string, ReturnType<typeof fakeIamAccount>['mock']>();
  for (const accountId of [A, B, C, CALLER]) {
    const fake = fakeIamAccount(accountSpec(accountId));
    calls.set(accountId, fake.calls);
    iam.set(accountId, fake.client);
    mocks.set(accountId, fake.mock);
  }
  const clients: AwsClients = {
    iam(accountId, provider) {
      credentials.set(accountId, provider);
      const client = iam.get(accountId);
      if (client === undefined) throw new Error(`no fake account ${accountId}`);
      return client;
    },
    sts: () => stsClient,
    organizations: () => orgClient,
  };
  return { clients, sts, org, calls, credentials, iam, mocks };
};

const noWait = { sleep: async () => {}, pollDelayMs: 1 };
const baseOptions = (w: World, extra: Partial<ScanOptions> = {}): ScanOptions => ({
  asOf: AS_OF,
  policy: DEFAULT_POLICY,
  clients: w.clients,
  reportPolling: noWait,
  ...extra,
});

const scanned = (account: unknown): ScannedAccount => {
  expect(account).toMatchObject({ status: 'scanned' });
  return account as ScannedAccount;
};

describe('scanAccounts', () => {
  it('scans the caller account with its own credentials when no account is named', async () => {
    const w = world();
    const result = await scanAccounts({ kind: 'caller' }, baseOptions(w));
    expect(result.accounts.map((a) => [a.accountId, a.status])).toEqual([[CALLER, 'scanned']]);
    expect(w.credentials.get(CALLER)).toBeUndefined();
    expect(w.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(result.callerAccountId).toBe(CALLER);
  });

  it('fails an account whose AssumeRole is denied while every other account completes', async () => {
    const w = world([B]);
    const result = await scanAccounts({ kind: 'accounts', accountIds: [A, B, C] }, baseOptions(w));
    expect(result.accounts.map((a) => [a.accountId, a.status])).toEqual([
      [A, 'scanned'],
      [B, 'failed'],
      [C, 'scanned'],
    ]);
    expect(result.accounts[1]).toMatchObject({
      errorCode: 'AccessDenied',
      errorMessage: expect.stringContaining(`arn:aws:iam::${B}:role/KeyAuditReadOnly`),
      step: 'assume-role',
    });
    expect(w.calls.get(B)).toEqual([]);
    expect(scanned(result.accounts[0]).users).toHaveLength(3);
    expect(result.accountsNotScanned).toEqual([]);
    expect(result.stopReason).toBeNull();
  });

  it('assumes the role once per account and builds IAM clients with the role credentials', async () => {
    const w = world();
    await scanAccounts({ kind: 'accounts', accountIds: [A, B] }, baseOptions(w, { externalId: 'ext-123' }));
    const roleArns = w.sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn);
    expect(roleArns.sort()).toEqual([
      `arn:aws:iam::${A}:role/KeyAuditReadOnly`,
      `arn:aws:iam::${B}:role/KeyAuditReadOnly`,
    ]);
    expect(w.sts.commandCalls(AssumeRoleCommand).every((c) => c.args[0].input.ExternalId === 'ext-123')).toBe(
      true,
    );
    await expect(w.credentials.get(A)?.()).resolves.toMatchObject({ accessKeyId: `ASIA${A}` });
  });

  it('falls back to its own credentials in its own account when the role is not there', async () => {
    const w = world([CALLER]);
    const result = await scanAccounts({ kind: 'accounts', accountIds: [CALLER, A] }, baseOptions(w));
    expect(result.accounts.map((a) => a.status)).toEqual(['scanned', 'scanned']);
    expect(result.ownCredentialAccounts).toEqual([CALLER]);
    expect(w.credentials.get(CALLER)).toBeUndefined();
  });

  it('scans the ACTIVE accounts of the organisation and keeps their names', async () => {
    const w = world();
    w.org.on(ListAccountsCommand).resolves({
      Accounts: [
        { Id: C, Name: 'prod', Status: 'ACTIVE' },
        { Id: A, Name: 'dev', Status: 'ACTIVE' },
        { Id: B, Name: 'old', Status: 'SUSPENDED' },
      ],
    });
    const result = await scanAccounts({ kind: 'organisation' }, baseOptions(w));
    expect(result.accounts.map((a) => a.accountId)).toEqual([A, C]);
    expect(result.accountNames).toEqual({ [A]: 'dev', [C]: 'prod' });
    expect(result.warnings).toEqual([]);
  });

  it.each([
    [
      [C, '444444444444'],
      ['exclude: account 444444444444 is not in the organisation, so it excludes nothing (a typo?)'],
    ],
    [
      ['444444444444', '555555555555'],
      [
        'exclude: accounts 444444444444, 555555555555 are not in the organisation, so they exclude nothing (typos?)',
      ],
    ],
    // A suspended account is in the organisation: excluding it is pointless, not a mistake.
    [[B], []],
  ])('warns of excluded ids %j that are not in the organisation listing', async (exclude, warnings) => {
    const w = world();
    w.org.on(ListAccountsCommand).resolves({
      Accounts: [
        { Id: C, Name: 'prod', Status: 'ACTIVE' },
        { Id: A, Name: 'dev', Status: 'ACTIVE' },
        { Id: B, Name: 'old', Status: 'SUSPENDED' },
      ],
    });
    const result = await scanAccounts({ kind: 'organisation', exclude }, baseOptions(w));
    expect(result.warnings).toEqual(warnings);
  });

  it('warns of no listed account in account mode, where the organisation is not listed', async () => {
    const w = world();
    const result = await scanAccounts({ kind: 'accounts', accountIds: [A] }, baseOptions(w));
    expect(result.warnings).toEqual([]);
    expect(w.org.calls()).toHaveLength(0);
  });

  it('fails an account whose IAM errors persist after the SDK retries', async () => {
    const w = world();
    w.mocks
      .get(B)
      ?.on(ListAccessKeysCommand)
      .rejects(
        new IAMServiceException({
          name: 'Throttling',
          $fault: 'client',
          $metadata: {},
          message: 'Rate exceeded',
        }),
      );
    const result = await scanAccounts(
      { kind: 'accounts', accountIds: [A, B] },
      baseOptions(w, { source: 'api' }),
    );
    expect(result.accounts[1]).toMatchObject({
      accountId: B,
      status: 'failed',
      errorCode: 'Throttling',
      step: 'read',
    });
    expect(result.accounts[0]).toMatchObject({ accountId: A, status: 'scanned' });
  });

  it('lets an unexpected error (a bug) surface instead of hiding it in a failed account', async () => {
    const w = world();
    const broken: AwsClients = {
      ...w.clients,
      iam: () => {
        throw new TypeError('bug');
      },
    };
    await expect(
      scanAccounts({ kind: 'accounts', accountIds: [A] }, baseOptions(w, { clients: broken })),
    ).rejects.toThrow(TypeError);
  });

  it('rejects a malformed account id before any AWS call', async () => {
    const w = world();
    const scan = scanAccounts({ kind: 'accounts', accountIds: [A, '12345'] }, baseOptions(w));
    await expect(scan).rejects.toThrow(InputError);
    await expect(scan).rejects.toThrow('invalid AWS account id "12345": expected 12 digits');
    expect(w.sts.calls()).toHaveLength(0);
  });

  it.each([
    [{ concurrency: 0 }, 'concurrency must be a positive integer'],
    [{ roleName: 'no spaces' }, 'invalid role name'],
  ])('rejects option %j with an InputError', async (extra, message) => {
    const w = world();
    await expect(scanAccounts({ kind: 'accounts', accountIds: [A] }, baseOptions(w, extra))).rejects.toThrow(
      message,
    );
    expect(w.sts.calls()).toHaveLength(0);
  });

  it('gives the same findings from both sources, account by account', async () => {
    const targets = { kind: 'accounts' as const, accountIds: [A, B, C] };
    const fromReport = await scanAccounts(targets, baseOptions(world()));
    const fromApi = await scanAccounts(targets, baseOptions(world(), { source: 'api' }));
    const findings = (inventory: typeof fromApi) =>
      evaluate(inventory, { asOf: AS_OF, policy: DEFAULT_POLICY }).findings;
    expect(findings(fromReport)).toHaveLength(3 * FLAGGED_PER_ACCOUNT);
    expect(findings(fromReport)).toEqual(findings(fromApi));
  });

  it('stays within one AssumeRole plus 4 + 4 x flagged users calls per account', async () => {
    const w = world();
    await scanAccounts({ kind: 'accounts', accountIds: [A, B, C] }, baseOptions(w));
    for (const accountId of [A, B, C]) {
      expect(w.calls.get(accountId)?.length).toBeLessThanOrEqual(4 + 4 * FLAGGED_PER_ACCOUNT);
    }
    expect(w.sts.commandCalls(AssumeRoleCommand)).toHaveLength(3);
  });

  it("starts every account's credential report before the first account is read when it scans one at a time", async () => {
    const w = world();
    const order: string[] = [];
    for (const accountId of [A, B, C]) {
      w.mocks
        .get(accountId)
        ?.on(GenerateCredentialReportCommand)
        .callsFake(() => {
          order.push(`generate ${accountId}`);
          const first = order.filter((entry) => entry === `generate ${accountId}`).length === 1;
          return { State: first ? 'STARTED' : 'COMPLETE' };
        });
      w.mocks
        .get(accountId)
        ?.on(GetCredentialReportCommand)
        .callsFake(async () => {
          order.push(`get ${accountId}`);
          return {
            Content: new TextEncoder().encode(reportCsv(accountSpec(accountId))),
            ReportFormat: 'text/csv',
          };
        });
    }
    const result = await scanAccounts(
      { kind: 'accounts', accountIds: [A, B, C] },
      baseOptions(w, { concurrency: 1 }),
    );
    expect(result.accounts.map((account) => account.status)).toEqual(['scanned', 'scanned', 'scanned']);
    const firstRead = order.indexOf(`get ${A}`);
    expect(firstRead).toBeGreaterThan(-1);
    for (const accountId of [A, B, C]) {
      // One head start and one completing call each: the head start is never repeated.
      expect(order.filter((entry) => entry === `generate ${accountId}`)).toHaveLength(2);
      expect(order.indexOf(`generate ${accountId}`)).toBeLessThan(firstRead);
    }
    expect(w.sts.commandCalls(AssumeRoleCommand)).toHaveLength(3);
  });

  it('reports an account whose credential report cannot be generated, though its head start failed first', async () => {
    const w = world();
    w.mocks
      .get(B)
      ?.on(GenerateCredentialReportCommand)
      .rejects(
        new IAMServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: 'not authorized to perform: iam:GenerateCredentialReport',
        }),
      );
    const result = await scanAccounts({ kind: 'accounts', accountIds: [A, B, C] }, baseOptions(w));
    const failed = result.accounts.find((account) => account.accountId === B);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(failed)).toContain('iam:GenerateCredentialReport');
    expect(w.mocks.get(B)?.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
    expect(result.accounts.filter((account) => account.status === 'scanned')).toHaveLength(2);
  });

  it('makes no head-start call in an account whose role cannot be assumed', async () => {
    const w = world([B]);
    const result = await scanAccounts({ kind: 'accounts', accountIds: [A, B, C] }, baseOptions(w));
    expect(result.accounts.find((account) => account.accountId === B)).toMatchObject({
      status: 'failed',
      errorCode: 'AccessDenied',
    });
    expect(w.calls.get(B)).toEqual([]);
    expect(w.sts.commandCalls(AssumeRoleCommand)).toHaveLength(3);
  });

  it('reports progress at the start, as users are read inside an account and after each account', async () => {
    const w = world([B]);
    const progress: ScanProgress[] = [];
    let clock = 1_000;
    await scanAccounts(
      { kind: 'accounts', accountIds: [A, B] },
      baseOptions(w, {
        concurrency: 1,
        now: () => (clock += 10),
        onProgress: (p) => progress.push(p),
      }),
    );
    expect(
      progress.map(({ event, accountsDone, accountsTotal, users, accountId }) => ({
        event,
        accountsDone,
        accountsTotal,
        users,
        accountId,
      })),
    ).toEqual([
      { event: 'started', accountsDone: 0, accountsTotal: 2, users: 0, accountId: undefined },
      // The report's one unflagged user at once, then each flagged user as it is re-read live.
      { event: 'users', accountsDone: 0, accountsTotal: 2, users: 1, accountId: A },
      { event: 'users', accountsDone: 0, accountsTotal: 2, users: 2, accountId: A },
      { event: 'users', accountsDone: 0, accountsTotal: 2, users: 3, accountId: A },
      { event: 'account', accountsDone: 1, accountsTotal: 2, users: 3, accountId: A },
      { event: 'account', accountsDone: 2, accountsTotal: 2, users: 3, accountId: B },
    ]);
    expect(progress.every((p) => p.elapsedMs > 0)).toBe(true);
  });

  it('starts no account after the deadline and lists those not scanned', async () => {
    const w = world();
    let clock = 0;
    const deadline = new Date(1_000);
    // Time passes only while account A is read.
    w.mocks
      .get(A)
      ?.on(ListUsersCommand)
      .callsFake(() => {
        clock = 2_000;
        return { Users: [] };
      });
    const result = await scanAccounts(
      { kind: 'accounts', accountIds: [A, B, C] },
      baseOptions(w, { source: 'api', concurrency: 1, deadline, now: () => clock }),
    );
    expect(result.accounts.map((a) => a.accountId)).toEqual([A]);
    expect(result.accountsNotScanned).toEqual([B, C]);
    expect(result.stopReason).toBe('deadline');
    expect(w.calls.get(B)).toEqual([]);
  });

  it('stops running accounts at the next user once aborted and counts them as not scanned', async () => {
    const w = world();
    const controller = new AbortController();
    w.mocks
      .get(A)
      ?.on(ListAccessKeysCommand)
      .callsFake(() => {
        controller.abort();
        return { AccessKeyMetadata: [] };
      });
    const result = await scanAccounts(
      { kind: 'accounts', accountIds: [A, B] },
      baseOptions(w, { source: 'api', concurrency: 1, userConcurrency: 1, signal: controller.signal }),
    );
    expect(result.accounts).toEqual([]);
    expect(result.accountsNotScanned).toEqual([A, B]);
    expect(result.stopReason).toBe('aborted');
  });
});
