/**
 * `key-audit scan` live, as a subprocess against moto: an organisation with users and keys in several
 * accounts (keys used by signed requests, so last use is real), scanned from both sources (credential
 * report, IAM API) in all three account modes (own account, --accounts, --org with --ou and --exclude).
 *
 * moto cannot back-date keys, so ages come from --as-of: 100 days after seeding, every active key is too
 * old and idle. An unreachable account needs moto's IAM enforcement (`/moto-api/reset-auth`): moto's
 * AssumeRole never fails, but with enforcement on, a member role without permissions is denied its first
 * IAM call, which is how a member role deployed without its policy fails in AWS too.
 */
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../lambda/domain/policy.ts';
import type { JsonFinding, JsonReport } from '../../lambda/present/render/json.ts';
import { type CliRun, runKeyAudit } from '../cli/helpers.ts';
import { motoAvailable, motoEndpoint, motoEnv, resetMoto } from './moto.ts';
import {
  ALLOW_ALL,
  CALLER_CREDENTIALS,
  createRunner,
  defaultUserSpec,
  memberIamClient,
  SEED_REGION,
  SEEDED_EXEMPTION_CONFIG,
  type SeededAccount,
  type SeededOrganisation,
  type SeededUser,
  seedOrganisation,
  seedUsers,
  trustedByAccount,
} from './seed-organisation.ts';

const SOURCES = ['report', 'api'] as const;
type Source = (typeof SOURCES)[number];
const DEFAULT_ROLE = 'KeyAuditReadOnly';

/** What a finding must say about a seeded key; `accessKeyId` null where the rule names no single key. */
interface Expected {
  readonly rule: JsonFinding['rule'];
  readonly severity: JsonFinding['severity'];
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId: string | null;
  readonly owner: string | null;
  readonly exempt: boolean;
}

/**
 * The findings the default policy must produce for `users` at `asOf`, reasoned from how they were seeded:
 * - two active keys: a rotation in progress (low, a warning) that turns high once the 7-day grace is over;
 * - an inactive key: inactive-key (low), whatever its age;
 * - `future` (100 days on): every active key is past 90 days (high, below the 180-day critical) and idle
 *   past 45 days, whether it was used at seeding or never;
 * - the `key-audit:exempt-until: 2099-12-31` tag exempts every exemptible finding of its user (the runs
 *   allow exemptions that long: SEEDED_EXEMPTION_CONFIG).
 */
const expectedFindings = (
  accountId: string,
  users: readonly SeededUser[],
  horizon: 'now' | 'future',
): Expected[] =>
  users.flatMap((user) => {
    const owner = user.tags['key-audit:owner'] ?? user.tags.owner ?? null;
    const exempt = user.tags['key-audit:exempt-until'] !== undefined;
    const base = { accountId, userName: user.userName, owner, exempt };
    const active = user.keys.filter((k) => k.status === 'Active');
    const found: Expected[] = user.keys
      .filter((k) => k.status === 'Inactive')
      .map((k) => ({ ...base, rule: 'inactive-key', severity: 'low', accessKeyId: k.accessKeyId }));
    if (active.length === 2) {
      found.push({
        ...base,
        rule: 'two-active-keys',
        severity: horizon === 'now' ? 'low' : 'high',
        accessKeyId: null,
      });
    }
    if (horizon === 'future') {
      for (const key of active) {
        found.push({ ...base, rule: 'key-too-old', severity: 'high', accessKeyId: key.accessKeyId });
        found.push({ ...base, rule: 'key-unused', severity: 'medium', accessKeyId: key.accessKeyId });
      }
    }
    return found;
  });

const sortKey = (f: Expected): string =>
  [f.accountId, f.userName, f.rule, f.accessKeyId, f.severity, f.owner, f.exempt].join('|');

/** Findings in a canonical order, so that lists compare regardless of the report's own order. */
const ordered = (findings: readonly Expected[]): Expected[] =>
  [...findings].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));

/** A finding reduced to what `expectedFindings` predicts (two-active-keys names the older key; any of two). */
const observed = (finding: JsonFinding): Expected => ({
  rule: finding.rule,
  severity: finding.severity,
  accountId: finding.accountId,
  userName: finding.userName ?? '',
  accessKeyId: finding.rule === 'two-active-keys' ? null : finding.accessKeyId,
  owner: finding.owner,
  exempt: finding.exempt,
});

describe.runIf(motoAvailable())('key-audit scan live against moto', () => {
  let endpoint = '';
  let org: SeededOrganisation;
  let ownUsers: SeededUser[] = [];
  /** 100 days after seeding: every seeded key is then past the 90-day limit. */
  let future = '';

  const member = (index: number): SeededAccount => {
    const account = org.accounts[index];
    if (account === undefined) throw new Error(`no member account ${index}`);
    return account;
  };

  const scan = (args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> =>
    runKeyAudit(['scan', '--format', 'json', '--config', SEEDED_EXEMPTION_CONFIG, ...args], {
      env: { ...motoEnv(endpoint), ...env },
      timeoutMs: 90_000,
    });

  /** Runs `args` with each source; checks that the output is JSON and both sources found the same. */
  const scanBothSources = async (
    args: readonly string[],
  ): Promise<Record<Source, JsonReport> & { readonly stderr: Record<Source, string> }> => {
    const runs = await Promise.all(SOURCES.map((source) => scan(['--source', source, ...args])));
    const reports = runs.map((run, index) => {
      expect(run.code, `${SOURCES[index]}: ${run.stderr}`).not.toBe(1);
      return JSON.parse(run.stdout) as JsonReport;
    });
    const [fromReport, fromApi] = reports as [JsonReport, JsonReport];
    expect(fromReport.accounts.every((a) => a.status === 'scanned' && a.source === 'credential-report')).toBe(
      true,
    );
    expect(fromApi.accounts.every((a) => a.status === 'scanned' && a.source === 'api')).toBe(true);
    // Every finding is about a key the report source verified live, so both sources agree on every field.
    expect(fromReport.findings).toEqual(fromApi.findings);
    return {
      report: fromReport,
      api: fromApi,
      stderr: { report: runs[0]?.stderr ?? '', api: runs[1]?.stderr ?? '' },
    };
  };

  beforeAll(async () => {
    endpoint = motoEndpoint() ?? '';
    await resetMoto(endpoint);
    org = await seedOrganisation(endpoint, {
      accounts: 3,
      usersPerAccount: 5,
      ous: [{ name: 'workloads' }],
      accountOu: (index) => (index === 0 ? null : 'workloads'),
    });
    // The management account holds users too: the own-account mode scans it without AssumeRole.
    const ownIam = new IAMClient({ endpoint, region: SEED_REGION, credentials: CALLER_CREDENTIALS });
    ownUsers = await seedUsers(
      endpoint,
      ownIam,
      [0, 1, 2].map((i) => ({ ...defaultUserSpec(0, i), userName: `admin-${i}` })),
    );
    future = new Date(Date.now() + 100 * DAY_MS).toISOString();
  });

  it('scans its own account without account flags, the same from both sources', async () => {
    const reports = await scanBothSources(['--fail-on', 'none', '--stats']);
    expect(reports.api.accounts.map((a) => a.accountId)).toEqual([org.managementAccountId]);
    // The caller's own credentials: no role is assumed.
    for (const source of SOURCES) {
      expect(reports.stderr[source]).toMatch(/^-\s+GetCallerIdentity\s+1\s+0$/m);
      expect(reports.stderr[source]).not.toContain('AssumeRole');
    }
    // At the default --as-of (now) the keys are fresh: only the rotation and the inactive key show.
    expect(ordered(reports.api.findings.map(observed))).toEqual(
      ordered(expectedFindings(org.managementAccountId, ownUsers, 'now')),
    );
  });

  it('scans an --accounts list through the member role, with ages from a future --as-of', async () => {
    const [first, third] = [member(0), member(2)];
    const reports = await scanBothSources([
      '--accounts',
      `${first.accountId},${third.accountId}`,
      '--as-of',
      future,
    ]);
    expect(reports.api.accounts.map((a) => a.accountId)).toEqual([first.accountId, third.accountId]);
    expect(ordered(reports.api.findings.map(observed))).toEqual(
      ordered([
        ...expectedFindings(first.accountId, first.users, 'future'),
        ...expectedFindings(third.accountId, third.users, 'future'),
      ]),
    );
    // A rotation names both keys: the older one as the finding's key, the other as the new key.
    for (const finding of reports.api.findings.filter((f) => f.rule === 'two-active-keys')) {
      const account = [first, third].find((a) => a.accountId === finding.accountId);
      const user = account?.users.find((u) => u.userName === finding.userName);
      const keyIds = (user?.keys ?? []).map((k) => k.accessKeyId);
      expect([finding.accessKeyId, finding.rotation?.newAccessKeyId].sort()).toEqual([...keyIds].sort());
    }
    for (const finding of reports.api.findings.filter((f) => f.rule === 'key-too-old')) {
      expect(finding.ageDays).toBe(100);
    }
    // Signed requests at seeding are real last use: used keys say when and where (moto records sts).
    const used = reports.api.findings.filter((f) => f.rule === 'key-unused' && f.lastUsedAt !== null);
    expect(used.length).toBeGreaterThan(0);
    for (const finding of used) expect(finding.lastUsedService).toBe('sts');
  });

  it('scans the organisation under --ou, minus --exclude', async () => {
    const workloads = org.ous.workloads ?? '';
    // member 0 sits in the root (outside the OU), member 2 is excluded: member 1 alone remains.
    const reports = await scanBothSources([
      '--org',
      '--ou',
      workloads,
      '--exclude',
      member(2).accountId,
      '--as-of',
      future,
    ]);
    expect(reports.report.accounts.map((a) => a.accountId)).toEqual([member(1).accountId]);
    expect(ordered(reports.report.findings.map(observed))).toEqual(
      ordered(expectedFindings(member(1).accountId, member(1).users, 'future')),
    );
  });

  it('prints --stats per account and operation on stderr, and no progress line off a terminal', async () => {
    const target = member(0).accountId;
    const run = await scan(['--source', 'api', '--accounts', target, '--stats', '--fail-on', 'none']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.accounts.map((a) => a.accountId)).toEqual([target]);
    expect(run.stdout).not.toContain('ListUsers');
    expect(run.stderr).toMatch(/^account\s+operation\s+calls\s+retries$/m);
    // One AssumeRole into the one account; the API source lists users and their keys there.
    expect(run.stderr).toMatch(/^-\s+AssumeRole\s+1\s+0$/m);
    expect(run.stderr).toMatch(/^-\s+GetCallerIdentity\s+1\s+0$/m);
    for (const operation of ['ListUsers', 'ListAccessKeys', 'GetAccessKeyLastUsed']) {
      expect(run.stderr).toMatch(new RegExp(`^${target}\\s+${operation}\\s+[1-9]\\d*\\s+\\d+$`, 'm'));
    }
    expect(run.stderr).toMatch(/^total\s+[1-9]\d*\s+\d+$/m);
    expect(run.stderr).not.toContain('\r');
    expect(run.stderr).not.toMatch(/accounts \d+\/\d+/);
  });

  it('exits 3 when one account cannot be scanned, reporting it failed and scanning the others', async () => {
    // With IAM enforced, the runner needs its own key, and each member role needs a policy; member 2's
    // role has none, so its first IAM call is denied.
    const runnerKey = await createRunner(endpoint);
    const trust = trustedByAccount(org.managementAccountId);
    for (const [index, withPolicy] of [
      [0, true],
      [1, true],
      [2, false],
    ] as const) {
      const iam = await memberIamClient(endpoint, member(index).accountId);
      await iam.send(new CreateRoleCommand({ RoleName: DEFAULT_ROLE, AssumeRolePolicyDocument: trust }));
      if (withPolicy) {
        await iam.send(
          new PutRolePolicyCommand({ RoleName: DEFAULT_ROLE, PolicyName: 'read', PolicyDocument: ALLOW_ALL }),
        );
      }
    }
    const accounts = [0, 1, 2].map((index) => member(index).accountId);
    const [reachable0, reachable1, unreachable] = accounts;

    const setAuth = async (count: string): Promise<void> => {
      const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: count });
      if (!response.ok) throw new Error(`moto reset-auth failed: HTTP ${response.status}`);
    };
    let runs: CliRun[];
    await setAuth('0');
    try {
      runs = await Promise.all(
        SOURCES.map((source) =>
          scan(['--source', source, '--accounts', accounts.join(','), '--as-of', future], {
            AWS_ACCESS_KEY_ID: runnerKey?.AccessKeyId ?? '',
            AWS_SECRET_ACCESS_KEY: runnerKey?.SecretAccessKey ?? '',
          }),
        ),
      );
    } finally {
      // Enforcement is server-wide: switch it off before anything else talks to moto.
      await setAuth('inf');
    }

    for (const [index, run] of runs.entries()) {
      expect(run.code, `${SOURCES[index]}: ${run.stderr}`).toBe(3);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.accounts.map((a) => [a.accountId, a.status])).toEqual([
        [reachable0, 'scanned'],
        [reachable1, 'scanned'],
        [unreachable, 'failed'],
      ]);
      const failed = report.accounts.find((a) => a.status === 'failed');
      expect(failed && 'error' in failed ? failed.error : '').toMatch(/^AccessDenied: /);
      expect(report.summary.failedAccounts).toBe(1);
      const unreachableFindings = report.findings.filter((f) => f.accountId === unreachable);
      expect(unreachableFindings.map((f) => [f.rule, f.severity, f.userName])).toEqual([
        ['account-unreachable', 'high', null],
      ]);
      // The reachable accounts are reported in full, as if the failure had not happened.
      expect(ordered(report.findings.filter((f) => f.accountId !== unreachable).map(observed))).toEqual(
        ordered([
          ...expectedFindings(reachable0 ?? '', member(0).users, 'future'),
          ...expectedFindings(reachable1 ?? '', member(1).users, 'future'),
        ]),
      );
    }
  });
});
