/**
 * `key-audit scan --publish-securityhub` as a subprocess against moto's Security Hub: findings imported
 * into each member account through that account's role, re-imported without duplicates, a rotated key's
 * findings archived on the next run, and an account whose import is refused reported while the others are
 * imported.
 *
 * moto 5.2 stores what BatchImportFindings sends (updating by Id) and returns every finding of the account
 * from GetFindings, ignoring the filters: key-audit filters the answer again, and these tests read the
 * whole store to prove nothing else was touched. moto cannot back-date keys, so ages come from --as-of;
 * each run uses a later --as-of, as successive scheduled runs would.
 */
import { CreateRoleCommand, DeleteAccessKeyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { type AwsSecurityFinding, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HUB_IMPORT_ACTIONS } from '../../lambda/aws/security-hub.ts';
import { DAY_MS } from '../../lambda/domain/policy.ts';
import type { JsonReport } from '../../lambda/present/render/json.ts';
import { type CliRun, linesOf, runKeyAudit } from '../cli/helpers.ts';
import { motoAvailable, motoEndpoint, motoEnv, resetMoto } from './moto.ts';
import {
  createRunner,
  memberCredentials,
  memberIamClient,
  SEED_REGION,
  SEEDED_EXEMPTION_CONFIG,
  type SeededAccount,
  type SeededOrganisation,
  seedOrganisation,
  trustedByAccount,
} from './seed-organisation.ts';

const ROLE = 'KeyAuditReadOnly';
const policy = (actions: readonly string[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

/** The ASFF Id of a finding of the JSON report (exempt findings carry their exemption's last day). */
const asffIdOf = (finding: JsonReport['findings'][number]): string =>
  finding.exempt ? `${finding.id}/exempt-until-${finding.exemption?.until}` : finding.id;

describe.runIf(motoAvailable())('key-audit scan --publish-securityhub against moto', () => {
  let endpoint = '';
  let org: SeededOrganisation;
  let seededAt = 0;
  let run = 0;

  const member = (index: number): SeededAccount => {
    const account = org.accounts[index];
    if (account === undefined) throw new Error(`no member account ${index}`);
    return account;
  };

  /** Scans both members with Security Hub import, each run 100 days (and one more day per run) later. */
  const scan = (format: string, env: Readonly<Record<string, string>> = {}): Promise<CliRun> => {
    run += 1;
    const asOf = new Date(seededAt + (100 + run) * DAY_MS).toISOString();
    const accounts = [member(0), member(1)].map((a) => a.accountId).join(',');
    return runKeyAudit(
      [
        'scan',
        '--accounts',
        accounts,
        '--as-of',
        asOf,
        '--quiet',
        '--format',
        format,
        '--publish-securityhub',
        '--config',
        SEEDED_EXEMPTION_CONFIG,
      ],
      { env: { ...motoEnv(endpoint), ...env }, timeoutMs: 90_000 },
    );
  };

  /** Everything moto's Security Hub holds for `accountId`, read as that account. */
  const stored = async (accountId: string): Promise<AwsSecurityFinding[]> => {
    const hub = new SecurityHubClient({
      endpoint,
      region: SEED_REGION,
      credentials: await memberCredentials(endpoint, accountId),
    });
    const found: AwsSecurityFinding[] = [];
    let nextToken: string | undefined;
    do {
      const page = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken: nextToken }));
      found.push(...(page.Findings ?? []));
      nextToken = page.NextToken || undefined;
    } while (nextToken !== undefined);
    return found;
  };

  const idsOf = (findings: readonly AwsSecurityFinding[], state: 'ACTIVE' | 'ARCHIVED'): string[] =>
    findings
      .filter((f) => f.RecordState === state)
      .map((f) => f.Id ?? '')
      .sort();

  beforeAll(async () => {
    endpoint = motoEndpoint() ?? '';
    await resetMoto(endpoint);
    org = await seedOrganisation(endpoint, { accounts: 2, usersPerAccount: 5 });
    seededAt = Date.now();
  });

  it('does import what --format asff prints, each account’s findings into that account', async () => {
    const result = await scan('asff');
    expect(result.code, result.stderr).toBe(2);
    const printed = JSON.parse(result.stdout) as AwsSecurityFinding[];
    const [first, second] = [member(0).accountId, member(1).accountId];
    expect(linesOf(result.stderr)).toEqual([
      `key-audit: importing ${printed.length} findings into Security Hub (${SEED_REGION}) in accounts ${first}, ${second}`,
      `key-audit: Security Hub: ${printed.length} findings imported, 0 archived in 2 accounts`,
    ]);
    for (const accountId of [first, second]) {
      const own = printed.filter((f) => f.AwsAccountId === accountId);
      expect(own.length).toBeGreaterThan(0);
      expect(await stored(accountId)).toEqual(own);
    }
    // Exempt findings (the seeded exemption tag) are created suppressed, the others are left NEW.
    const exempt = printed.filter((f) => f.ProductFields?.['key-audit/exempt'] === 'true');
    expect(exempt.length).toBeGreaterThan(0);
    for (const finding of printed) {
      expect(finding.Workflow).toEqual(exempt.includes(finding) ? { Status: 'SUPPRESSED' } : undefined);
    }
  });

  it('does update the same findings on the next run, never duplicate them', async () => {
    const before = await stored(member(0).accountId);
    const result = await scan('json');
    expect(result.code, result.stderr).toBe(2);
    const report = JSON.parse(result.stdout) as JsonReport;
    for (const account of [member(0), member(1)]) {
      const after = await stored(account.accountId);
      const expected = report.findings
        .filter((f) => f.accountId === account.accountId)
        .map(asffIdOf)
        .sort();
      expect(idsOf(after, 'ACTIVE')).toEqual(expected);
      expect(after).toHaveLength(expected.length);
    }
    const after = await stored(member(0).accountId);
    expect(after.map((f) => f.Id).sort()).toEqual(before.map((f) => f.Id).sort());
    for (const finding of after) expect(finding.UpdatedAt).toBe(report.asOf);
    // Workflow is sent only at creation: the suppressed findings are still suppressed, none was reset.
    expect(after.filter((f) => f.Workflow !== undefined).map((f) => f.Id)).toEqual(
      before.filter((f) => f.Workflow !== undefined).map((f) => f.Id),
    );
  });

  it('does archive the findings of a key deleted since the last run, and keep the others', async () => {
    const account = member(0);
    const user = account.users.find((u) => u.userName === 'user-0000');
    const key = user?.keys[0];
    if (key === undefined) throw new Error('user-0000 has no key');
    const before = await stored(account.accountId);
    const ofKey = before.filter((f) => f.Id?.endsWith(`:${key.accessKeyId}`)).map((f) => f.Id ?? '');
    expect(ofKey.length).toBeGreaterThan(0);

    const iam = await memberIamClient(endpoint, account.accountId);
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'user-0000', AccessKeyId: key.accessKeyId }));
    const result = await scan('json');
    expect(result.code, result.stderr).toBe(2);
    expect(linesOf(result.stderr).at(-1)).toMatch(
      new RegExp(`^key-audit: Security Hub: \\d+ findings imported, ${ofKey.length} archived in 2 accounts$`),
    );
    const after = await stored(account.accountId);
    expect(idsOf(after, 'ARCHIVED')).toEqual([...ofKey].sort());
    expect(idsOf(after, 'ACTIVE')).toEqual(idsOf(before, 'ACTIVE').filter((id) => !ofKey.includes(id)));
    for (const finding of after.filter((f) => f.RecordState === 'ARCHIVED')) {
      expect(finding.UpdatedAt).toBe((JSON.parse(result.stdout) as JsonReport).asOf);
    }
  });

  it('does report an account whose import is refused, exit 3, and import the others', async () => {
    // With IAM enforced, the runner needs a key with a policy; member 0's role may import, member 1's role
    // was deployed without the Security Hub statement, so it scans but cannot import.
    const runnerKey = await createRunner(endpoint);
    const trust = trustedByAccount(org.managementAccountId);
    for (const [index, actions] of [
      [0, ['iam:*', ...SECURITY_HUB_IMPORT_ACTIONS]],
      [1, ['iam:*']],
    ] as const) {
      const iam = await memberIamClient(endpoint, member(index).accountId);
      await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: trust }));
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: ROLE,
          PolicyName: 'key-audit',
          PolicyDocument: policy(actions),
        }),
      );
    }
    const before = await stored(member(1).accountId);

    const setAuth = async (count: string): Promise<void> => {
      const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: count });
      if (!response.ok) throw new Error(`moto reset-auth failed: HTTP ${response.status}`);
    };
    let result: CliRun;
    await setAuth('0');
    try {
      result = await scan('json', {
        AWS_ACCESS_KEY_ID: runnerKey?.AccessKeyId ?? '',
        AWS_SECRET_ACCESS_KEY: runnerKey?.SecretAccessKey ?? '',
      });
    } finally {
      // Enforcement is server-wide: switch it off before anything else talks to moto.
      await setAuth('inf');
    }

    expect(result.code, result.stderr).toBe(3);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.accounts.map((a) => a.status)).toEqual(['scanned', 'scanned']);
    const refused = member(1).accountId;
    const lines = linesOf(result.stderr);
    // AWS answers AccessDeniedException; moto's IAM enforcement answers this JSON API in XML, which the SDK
    // cannot parse, so only the operation is certain here.
    expect(lines[1]).toMatch(
      new RegExp(
        `^key-audit: Security Hub ${refused}: not imported: \\w+: Security Hub GetFindings failed: `,
      ),
    );
    expect(lines[2]).toMatch(
      /^key-audit: Security Hub: \d+ findings imported, 0 archived in 2 accounts; 1 account incomplete$/,
    );
    // Member 0 got this run's findings; member 1's store is as the previous run left it.
    const accepted = await stored(member(0).accountId);
    const expected = report.findings
      .filter((f) => f.accountId === member(0).accountId)
      .map(asffIdOf)
      .sort();
    expect(idsOf(accepted, 'ACTIVE')).toEqual(expected);
    for (const finding of accepted.filter((f) => f.RecordState === 'ACTIVE')) {
      expect(finding.UpdatedAt).toBe(report.asOf);
    }
    expect(await stored(refused)).toEqual(before);
  });
});
