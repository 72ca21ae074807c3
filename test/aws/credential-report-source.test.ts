import {
  CredentialReportExpiredException,
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMServiceException,
  LimitExceededException,
  ListAccessKeysCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import {
  CredentialReportError,
  fetchCredentialReport,
  readReportInventory,
} from '../../lambda/aws/credential-report-source.ts';
import { readApiInventory } from '../../lambda/aws/iam-inventory.ts';
import { CredentialReportParseError } from '../../lambda/domain/errors.ts';
import { evaluate } from '../../lambda/domain/evaluate.ts';
import { DAY_MS, DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import {
  callSignatures,
  type FakeAccountSpec,
  type FakeUser,
  fakeIamAccount,
  reportCsv,
} from './fake-iam.ts';

const ACCOUNT = '111122223333';
const AS_OF = new Date('2025-06-01T12:00:00Z');
const ago = (days: number): Date => new Date(AS_OF.getTime() - days * DAY_MS);

/** A clock that only moves when the code under test sleeps. */
const fakeTime = () => {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
};

const meta = { $metadata: {} };

describe('fetchCredentialReport', () => {
  it('polls GenerateCredentialReport with growing pauses until COMPLETE, then decodes the content', async () => {
    const { client, mock } = fakeIamAccount({ accountId: ACCOUNT, users: [] });
    mock
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolvesOnce({ State: 'COMPLETE' });
    mock.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode('user,arn\nzoë,arn:aws:iam::111122223333:user/zoë\n'),
      GeneratedTime: new Date('2025-06-01T09:00:00Z'),
    });
    const time = fakeTime();
    const report = await fetchCredentialReport(client, ACCOUNT, { ...time, pollDelayMs: 100 });
    expect(report.csv).toContain('zoë');
    expect(report.generatedAt).toEqual(new Date('2025-06-01T09:00:00Z'));
    expect(time.sleeps).toEqual([100, 200]);
    expect(mock.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
  });

  it('waits and retries after LimitExceeded', async () => {
    const { client, mock } = fakeIamAccount({ accountId: ACCOUNT, users: [] });
    mock
      .on(GenerateCredentialReportCommand)
      .rejectsOnce(new LimitExceededException({ message: 'Too many requests', ...meta }))
      .resolvesOnce({ State: 'COMPLETE' });
    const time = fakeTime();
    await fetchCredentialReport(client, ACCOUNT, { ...time, pollDelayMs: 50 });
    expect(time.sleeps).toEqual([50]);
    expect(mock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
  });

  it('waits and fetches again after ReportInProgress', async () => {
    const { client, mock } = fakeIamAccount({ accountId: ACCOUNT, users: [] });
    mock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    mock
      .on(GetCredentialReportCommand)
      .rejectsOnce(new CredentialReportNotReadyException({ message: 'Report is in progress', ...meta }))
      .resolvesOnce({ Content: new TextEncoder().encode('csv'), GeneratedTime: AS_OF });
    const time = fakeTime();
    const report = await fetchCredentialReport(client, ACCOUNT, time);
    expect(report.csv).toBe('csv');
    expect(mock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1);
    expect(mock.commandCalls(GetCredentialReportCommand)).toHaveLength(2);
    expect(time.sleeps).toHaveLength(1);
  });

  it.each([
    ['ReportNotPresent', new CredentialReportNotPresentException({ message: 'not present', ...meta })],
    ['ReportExpired', new CredentialReportExpiredException({ message: 'expired', ...meta })],
  ])('generates again after %s', async (_code, error) => {
    const { client, mock } = fakeIamAccount({ accountId: ACCOUNT, users: [] });
    mock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    mock
      .on(GetCredentialReportCommand)
      .rejectsOnce(error)
      .resolvesOnce({ Content: new TextEncoder().encode('csv'), GeneratedTime: AS_OF });
    await fetchCredentialReport(client, ACCOUNT, fakeTime());
    expect(mock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
    expect(mock.commandCalls(GetCredentialReportCommand)).toHaveLength(2);
  });

  it('gives up with ReportTimeout once the next pause would pass the wait limit', async () => {
    const { client, mock } = fakeIamAccount({ accountId: ACCOUNT, users: [] });
    mock.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const time = fakeTime();
    const error = await fetchCredentialReport(client, ACCOUNT, {
      ...time,
      pollDelayMs: 1_000,
      maxPollDelayMs: 4_000,
      maxWaitMs: 10_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialReportError);
    expect(error).toMatchObject({ code: 'ReportTimeout' });
    expect((error as Error).message).toContain('report INPROGRESS');
    // 1 + 2 + 4 = 7 s slept; another 4 s would pass 10 s.
    expect(time.sleeps).toEqual([1_000, 2_000, 4_000]);
  });

  it('wraps other failures with their code', async () => {
    const { client, mock } = fakeIamAccount({ accountId: ACCOUNT, users: [] });
    const denied = new IAMServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      message: 'no',
      ...meta,
    });
    mock.on(GenerateCredentialReportCommand).rejects(denied);
    await expect(fetchCredentialReport(client, ACCOUNT, fakeTime())).rejects.toMatchObject({
      name: 'CredentialReportError',
      code: 'AccessDenied',
      cause: denied,
    });
  });
});

/** An account with one user per situation the flagging cares about. */
const mixedAccount = (): FakeAccountSpec & { users: FakeUser[] } => ({
  accountId: ACCOUNT,
  rootKey: { createdAt: ago(400), lastUsedAt: ago(3) },
  users: [
    {
      name: 'healthy',
      keys: [{ id: 'AKIAHEALTHY', status: 'Active', createdAt: ago(10), lastUsedAt: ago(1) }],
    },
    { name: 'nokeys', keys: [] },
    {
      name: 'old',
      tags: { 'key-audit:owner': 'ops@example.com' },
      keys: [
        {
          id: 'AKIAOLD',
          status: 'Active',
          createdAt: ago(120),
          lastUsedAt: ago(1),
          service: 's3',
          region: 'eu-west-1',
        },
      ],
    },
    {
      name: 'rotating',
      keys: [
        { id: 'AKIAROT1', status: 'Active', createdAt: ago(95), lastUsedAt: ago(2) },
        { id: 'AKIAROT2', status: 'Active', createdAt: ago(2), lastUsedAt: ago(1) },
      ],
    },
    { name: 'idle', keys: [{ id: 'AKIAIDLE', status: 'Active', createdAt: ago(60) }] },
    {
      name: 'exempt',
      tags: { 'key-audit:exempt-until': '2025-12-31', 'key-audit:exempt-reason': 'vendor appliance' },
      keys: [{ id: 'AKIAEXEMPT', status: 'Inactive', createdAt: ago(30) }],
    },
  ],
});

const FLAGGED = ['old', 'rotating', 'idle', 'exempt'];

describe('readReportInventory', () => {
  const options = (time = fakeTime()) => ({ ...time, asOf: AS_OF, policy: DEFAULT_POLICY });

  it('verifies only flagged users live and keeps the report data of the others', async () => {
    const { client, calls } = fakeIamAccount(mixedAccount());
    const account = await readReportInventory(client, ACCOUNT, options());
    expect(account.source).toBe('credential-report');
    expect(account.reportGeneratedAt).toEqual(new Date('2025-06-01T08:00:00Z'));
    const liveChecked = new Set(
      calls.filter((c) => c.command === 'ListAccessKeys').map((c) => c.input.UserName),
    );
    expect([...liveChecked].sort()).toEqual([...FLAGGED].sort());
    const byName = new Map(account.users.map((u) => [u.userName, u]));
    expect(byName.get('healthy')?.accessKeys).toEqual([
      expect.objectContaining({ accessKeyId: null, slot: 1, status: 'active' }),
    ]);
    expect(byName.get('healthy')?.tags).toEqual({});
    expect(byName.get('old')?.accessKeys).toEqual([
      expect.objectContaining({
        accessKeyId: 'AKIAOLD',
        slot: null,
        lastUsedService: 's3',
        lastUsedRegion: 'eu-west-1',
      }),
    ]);
    expect(byName.get('old')?.tags).toEqual({ 'key-audit:owner': 'ops@example.com' });
    expect(byName.get('nokeys')?.accessKeys).toEqual([]);
    expect(account.root?.hasActiveAccessKey).toBe(true);
  });

  it('stays within 4 + 4 x flagged users calls and makes no call twice', async () => {
    const { client, calls } = fakeIamAccount(mixedAccount());
    await readReportInventory(client, ACCOUNT, options());
    expect(calls.length).toBeLessThanOrEqual(4 + 4 * FLAGGED.length);
    const nonPolling = callSignatures(calls.filter((c) => c.command !== 'GenerateCredentialReport'));
    expect(new Set(nonPolling).size).toBe(nonPolling.length);
  });

  it('gives the same findings as the API source', async () => {
    const fromReport = await readReportInventory(fakeIamAccount(mixedAccount()).client, ACCOUNT, options());
    const fromApi = await readApiInventory(fakeIamAccount(mixedAccount()).client, ACCOUNT);
    const findings = (account: typeof fromApi) =>
      evaluate({ accounts: [account] }, { asOf: AS_OF, policy: DEFAULT_POLICY }).findings.map((f) => ({
        ...f,
        // Root details differ by design: the report lists the root key, the API only its presence.
        ...(f.rule === 'root-access-key'
          ? { accessKeyId: null, keySlot: null, ageDays: null, lastUsedAt: null, message: '' }
          : {}),
      }));
    const reportFindings = findings(fromReport);
    expect(reportFindings.length).toBeGreaterThan(FLAGGED.length);
    expect(reportFindings).toEqual(findings(fromApi));
  });

  it('drops a flagged user deleted since the report and uses live keys over stale ones', async () => {
    const spec = mixedAccount();
    const { client, mock } = fakeIamAccount(spec);
    // The report is read, then 'idle' is deleted and 'old' rotates its key before the live check.
    mock.on(GetCredentialReportCommand).callsFake(() => {
      const content = new TextEncoder().encode(reportCsv(spec));
      spec.users.splice(
        spec.users.findIndex((u) => u.name === 'idle'),
        1,
      );
      const old = spec.users.find((u) => u.name === 'old');
      if (old) old.keys = [{ id: 'AKIANEW', status: 'Active', createdAt: ago(0) }];
      return { Content: content, GeneratedTime: AS_OF };
    });
    const account = await readReportInventory(client, ACCOUNT, options());
    expect(account.users.map((u) => u.userName)).toEqual(['healthy', 'nokeys', 'old', 'rotating', 'exempt']);
    expect(account.users.find((u) => u.userName === 'old')?.accessKeys).toEqual([
      expect.objectContaining({ accessKeyId: 'AKIANEW', slot: null, createdAt: ago(0), lastUsedAt: null }),
    ]);
  });

  it('uses GetAccountSummary for the root when the report has no root row', async () => {
    const { client, calls } = fakeIamAccount({ ...mixedAccount(), reportWithoutRoot: true });
    const account = await readReportInventory(client, ACCOUNT, options());
    expect(account.root).toEqual({ accessKeys: [], hasActiveAccessKey: true });
    expect(calls.filter((c) => c.command === 'GetAccountSummary')).toHaveLength(1);
  });

  it('reads the root from the report row without GetAccountSummary', async () => {
    const { client, calls } = fakeIamAccount(mixedAccount());
    const account = await readReportInventory(client, ACCOUNT, options());
    expect(account.root?.accessKeys).toHaveLength(1);
    expect(calls.some((c) => c.command === 'GetAccountSummary')).toBe(false);
  });

  it('fails with AccountMismatch when the report belongs to another account', async () => {
    const { client } = fakeIamAccount({ ...mixedAccount(), accountId: '999988887777' });
    await expect(readReportInventory(client, ACCOUNT, options())).rejects.toMatchObject({
      name: 'CredentialReportError',
      code: 'AccountMismatch',
    });
  });

  it('lets a malformed report fail with CredentialReportParseError naming the account', async () => {
    const { client, mock } = fakeIamAccount(mixedAccount());
    mock.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode('<html>oops</html>') });
    const error = await readReportInventory(client, ACCOUNT, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialReportParseError);
    expect((error as Error).message).toContain(`credential report of ${ACCOUNT}`);
  });

  it('keeps only the unflagged users when every flagged user vanished before its live check', async () => {
    const { client, mock } = fakeIamAccount(mixedAccount());
    mock.on(ListAccessKeysCommand).rejects(new NoSuchEntityException({ message: 'gone', ...meta }));
    const account = await readReportInventory(client, ACCOUNT, options());
    // Every flagged user vanished: only the unflagged ones remain, from the report.
    expect(account.users.map((u) => u.userName)).toEqual(['healthy', 'nokeys']);
  });
});
