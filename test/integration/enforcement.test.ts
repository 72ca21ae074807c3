/**
 * Enforcement against moto: runs of scan (API source) + plan + apply, with the memory carried in a variable
 * from one run to the next (the history store keeps it in production). moto cannot back-date keys, so each
 * run's `asOf` is days after the seeding; a request signed with a key updates its last use.
 */
import { ListAccessKeysCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { TagResourceCommand } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readAccountFacts } from '../../lambda/aws/account-facts.ts';
import { createAwsClients } from '../../lambda/aws/client-factory.ts';
import {
  applyActions,
  DEFAULT_REMEDIATION_ROLE_NAME,
  type KeyClients,
} from '../../lambda/aws/key-remediation.ts';
import { RoleSessions } from '../../lambda/aws/sts-sessions.ts';
import { type EnforcementPlan, planEnforcement } from '../../lambda/domain/enforcement/plan.ts';
import { DEFAULT_ENFORCEMENT, type EnforcementPolicy } from '../../lambda/domain/enforcement/policy.ts';
import { type ActionOutcome, recordEnforcement } from '../../lambda/domain/enforcement/record.ts';
import { EMPTY_MEMORY, type Memory } from '../../lambda/domain/memory.ts';
import { DAY_MS, DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import { productionClassifier, productionFactsNeeded } from '../../lambda/domain/production.ts';
import { scanAccounts } from '../../lambda/scan/scan-accounts.ts';
import { motoAvailable, motoEndpoint, motoEnv, resetMoto } from './moto.ts';
import {
  memberIamClient,
  type SeededOrganisation,
  seedOrganisation,
  type UserSpec,
  useKey,
} from './seed-organisation.ts';

const APPLY: EnforcementPolicy = { ...DEFAULT_ENFORCEMENT, mode: 'apply' };
const IDLE: UserSpec['keys'] = [{ status: 'Active', used: false }];

describe.runIf(motoAvailable())('enforcement against moto', () => {
  let endpoint = '';
  let org: SeededOrganisation;
  /** Just after the keys were created: day d of the story is `seededAt + d days`. */
  let seededAt = 0;
  let memory: Memory = EMPTY_MEMORY;

  const dayOf = (day: number): Date => new Date(seededAt + day * DAY_MS);
  const accountIds = (): string[] => org.accounts.map((a) => a.accountId);
  const keyOf = (accountIndex: number, userName: string) => {
    const key = org.accounts[accountIndex]?.users.find((u) => u.userName === userName)?.keys[0];
    if (key === undefined) throw new Error(`no seeded key for ${userName}`);
    return key;
  };

  /** Key id -> status, as ListAccessKeys says in the member account. */
  const statuses = async (accountIndex: number, ...userNames: string[]): Promise<Record<string, string>> => {
    const iam = await memberIamClient(endpoint, org.accounts[accountIndex]?.accountId ?? '');
    const result: Record<string, string> = {};
    for (const userName of userNames) {
      const { AccessKeyMetadata: keys } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
      result[userName] = keys?.map((k) => k.Status).join(',') || 'none';
    }
    return result;
  };

  /** Seeds a fresh organisation whose every account holds `users`; with `prodOu`, account 1 is in OU prod. */
  const seed = async (accounts: number, users: readonly UserSpec[], prodOu = false) => {
    await resetMoto(endpoint);
    org = await seedOrganisation(endpoint, {
      accounts,
      usersPerAccount: users.length,
      userSpec: (_account, user) => users[user] ?? { userName: `extra-${user}`, keys: [] },
      ...(prodOu ? { ous: [{ name: 'prod' }], accountOu: (i: number) => (i === 1 ? 'prod' : null) } : {}),
    });
    seededAt = Date.now();
    memory = EMPTY_MEMORY;
  };

  /** One run: scan every account (API source), plan, apply, remember the delivered notices and outcomes. */
  const run = async (
    day: number,
    options: {
      enforcement?: EnforcementPolicy;
      production?: (accountId: string) => boolean;
      beforeApply?: (plan: EnforcementPlan) => Promise<void>;
    } = {},
  ): Promise<{ plan: EnforcementPlan; outcomes: ActionOutcome[] }> => {
    const asOf = dayOf(day);
    const enforcement = options.enforcement ?? APPLY;
    const inventory = await scanAccounts(
      { kind: 'accounts', accountIds: accountIds() },
      { asOf, policy: DEFAULT_POLICY, source: 'api' },
    );
    const plan = planEnforcement({
      inventory,
      memory,
      // The seeded exemptions run to 2999: honoured only where the policy allows exemptions that long.
      policy: { ...DEFAULT_POLICY, maxExemptionDays: 365_000 },
      enforcement,
      asOf,
      production: options.production ?? (() => false),
    });
    await options.beforeApply?.(plan);
    const clients = createAwsClients();
    const readOnly = new RoleSessions(clients.sts());
    const remediation = new RoleSessions(clients.sts(), { roleName: DEFAULT_REMEDIATION_ROLE_NAME });
    const clientsFor = (accountId: string): KeyClients => ({
      read: clients.iam(accountId, readOnly.provider(accountId)),
      write: clients.iam(accountId, remediation.provider(accountId)),
    });
    const outcomes = await applyActions(plan.actions, clientsFor, { mode: enforcement.mode });
    memory = recordEnforcement(memory, {
      at: asOf,
      notices: plan.notices.map((notice) => ({ notice, status: 'done' as const })),
      actions: outcomes,
    });
    return { plan, outcomes };
  };

  beforeAll(() => {
    endpoint = motoEndpoint() ?? '';
    for (const [name, value] of Object.entries(motoEnv(endpoint))) vi.stubEnv(name, value);
    vi.stubEnv('AWS_PROFILE', undefined);
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  describe('a key unused past the limit', () => {
    beforeEach(async () => {
      await seed(1, [{ userName: 'idle', keys: IDLE }]);
    });

    it('is planned but never changed in plan mode', async () => {
      const enforcement = { ...APPLY, mode: 'plan' as const };
      const first = await run(83, { enforcement });
      expect(first.plan.notices.map((n) => [n.userName, n.mode])).toEqual([['idle', 'plan']]);
      const { outcomes } = await run(90, { enforcement });
      expect(outcomes).toEqual([
        expect.objectContaining({ userName: 'idle', type: 'deactivate', status: 'planned' }),
      ]);
      expect(await statuses(0, 'idle')).toEqual({ idle: 'Active' });
      expect(memory.actions.map((a) => a.type)).toEqual(['notice']);
    });

    it('is noticed first, left alone during its notice period, and inactive at the first run after it', async () => {
      expect((await run(82)).plan.notices).toEqual([]);
      const noticed = await run(83);
      expect(noticed.plan.notices).toEqual([
        expect.objectContaining({
          userName: 'idle',
          accessKeyId: keyOf(0, 'idle').accessKeyId,
          action: 'deactivate',
          dueAt: dayOf(90),
          lastUsedAtNoticed: null,
        }),
      ]);
      const waiting = await run(89);
      expect(waiting.plan.notices).toEqual([]);
      expect(waiting.outcomes).toEqual([]);
      expect(waiting.plan.scheduled).toEqual([
        expect.objectContaining({ userName: 'idle', dueAt: dayOf(90) }),
      ]);
      expect(await statuses(0, 'idle')).toEqual({ idle: 'Active' });

      const acted = await run(90);
      expect(acted.outcomes).toEqual([
        expect.objectContaining({ userName: 'idle', type: 'deactivate', status: 'done', keepsNotice: false }),
      ]);
      expect(await statuses(0, 'idle')).toEqual({ idle: 'Inactive' });
      expect(memory.notices).toEqual({});
      expect(memory.actions.map((a) => [a.userName, a.type, a.status])).toEqual([
        ['idle', 'notice', 'done'],
        ['idle', 'deactivate', 'done'],
      ]);
      // Nothing more happens to it: deletion is off.
      expect(await run(200)).toMatchObject({ outcomes: [], plan: { notices: [] } });
    });

    it('stays active when used after its notice, and the skip is reported', async () => {
      await run(83);
      await useKey(endpoint, keyOf(0, 'idle'));
      const { outcomes } = await run(90);
      expect(outcomes).toEqual([
        expect.objectContaining({
          userName: 'idle',
          status: 'skipped',
          reason: expect.stringMatching(/^used \d{4}-\d{2}-\d{2}, after the notice: notice of .* withdrawn$/),
        }),
      ]);
      expect(await statuses(0, 'idle')).toEqual({ idle: 'Active' });
      // The use happened in real time, which is day 0 of the story: by day 90 the key is unused for 90 days
      // again, so a new notice cycle starts from that use.
      const { accessKeyId } = keyOf(0, 'idle');
      expect(memory.notices[accessKeyId]).toMatchObject({ noticedAt: dayOf(90), dueAt: dayOf(97) });
      expect(memory.notices[accessKeyId]?.lastUsedAtNoticed).toBeInstanceOf(Date);
      expect(memory.actions.map((a) => [a.type, a.status])).toEqual([
        ['notice', 'done'],
        ['deactivate', 'skipped'],
        ['notice', 'done'],
      ]);
    });

    it('stays active when used between the plan and the change (the last-moment check)', async () => {
      await run(83);
      const { outcomes } = await run(90, {
        beforeApply: async (plan) => {
          expect(plan.actions).toEqual([expect.objectContaining({ userName: 'idle', status: 'planned' })]);
          await useKey(endpoint, keyOf(0, 'idle'));
        },
      });
      expect(outcomes).toEqual([
        expect.objectContaining({
          status: 'skipped',
          reason: expect.stringMatching(
            /^key used since it was read \(never used then, last used .* now\): not deactivated$/,
          ),
        }),
      ]);
      expect(await statuses(0, 'idle')).toEqual({ idle: 'Active' });
    });
  });

  it('gives production keys the production notice, classified from Organizations OUs and tags', async () => {
    await seed(2, [{ userName: 'idle', keys: IDLE }], true);
    const organizations = createAwsClients().organizations();
    const [dev, prod] = accountIds();
    await organizations.send(
      new TagResourceCommand({ ResourceId: prod, Tags: [{ Key: 'environment', Value: 'production' }] }),
    );
    const prodOu = org.ous.prod ?? '';
    for (const settings of [{ ous: [prodOu] }, { accountTag: { environment: 'production' } }]) {
      const facts = await readAccountFacts(organizations, accountIds(), productionFactsNeeded(settings));
      const isProduction = productionClassifier(settings, facts);
      expect([dev, prod].map((id) => isProduction(id ?? ''))).toEqual([false, true]);
    }
    const facts = await readAccountFacts(organizations, accountIds(), { ancestors: true, tags: true });
    expect(facts.get(prod ?? '')).toEqual({
      ancestors: [prodOu, org.rootId],
      tags: { environment: 'production' },
    });

    const production = productionClassifier({ ous: [prodOu] }, facts);
    // Day 85: both keys within their notice period (7 days for dev, 14 for production).
    const noticed = await run(85, { production });
    expect(noticed.plan.notices.map((n) => [n.accountId, n.production, n.dueAt])).toEqual([
      [dev, false, dayOf(92)],
      [prod, true, dayOf(99)],
    ]);
    await run(92, { production });
    expect([await statuses(0, 'idle'), await statuses(1, 'idle')]).toEqual([
      { idle: 'Inactive' },
      { idle: 'Active' },
    ]);
    await run(98, { production });
    expect(await statuses(1, 'idle')).toEqual({ idle: 'Active' });
    await run(99, { production });
    expect(await statuses(1, 'idle')).toEqual({ idle: 'Inactive' });
  });

  it('never touches exempt users', async () => {
    await seed(1, [
      {
        userName: 'vendor',
        tags: { 'key-audit:exempt-until': '2999-12-31', 'key-audit:exempt-reason': 'vendor appliance' },
        keys: IDLE,
      },
      { userName: 'idle', keys: IDLE },
    ]);
    await run(83);
    // Exempt after its notice: the notice is withdrawn, the key left alone.
    const iam = await memberIamClient(endpoint, accountIds()[0] ?? '');
    await iam.send(
      new TagUserCommand({
        UserName: 'idle',
        Tags: [
          { Key: 'key-audit:exempt-until', Value: '2999-12-31' },
          { Key: 'key-audit:exempt-reason', Value: 'migration' },
        ],
      }),
    );
    const { outcomes } = await run(90);
    expect(outcomes).toEqual([
      expect.objectContaining({
        userName: 'idle',
        status: 'skipped',
        reason: expect.stringContaining('is exempt until 2999-12-31'),
      }),
    ]);
    await run(300);
    expect(await statuses(0, 'vendor', 'idle')).toEqual({ vendor: 'Active', idle: 'Active' });
    expect(memory.actions.filter((a) => a.userName === 'vendor')).toEqual([]);
  });

  it('holds the cap, most overdue first, and does the rest at the next run', async () => {
    await seed(
      1,
      ['a', 'b', 'c'].map((userName) => ({ userName, keys: IDLE })),
    );
    const enforcement = { ...APPLY, maxActionsPerRun: 2 };
    await run(83, { enforcement });
    const first = await run(90, { enforcement });
    expect(first.outcomes.map((o) => [o.userName, o.status])).toEqual([
      ['a', 'done'],
      ['b', 'done'],
      ['c', 'skipped'],
    ]);
    expect(first.outcomes[2]?.reason).toBe('cap of 2 actions per run reached');
    expect(await statuses(0, 'a', 'b', 'c')).toEqual({ a: 'Inactive', b: 'Inactive', c: 'Active' });
    const second = await run(91, { enforcement });
    expect(second.outcomes.map((o) => [o.userName, o.status])).toEqual([['c', 'done']]);
    expect(await statuses(0, 'c')).toEqual({ c: 'Inactive' });
  });

  it('deletes only a key key-audit deactivated, deleteAfterDays later', async () => {
    await seed(1, [
      { userName: 'idle', keys: IDLE },
      { userName: 'manual', keys: [{ status: 'Inactive', used: false }] },
    ]);
    const enforcement = { ...APPLY, deleteAfterDays: 30 };
    await run(83, { enforcement });
    await run(90, { enforcement });
    const noticed = await run(113, { enforcement });
    expect(noticed.plan.notices.map((n) => [n.userName, n.action, n.dueAt])).toEqual([
      ['idle', 'delete', dayOf(120)],
    ]);
    await run(119, { enforcement });
    expect(await statuses(0, 'idle')).toEqual({ idle: 'Inactive' });
    const { outcomes } = await run(120, { enforcement });
    expect(outcomes).toEqual([expect.objectContaining({ userName: 'idle', type: 'delete', status: 'done' })]);
    await run(400, { enforcement });
    expect(await statuses(0, 'idle', 'manual')).toEqual({ idle: 'none', manual: 'Inactive' });
    expect(memory.actions.filter((a) => a.userName === 'manual')).toEqual([]);
  });
});
