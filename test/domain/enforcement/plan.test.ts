import { describe, expect, it } from 'vitest';
import { type PlanInput, planEnforcement } from '../../../lambda/domain/enforcement/plan.ts';
import { DEFAULT_ENFORCEMENT, type EnforcementPolicy } from '../../../lambda/domain/enforcement/policy.ts';
import { ROOT_USER_NAME } from '../../../lambda/domain/finding-id.ts';
import type { Inventory } from '../../../lambda/domain/inventory.ts';
import {
  EMPTY_MEMORY,
  type EnforcementActionRecord,
  type EnforcementNotice,
} from '../../../lambda/domain/memory.ts';
import { addDays } from '../../../lambda/domain/policy.ts';
import {
  ACCOUNT_ID,
  AS_OF,
  accessKey,
  accountWithKeys,
  ago,
  failedAccount,
  iamUser,
  inventoryOf,
  policyWith,
  rootUser,
  scannedAccount,
} from '../factories.ts';

const KEY = 'AKIAOLDEXAMPLE000001';
const APPLY: EnforcementPolicy = { ...DEFAULT_ENFORCEMENT, mode: 'apply' };

/** A plan input at `AS_OF` in apply mode, no production account, empty memory. */
const inputWith = (inventory: Inventory, overrides: Partial<PlanInput> = {}): PlanInput => ({
  inventory,
  memory: EMPTY_MEMORY,
  policy: policyWith(),
  enforcement: APPLY,
  asOf: AS_OF,
  production: () => false,
  ...overrides,
});

/** One user alice holding one key, last used `lastUsedDaysAgo` days ago (null: never, created 200 days ago). */
const aliceKey = (lastUsedDaysAgo: number | null, extra: Parameters<typeof accessKey>[0] = {}) =>
  inventoryOf(
    accountWithKeys(
      [
        accessKey({
          createdAt: ago(200),
          lastUsedAt: lastUsedDaysAgo === null ? null : ago(lastUsedDaysAgo),
          ...extra,
        }),
      ],
      'alice',
      { 'key-audit:owner': 'alice@example.com' },
    ),
  );

/** A remembered notice for KEY, sent `daysAgo` days ago, due `noticeDays` later. */
const noticeOf = (overrides: Partial<EnforcementNotice> = {}): EnforcementNotice => ({
  accountId: ACCOUNT_ID,
  userName: 'alice',
  accessKeyId: KEY,
  action: 'deactivate',
  noticedAt: ago(7),
  dueAt: AS_OF,
  lastUsedAtNoticed: ago(100),
  production: false,
  ...overrides,
});

const memoryWith = (notices: EnforcementNotice[], actions: EnforcementActionRecord[] = []) => ({
  ...EMPTY_MEMORY,
  notices: Object.fromEntries(notices.map((n) => [n.accessKeyId, n])),
  actions,
});

describe('planEnforcement', () => {
  it('plans nothing when enforcement is off', () => {
    const plan = planEnforcement(
      inputWith(aliceKey(150), { enforcement: DEFAULT_ENFORCEMENT, memory: memoryWith([noticeOf()]) }),
    );
    expect(plan).toEqual({ mode: 'off', asOf: AS_OF, notices: [], actions: [], scheduled: [] });
  });

  describe('notices', () => {
    it.each([
      // Deactivation after 90 days unused, notice period 7: the notice starts 83 days after the last use
      // and always gives the full period, even to a key long past the limit.
      [82, null],
      [83, AS_OF.getTime() + 7 * 86_400_000],
      [85, AS_OF.getTime() + 7 * 86_400_000],
      [90, AS_OF.getTime() + 7 * 86_400_000],
      [150, AS_OF.getTime() + 7 * 86_400_000],
    ])('for a key last used %i days ago: due at %s', (lastUsed, dueAt) => {
      const plan = planEnforcement(inputWith(aliceKey(lastUsed)));
      expect(plan.notices.map((n) => n.dueAt.getTime())).toEqual(dueAt === null ? [] : [dueAt]);
      expect(plan.actions).toEqual([]);
    });

    it('names the account, user, owner, key, action, date, reason and last use, and schedules the action', () => {
      const plan = planEnforcement(inputWith(aliceKey(150)));
      expect(plan.notices).toEqual([
        {
          accountId: ACCOUNT_ID,
          userName: 'alice',
          userArn: `arn:aws:iam::${ACCOUNT_ID}:user/alice`,
          owner: 'alice@example.com',
          accessKeyId: KEY,
          action: 'deactivate',
          noticedAt: AS_OF,
          dueAt: addDays(AS_OF, 7),
          lastUsedAtNoticed: ago(150),
          production: false,
          reason: 'last used 2026-01-16 (deactivated after 90 days unused)',
          mode: 'apply',
        },
      ]);
      expect(plan.scheduled).toEqual([
        expect.objectContaining({
          type: 'deactivate',
          accessKeyId: KEY,
          status: 'planned',
          dueAt: addDays(AS_OF, 7),
          keepsNotice: true,
        }),
      ]);
    });

    it('counts a never used key as unused since its creation', () => {
      const [notice] = planEnforcement(inputWith(aliceKey(null))).notices;
      expect(notice?.reason).toBe(
        'never used since its creation on 2025-11-27 (deactivated after 90 days unused)',
      );
      expect(notice?.lastUsedAtNoticed).toBeNull();
    });

    it('gives production keys the production notice period', () => {
      const plan = planEnforcement(inputWith(aliceKey(80), { production: (id) => id === ACCOUNT_ID }));
      // 80 days unused: 10 days before the 90-day limit, within the 14-day production notice.
      expect(plan.notices).toEqual([
        expect.objectContaining({ production: true, dueAt: addDays(AS_OF, 14) }),
      ]);
      // Not yet within the 7-day notice of other accounts.
      expect(planEnforcement(inputWith(aliceKey(80))).notices).toEqual([]);
    });

    it('sends a notice once: a notice in force is not repeated', () => {
      const plan = planEnforcement(
        inputWith(aliceKey(150), {
          memory: memoryWith([
            noticeOf({ noticedAt: ago(2), dueAt: addDays(AS_OF, 5), lastUsedAtNoticed: ago(150) }),
          ]),
        }),
      );
      expect(plan.notices).toEqual([]);
      expect(plan.scheduled).toEqual([
        expect.objectContaining({ accessKeyId: KEY, status: 'planned', dueAt: addDays(AS_OF, 5) }),
      ]);
      expect(plan.actions).toEqual([]);
    });

    it('never notices a key in use unless deactivateOverdueAfterDays is set', () => {
      const overdueInUse = aliceKey(1);
      expect(planEnforcement(inputWith(overdueInUse)).notices).toEqual([]);
      const plan = planEnforcement(
        inputWith(overdueInUse, { enforcement: { ...APPLY, deactivateOverdueAfterDays: 30 } }),
      );
      // Created 200 days ago, deadline at 90 days, deactivation 30 days later: long past.
      expect(plan.notices).toEqual([
        expect.objectContaining({
          dueAt: addDays(AS_OF, 7),
          reason:
            'created 2025-11-27, rotation due 2026-02-25 (deactivated 30 days past the rotation deadline)',
        }),
      ]);
    });

    it('marks notices computed in plan mode', () => {
      const plan = planEnforcement(inputWith(aliceKey(150), { enforcement: { ...APPLY, mode: 'plan' } }));
      expect(plan.notices.map((n) => n.mode)).toEqual(['plan']);
    });
  });

  describe('deactivation', () => {
    it('is planned for a noticed key unchanged since its notice, once the notice period is over', () => {
      const plan = planEnforcement(inputWith(aliceKey(100), { memory: memoryWith([noticeOf()]) }));
      expect(plan.actions).toEqual([
        {
          type: 'deactivate',
          accountId: ACCOUNT_ID,
          userName: 'alice',
          accessKeyId: KEY,
          keySlot: null,
          owner: 'alice@example.com',
          production: false,
          dueAt: AS_OF,
          status: 'planned',
          reason: 'last used 2026-03-07 (deactivated after 90 days unused); notice of 2026-06-08',
          lastUsedAt: ago(100),
          keepsNotice: true,
        },
      ]);
      expect(plan.notices).toEqual([]);
    });

    it.each([
      [6, 'scheduled'],
      [7, 'actions'],
    ] as const)('waits noticeDays after the notice: noticed %i days ago -> %s', (daysAgo, where) => {
      const notice = noticeOf({ noticedAt: ago(daysAgo), dueAt: ago(daysAgo - 7) });
      const plan = planEnforcement(inputWith(aliceKey(100), { memory: memoryWith([notice]) }));
      expect(plan[where]).toEqual([expect.objectContaining({ accessKeyId: KEY, status: 'planned' })]);
    });

    it('waits productionNoticeDays for a production key even when the notice said less', () => {
      const plan = planEnforcement(
        inputWith(aliceKey(100), { memory: memoryWith([noticeOf()]), production: () => true }),
      );
      expect(plan.actions).toEqual([]);
      expect(plan.scheduled).toEqual([expect.objectContaining({ dueAt: addDays(ago(7), 14) })]);
    });

    it('skips a key used after its notice, withdraws the notice and sends none while it is in use', () => {
      const notice = noticeOf({ noticedAt: ago(3), dueAt: addDays(AS_OF, 4), lastUsedAtNoticed: ago(86) });
      const plan = planEnforcement(inputWith(aliceKey(1), { memory: memoryWith([notice]) }));
      expect(plan.actions).toEqual([
        expect.objectContaining({
          accessKeyId: KEY,
          status: 'skipped',
          reason: 'used 2026-06-14, after the notice: notice of 2026-06-12 withdrawn',
          keepsNotice: false,
        }),
      ]);
      expect(plan.notices).toEqual([]);
      expect(plan.scheduled).toEqual([]);
    });

    it('warns an overdue key in use once per notice period: skipped at the due date, noticed again', () => {
      const enforcement = { ...APPLY, deactivateOverdueAfterDays: 0 };
      const notice = noticeOf({ lastUsedAtNoticed: ago(8) });
      const before = planEnforcement(
        inputWith(aliceKey(1), { enforcement, memory: memoryWith([notice]), asOf: ago(1) }),
      );
      expect(before.actions).toEqual([]);
      expect(before.scheduled).toEqual([expect.objectContaining({ status: 'planned', dueAt: AS_OF })]);

      const atDue = planEnforcement(inputWith(aliceKey(1), { enforcement, memory: memoryWith([notice]) }));
      expect(atDue.actions).toEqual([
        expect.objectContaining({
          status: 'skipped',
          reason: expect.stringMatching(/^used 2026-06-14, after the notice/),
        }),
      ]);
      expect(atDue.notices).toEqual([
        expect.objectContaining({ noticedAt: AS_OF, lastUsedAtNoticed: ago(1) }),
      ]);
    });

    it('skips when the last use became unknown since the notice', () => {
      const plan = planEnforcement(inputWith(aliceKey(null), { memory: memoryWith([noticeOf()]) }));
      expect(plan.actions).toEqual([
        expect.objectContaining({ status: 'skipped', reason: expect.stringContaining('last use changed') }),
      ]);
    });

    it('withdraws the notice of a user exempt since, with the exemption', () => {
      const inventory = inventoryOf(
        accountWithKeys([accessKey({ createdAt: ago(200), lastUsedAt: ago(100) })], 'alice', {
          'key-audit:exempt-until': '2026-08-31',
          'key-audit:exempt-reason': 'vendor appliance',
        }),
      );
      const plan = planEnforcement(inputWith(inventory, { memory: memoryWith([noticeOf()]) }));
      expect(plan.actions).toEqual([
        expect.objectContaining({
          status: 'skipped',
          reason: 'alice is exempt until 2026-08-31 (vendor appliance): notice of 2026-06-08 withdrawn',
          keepsNotice: false,
        }),
      ]);
      expect(plan.notices).toEqual([]);
    });

    it('never notices exempt users, from tags or configuration', () => {
      const policy = policyWith({
        exemptions: [{ userName: 'ali*', until: '2026-08-31', reason: 'migration' }],
      });
      expect(planEnforcement(inputWith(aliceKey(150), { policy })).notices).toEqual([]);
    });

    it('notices a user whose exemption runs past maxExemptionDays, as the report does', () => {
      const policy = policyWith({
        exemptions: [{ userName: 'ali*', until: '2026-12-31', reason: 'migration' }],
        maxExemptionDays: 90,
      });
      expect(planEnforcement(inputWith(aliceKey(150), { policy })).notices).toHaveLength(1);
    });

    it('withdraws the notice of a key deactivated by someone else', () => {
      const plan = planEnforcement(
        inputWith(aliceKey(100, { status: 'inactive' }), { memory: memoryWith([noticeOf()]) }),
      );
      expect(plan.actions).toEqual([
        expect.objectContaining({
          status: 'skipped',
          reason: 'the key is inactive now: notice of 2026-06-08 withdrawn',
        }),
      ]);
      // key-audit did not deactivate it, so it is no candidate for deletion either.
      expect(plan.notices).toEqual([]);
    });

    it('never considers the root user', () => {
      const inventory = inventoryOf(
        scannedAccount([iamUser(ROOT_USER_NAME, [accessKey({ createdAt: ago(200), lastUsedAt: null })])], {
          root: rootUser([
            accessKey({ accessKeyId: 'AKIAROOTEXAMPLE00001', createdAt: ago(200), lastUsedAt: null }),
          ]),
        }),
      );
      const plan = planEnforcement(inputWith(inventory));
      expect(plan).toMatchObject({ notices: [], actions: [], scheduled: [] });
    });

    it('leaves keys of unknown status alone', () => {
      expect(planEnforcement(inputWith(aliceKey(150, { status: 'unknown' })))).toMatchObject({
        notices: [],
        actions: [],
      });
    });

    it('reports a key without id that is due instead of noticing it', () => {
      const plan = planEnforcement(inputWith(aliceKey(150, { accessKeyId: null, slot: 2 })));
      expect(plan.notices).toEqual([]);
      expect(plan.actions).toEqual([
        expect.objectContaining({
          accessKeyId: null,
          keySlot: 2,
          status: 'skipped',
          reason: expect.stringContaining('its access key id is unknown (credential report data only)'),
        }),
      ]);
    });

    it('postpones a due action in an account not scanned in this run, keeping the notice', () => {
      const plan = planEnforcement(
        inputWith(inventoryOf(failedAccount()), { memory: memoryWith([noticeOf()]) }),
      );
      expect(plan.actions).toEqual([
        expect.objectContaining({
          accessKeyId: KEY,
          status: 'skipped',
          reason: `account ${ACCOUNT_ID} was not scanned in this run`,
          keepsNotice: true,
        }),
      ]);
    });

    it('keeps a notice not yet due in an account not scanned, as scheduled', () => {
      const notice = noticeOf({ noticedAt: ago(1), dueAt: addDays(AS_OF, 6) });
      const plan = planEnforcement(inputWith(inventoryOf(), { memory: memoryWith([notice]) }));
      expect(plan.actions).toEqual([]);
      expect(plan.scheduled).toEqual([
        expect.objectContaining({ status: 'planned', dueAt: addDays(AS_OF, 6) }),
      ]);
    });

    it('postpones when the user was read from a credential report only (no key ids)', () => {
      const plan = planEnforcement(
        inputWith(aliceKey(100, { accessKeyId: null, slot: 1 }), { memory: memoryWith([noticeOf()]) }),
      );
      expect(plan.actions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            accessKeyId: KEY,
            status: 'skipped',
            reason: 'the keys of alice were not verified live in this run (no key ids)',
            keepsNotice: true,
          }),
        ]),
      );
    });

    it.each([
      [scannedAccount([iamUser('alice', [])]), 'the key no longer exists'],
      [scannedAccount([]), 'user alice no longer exists'],
    ])('withdraws the notice of a key gone from a scanned account', (account, why) => {
      const plan = planEnforcement(inputWith(inventoryOf(account), { memory: memoryWith([noticeOf()]) }));
      expect(plan.actions).toEqual([
        expect.objectContaining({
          status: 'skipped',
          reason: `${why}: notice of 2026-06-08 withdrawn`,
          keepsNotice: false,
        }),
      ]);
    });
  });

  describe('cap', () => {
    const keys = ['AKIA0000000000000001', 'AKIA0000000000000002', 'AKIA0000000000000003'];
    // Key 3 is the most overdue (due 3 days ago), then key 1 (2 days), then key 2 (1 day).
    const dueDaysAgo = [2, 1, 3];
    const inventory = inventoryOf(
      scannedAccount(
        keys.map((id, i) =>
          iamUser(`user-${i + 1}`, [
            accessKey({ accessKeyId: id, createdAt: ago(300), lastUsedAt: ago(200) }),
          ]),
        ),
      ),
    );
    const memory = memoryWith(
      keys.map((id, i) =>
        noticeOf({
          accessKeyId: id,
          userName: `user-${i + 1}`,
          noticedAt: ago(7 + (dueDaysAgo[i] ?? 0)),
          dueAt: ago(dueDaysAgo[i] ?? 0),
          lastUsedAtNoticed: ago(200),
        }),
      ),
    );

    it.each([
      [0, []],
      [1, ['AKIA0000000000000003']],
      [2, ['AKIA0000000000000003', 'AKIA0000000000000001']],
      [10, ['AKIA0000000000000003', 'AKIA0000000000000001', 'AKIA0000000000000002']],
    ])('plans at most %i actions, most overdue first', (cap, planned) => {
      const plan = planEnforcement(
        inputWith(inventory, { memory, enforcement: { ...APPLY, maxActionsPerRun: cap } }),
      );
      expect(plan.actions.filter((a) => a.status === 'planned').map((a) => a.accessKeyId)).toEqual(planned);
      const capped = plan.actions.filter((a) => a.status === 'skipped');
      expect(capped).toHaveLength(3 - planned.length);
      for (const action of capped) {
        expect(action).toMatchObject({
          reason: `cap of ${cap} ${cap === 1 ? 'action' : 'actions'} per run reached`,
          keepsNotice: true,
        });
      }
    });
  });

  describe('deletion', () => {
    const DELETING = { ...APPLY, deleteAfterDays: 30 };
    const deactivation = (
      at: Date,
      overrides: Partial<EnforcementActionRecord> = {},
    ): EnforcementActionRecord => ({
      type: 'deactivate',
      accountId: ACCOUNT_ID,
      userName: 'alice',
      accessKeyId: KEY,
      dueAt: at,
      at,
      status: 'done',
      reason: 'deactivated',
      ...overrides,
    });
    const inactive = aliceKey(120, { status: 'inactive' });

    it.each([
      [22, null],
      [23, 7],
      [40, 7],
    ])('notices a key key-audit deactivated %i days ago (due in %s days)', (daysAgo, dueInDays) => {
      const memory = memoryWith([], [deactivation(ago(daysAgo))]);
      const plan = planEnforcement(inputWith(inactive, { memory, enforcement: DELETING }));
      expect(plan.notices.map((n) => [n.action, n.dueAt])).toEqual(
        dueInDays === null ? [] : [['delete', addDays(AS_OF, dueInDays)]],
      );
    });

    it.each([
      ['deletion is off', { enforcement: APPLY, memory: memoryWith([], [deactivation(ago(40))]) }],
      ['someone else deactivated it', { enforcement: DELETING, memory: EMPTY_MEMORY }],
      [
        'key-audit failed to deactivate it',
        { enforcement: DELETING, memory: memoryWith([], [deactivation(ago(40), { status: 'failed' })]) },
      ],
      [
        'it was used after the deactivation',
        { enforcement: DELETING, memory: memoryWith([], [deactivation(ago(130))]) },
      ],
    ])('never notices deletion when %s', (_why, overrides) => {
      expect(planEnforcement(inputWith(inactive, overrides)).notices).toEqual([]);
    });

    it('is planned once its notice is old enough and the key stayed inactive and unused', () => {
      const memory = memoryWith(
        [noticeOf({ action: 'delete', lastUsedAtNoticed: ago(120) })],
        [deactivation(ago(40))],
      );
      const plan = planEnforcement(inputWith(inactive, { memory, enforcement: DELETING }));
      expect(plan.actions).toEqual([
        expect.objectContaining({
          type: 'delete',
          status: 'planned',
          reason:
            'deactivated by key-audit on 2026-05-06, last used 2026-02-15 (deleted 30 days after deactivation); notice of 2026-06-08',
        }),
      ]);
    });

    it('withdraws a deletion notice when the key was re-activated', () => {
      const memory = memoryWith(
        [noticeOf({ action: 'delete', lastUsedAtNoticed: ago(120) })],
        [deactivation(ago(40))],
      );
      const plan = planEnforcement(inputWith(aliceKey(120), { memory, enforcement: DELETING }));
      expect(plan.actions).toEqual([
        expect.objectContaining({
          type: 'delete',
          status: 'skipped',
          reason: 'the key is active now: notice of 2026-06-08 withdrawn',
        }),
      ]);
    });
  });
});
