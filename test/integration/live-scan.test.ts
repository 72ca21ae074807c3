import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CallCounter, createAwsClients } from '../../lambda/aws/client-factory.ts';
import { evaluate } from '../../lambda/domain/evaluate.ts';
import { needsLiveCheck } from '../../lambda/domain/flagged-users.ts';
import type { AccountScan, IamUser, ScannedAccount } from '../../lambda/domain/inventory.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import { type ScanOptions, scanAccounts } from '../../lambda/scan/scan-accounts.ts';
import { motoAvailable, motoEndpoint, motoEnv, resetMoto } from './moto.ts';
import { SEEDED_EXEMPTION_LIMIT, type SeededOrganisation, seedOrganisation } from './seed-organisation.ts';

const USERS_PER_ACCOUNT = 10;
/** The seeded exemption (until 2099) is honoured; an invalid one is only seen by a source that reads its tags. */
const POLICY = { ...DEFAULT_POLICY, ...SEEDED_EXEMPTION_LIMIT };

const scannedById = (accounts: readonly AccountScan[]): Map<string, ScannedAccount> => {
  const byId = new Map<string, ScannedAccount>();
  for (const account of accounts) {
    expect(account, `account ${account.accountId}`).toMatchObject({ status: 'scanned' });
    if (account.status === 'scanned') byId.set(account.accountId, account);
  }
  return byId;
};

const byName = (users: readonly IamUser[]): IamUser[] =>
  [...users].sort((a, b) => a.userName.localeCompare(b.userName));

/** What both sources must agree on for a user: name, ARN and key statuses in creation order. */
const shape = (user: IamUser) => ({
  userName: user.userName,
  arn: user.arn,
  statuses: [...user.accessKeys]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((key) => key.status),
});

describe.runIf(motoAvailable())('live scan against moto', () => {
  let endpoint = '';
  let org: SeededOrganisation;
  let asOf: Date;
  const options = (extra: Partial<ScanOptions> = {}): ScanOptions => ({
    asOf,
    policy: POLICY,
    reportPolling: { pollDelayMs: 10 },
    ...extra,
  });

  beforeAll(async () => {
    endpoint = motoEndpoint() ?? '';
    await resetMoto(endpoint);
    for (const [name, value] of Object.entries(motoEnv(endpoint))) vi.stubEnv(name, value);
    vi.stubEnv('AWS_PROFILE', undefined);
    org = await seedOrganisation(endpoint, {
      accounts: 3,
      usersPerAccount: USERS_PER_ACCOUNT,
      ous: [{ name: 'workloads' }, { name: 'prod', parent: 'workloads' }],
      accountOu: (index) => [null, 'workloads', 'prod'][index] ?? null,
    });
    asOf = new Date();
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('reads the same users and keys from both sources in every member account', async () => {
    const targets = { kind: 'accounts' as const, accountIds: org.accounts.map((a) => a.accountId) };
    const fromReport = scannedById((await scanAccounts(targets, options({ source: 'report' }))).accounts);
    const fromApi = scannedById((await scanAccounts(targets, options({ source: 'api' }))).accounts);
    expect(fromReport.size).toBe(org.accounts.length);

    for (const seeded of org.accounts) {
      const report = fromReport.get(seeded.accountId);
      const api = fromApi.get(seeded.accountId);
      expect(report?.source).toBe('credential-report');
      expect(api?.source).toBe('api');
      const reportUsers = byName(report?.users ?? []);
      const apiUsers = byName(api?.users ?? []);
      expect(reportUsers.map(shape)).toEqual(apiUsers.map(shape));
      expect(apiUsers.map((u) => u.userName)).toEqual(seeded.users.map((u) => u.userName));

      for (const seededUser of seeded.users) {
        const apiUser = apiUsers.find((u) => u.userName === seededUser.userName);
        const reportUser = reportUsers.find((u) => u.userName === seededUser.userName);
        // The API has the real ids and moto's real last use of every key a request was signed with.
        expect(apiUser?.accessKeys.map((k) => k.accessKeyId).sort()).toEqual(
          seededUser.keys.map((k) => k.accessKeyId).sort(),
        );
        for (const key of seededUser.keys) {
          const read = apiUser?.accessKeys.find((k) => k.accessKeyId === key.accessKeyId);
          expect(read?.lastUsedAt !== null, `${seededUser.userName} ${key.accessKeyId} used`).toBe(key.used);
          if (key.used) expect(read?.lastUsedService).toBe('sts');
        }
        if (seededUser.keys.length > 0) expect(apiUser?.tags).toEqual(seededUser.tags);
        // Flagged users were verified live: same ids and tags as the API source.
        if (
          reportUser !== undefined &&
          apiUser !== undefined &&
          reportUser.accessKeys.some((k) => k.accessKeyId !== null)
        ) {
          expect(reportUser.accessKeys).toEqual(apiUser.accessKeys);
          expect(reportUser.tags).toEqual(apiUser.tags);
        }
      }
    }

    const findings = (accounts: Map<string, ScannedAccount>) =>
      evaluate({ accounts: [...accounts.values()] }, { asOf, policy: POLICY }).findings;
    const reportFindings = findings(fromReport);
    expect(reportFindings.map((f) => f.rule)).toContain('two-active-keys');
    expect(reportFindings.map((f) => f.rule)).toContain('inactive-key');
    expect(reportFindings).toEqual(findings(fromApi));
  });

  it('keeps the report source within one AssumeRole plus 4 + 4 x flagged users calls per account', async () => {
    const callCounter = new CallCounter();
    const targets = { kind: 'accounts' as const, accountIds: org.accounts.map((a) => a.accountId) };
    const result = await scanAccounts(
      targets,
      options({ source: 'report', clients: createAwsClients({ callCounter }) }),
    );
    for (const account of scannedById(result.accounts).values()) {
      const flagged = account.users.filter((u) => u.accessKeys.some((k) => k.accessKeyId !== null)).length;
      expect(flagged).toBeGreaterThan(0);
      expect(callCounter.totals(account.accountId).calls).toBeLessThanOrEqual(4 + 4 * flagged);
    }
    const assumeRoles = callCounter.stats().filter((s) => s.operation === 'AssumeRole');
    expect(assumeRoles.reduce((sum, s) => sum + s.calls, 0)).toBe(org.accounts.length);
  });

  it('flags in the report exactly the users whose keys can raise findings', async () => {
    const result = await scanAccounts(
      { kind: 'accounts', accountIds: [org.accounts[0]?.accountId ?? ''] },
      options({ source: 'api' }),
    );
    const [account] = scannedById(result.accounts).values();
    // Fresh keys: only two active keys (user 1 of every 5) and inactive keys (user 2) need a live check.
    const flagged = (account?.users ?? [])
      .filter((u) => needsLiveCheck(u, asOf, DEFAULT_POLICY))
      .map((u) => u.userName);
    expect(flagged.sort()).toEqual(['user-0001', 'user-0002', 'user-0006', 'user-0007']);
  });

  it('scans every ACTIVE account of the organisation, or only those under an OU and its child OUs', async () => {
    const all = await scanAccounts({ kind: 'organisation' }, options({ source: 'api' }));
    expect(all.accounts.map((a) => a.accountId).sort()).toEqual(
      [org.managementAccountId, ...org.accounts.map((a) => a.accountId)].sort(),
    );
    expect(all.accountNames[org.accounts[0]?.accountId ?? '']).toBe('member-001');

    const workloads = org.ous.workloads ?? '';
    const underOu = await scanAccounts(
      { kind: 'organisation', ous: [workloads] },
      options({ source: 'api' }),
    );
    expect(underOu.accounts.map((a) => a.accountId).sort()).toEqual(
      [org.accounts[1]?.accountId, org.accounts[2]?.accountId].sort(),
    );

    const excluded = await scanAccounts(
      { kind: 'organisation', ous: [workloads], exclude: [org.accounts[2]?.accountId ?? ''] },
      options({ source: 'api' }),
    );
    expect(excluded.accounts.map((a) => a.accountId)).toEqual([org.accounts[1]?.accountId]);
  });
});
