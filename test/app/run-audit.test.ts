/**
 * The live audit over faked AWS: production classification (Organizations read only when the settings
 * need it, and only in organisation mode), warnings, and accounts a deadline left out.
 */
import {
  AccessDeniedException,
  ListAccountsCommand,
  ListParentsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { runLiveAudit } from '../../lambda/app/run-audit.ts';
import type { AwsClients } from '../../lambda/aws/client-factory.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import type { ProductionSettings } from '../../lambda/domain/production.ts';
import type { Report } from '../../lambda/domain/report.ts';
import type { ScanTargets } from '../../lambda/scan/targets.ts';
import { A, B, fakeWorld, NOW } from './job-fakes.ts';

const ROOT = 'r-ab12';
const PROD_OU = 'ou-ab12-prod0001';

/** A world whose organisation holds A (under the production OU, tagged production) and B (in the root). */
const organisation = () => {
  const world = fakeWorld();
  const orgClient = new OrganizationsClient({ region: 'eu-west-2' });
  const org = mockClient(orgClient);
  org.on(ListAccountsCommand).resolves({
    Accounts: [
      { Id: A, Name: 'payments-prod', Status: 'ACTIVE' },
      { Id: B, Name: 'sandbox', Status: 'ACTIVE' },
    ],
  });
  org
    .on(ListParentsCommand, { ChildId: A })
    .resolves({ Parents: [{ Id: PROD_OU, Type: 'ORGANIZATIONAL_UNIT' }] });
  org.on(ListParentsCommand, { ChildId: PROD_OU }).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
  org.on(ListParentsCommand, { ChildId: B }).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
  org
    .on(ListTagsForResourceCommand, { ResourceId: A })
    .resolves({ Tags: [{ Key: 'environment', Value: 'production' }] });
  org
    .on(ListTagsForResourceCommand, { ResourceId: B })
    .resolves({ Tags: [{ Key: 'environment', Value: 'sandbox' }] });
  const clients: AwsClients = { ...world.deps.clients, organizations: () => orgClient };
  return { world, org, clients };
};

const audit = (clients: AwsClients, targets: ScanTargets, production?: ProductionSettings, deadline?: Date) =>
  runLiveAudit(targets, {
    asOf: new Date(NOW),
    policy: DEFAULT_POLICY,
    clients,
    now: () => NOW,
    reportPolling: { sleep: async () => {}, pollDelayMs: 1 },
    ...(production === undefined ? {} : { production }),
    ...(deadline === undefined ? {} : { deadline }),
  });

/** Whether each account's findings are production, by account. */
const productionByAccount = (report: Report): Record<string, boolean[]> => {
  const by = new Map<string, Set<boolean>>();
  for (const finding of report.findings) {
    by.set(finding.accountId, (by.get(finding.accountId) ?? new Set()).add(finding.production));
  }
  return Object.fromEntries([...by].map(([accountId, values]) => [accountId, [...values]]));
};

describe('runLiveAudit production', () => {
  it('marks no account production without production settings, and reads no Organizations fact', async () => {
    const { org, clients } = organisation();
    const { report, warnings } = await audit(clients, { kind: 'organisation' });
    expect(productionByAccount(report)).toEqual({ [A]: [false], [B]: [false] });
    expect(org.commandCalls(ListParentsCommand)).toHaveLength(0);
    expect(warnings).toEqual([]);
  });

  it('classifies by account id alone without reading any Organizations fact', async () => {
    const { org, clients } = organisation();
    const { report, isProduction } = await audit(clients, { kind: 'organisation' }, { accounts: [B] });
    expect(productionByAccount(report)).toEqual({ [A]: [false], [B]: [true] });
    expect(isProduction(B)).toBe(true);
    expect(org.commandCalls(ListParentsCommand)).toHaveLength(0);
    expect(org.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
  });

  it.each([
    ['an OU above the account', { ous: [PROD_OU] }],
    ['an Organizations account tag', { accountTag: { environment: 'production' } }],
  ])('reads Organizations in organisation mode to classify by %s', async (_label, production) => {
    const { clients } = organisation();
    const { report, warnings } = await audit(clients, { kind: 'organisation' }, production);
    expect(productionByAccount(report)).toEqual({ [A]: [true], [B]: [false] });
    expect(warnings).toEqual([]);
  });

  it('applies only production.accounts outside organisation mode, with a warning, and reads no fact', async () => {
    const { org, clients } = organisation();
    const { report, warnings } = await audit(
      clients,
      { kind: 'accounts', accountIds: [A, B] },
      { accounts: [B], ous: [PROD_OU] },
    );
    expect(productionByAccount(report)).toEqual({ [A]: [false], [B]: [true] });
    expect(warnings).toEqual([
      'production.ous: read from Organizations in organisation mode only; scanning listed accounts, only ' +
        'production.accounts says which accounts are production',
    ]);
    expect(org.calls()).toHaveLength(0);
  });

  it('counts every account as production, with a warning, when Organizations refuses the facts', async () => {
    const { org, clients } = organisation();
    org
      .on(ListTagsForResourceCommand)
      .rejects(new AccessDeniedException({ $metadata: {}, message: 'not authorized: ListTagsForResource' }));
    const { report, warnings } = await audit(
      clients,
      { kind: 'organisation' },
      { accountTag: { environment: 'production' } },
    );
    expect(productionByAccount(report)).toEqual({ [A]: [true], [B]: [true] });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^production: Organizations ListTagsForResource for account \d{12} failed: not authorized: ListTagsForResource; every account not listed in production.accounts counts as production$/,
      ),
    ]);
  });
});

describe('runLiveAudit warnings and deadline', () => {
  it('passes on the scan warnings', async () => {
    const { clients } = organisation();
    const { warnings } = await audit(clients, { kind: 'organisation', exclude: ['333333333333'] });
    expect(warnings).toEqual([
      'exclude: account 333333333333 is not in the organisation, so it excludes nothing (a typo?)',
    ]);
  });

  it('reports accounts the deadline left out as unreachable (cause deadline), and the report incomplete', async () => {
    const { clients } = organisation();
    const { report, scan } = await audit(
      clients,
      { kind: 'accounts', accountIds: [A, B] },
      undefined,
      new Date(NOW),
    );
    expect(scan.accountsNotScanned).toEqual([A, B]);
    expect(report.accounts).toEqual([
      {
        accountId: A,
        status: 'failed',
        error: "Deadline: not reached before the run's time limit",
        cause: 'deadline',
      },
      {
        accountId: B,
        status: 'failed',
        error: "Deadline: not reached before the run's time limit",
        cause: 'deadline',
      },
    ]);
    expect(report.findings.map((f) => [f.rule, f.accountId])).toEqual([
      ['account-unreachable', A],
      ['account-unreachable', B],
    ]);
    expect(report.incomplete).toEqual({
      reason: 'the run reached its time limit before every account was scanned',
      accountsNotScanned: [A, B],
    });
  });
});
