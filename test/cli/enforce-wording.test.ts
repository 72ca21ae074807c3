import { describe, expect, it } from 'vitest';
import { describeEnforcement, describePlan } from '../../bin/cli/enforce-wording.ts';
import type { EnforcementRunResult } from '../../lambda/app/enforce-run.ts';
import type { EnforcementPlan, Notice, PlannedAction } from '../../lambda/domain/enforcement/plan.ts';
import type { ActionOutcome } from '../../lambda/domain/enforcement/record.ts';
import { EMPTY_MEMORY } from '../../lambda/domain/memory.ts';
import { addDays } from '../../lambda/domain/policy.ts';
import { AS_OF, ago } from '../domain/factories.ts';

const TOPIC = 'arn:aws:sns:eu-west-2:444455556666:key-audit-alerts';
const A = '111122223333';
const B = '222233334444';

const action = (overrides: Partial<PlannedAction> = {}): PlannedAction => ({
  type: 'deactivate',
  accountId: A,
  userName: 'alice',
  accessKeyId: 'AKIAALICEEXAMPLE0001',
  keySlot: null,
  owner: null,
  production: false,
  dueAt: AS_OF,
  status: 'planned',
  reason: 'never used since its creation on 2026-03-01; notice of 2026-06-08',
  lastUsedAt: null,
  keepsNotice: true,
  ...overrides,
});

const notice = (overrides: Partial<Notice> = {}): Notice => ({
  accountId: B,
  userName: 'bob',
  accessKeyId: 'AKIABOBEXAMPLE000001',
  action: 'deactivate',
  noticedAt: AS_OF,
  dueAt: addDays(AS_OF, 7),
  lastUsedAtNoticed: ago(85),
  production: false,
  userArn: `arn:aws:iam::${B}:user/bob`,
  owner: null,
  reason: 'last used 2026-03-22',
  mode: 'apply',
  ...overrides,
});

const plan = (overrides: Partial<EnforcementPlan> = {}): EnforcementPlan => ({
  mode: 'apply',
  asOf: AS_OF,
  notices: [],
  actions: [],
  scheduled: [],
  ...overrides,
});

const result = (
  outcomes: readonly ActionOutcome[],
  overrides: Partial<EnforcementRunResult> = {},
): EnforcementRunResult => ({
  plan: plan(),
  memory: EMPTY_MEMORY,
  report: {} as EnforcementRunResult['report'],
  actions: [],
  outcomes,
  notices: [],
  counts: [],
  failed: false,
  ...overrides,
});

describe('describePlan', () => {
  it('announces the deactivations by account and the notices to publish before applying', () => {
    const text = describePlan(
      plan({
        actions: [
          action(),
          action({ accountId: B, userName: 'carol' }),
          action({ status: 'skipped', userName: 'dave' }),
          action({ type: 'delete', userName: 'erin' }),
        ],
        notices: [notice()],
      }),
      TOPIC,
    );
    expect(text).toBe(
      `key-audit: enforcement (apply): deactivating 2 keys in accounts ${A}, ${B}; deleting 1 key in account ${A}; publishing 1 notice to ${TOPIC}\n`,
    );
  });

  it('says what would happen and that nothing is changed when planning', () => {
    expect(describePlan(plan({ mode: 'plan', actions: [action()], notices: [notice(), notice()] }))).toBe(
      `key-audit: enforcement (plan): would deactivate 1 key in account ${A}; would notify the owners of 2 keys (plan: nothing is changed and no notice is sent)\n`,
    );
  });

  it('counts the accounts instead of naming them beyond ten', () => {
    const actions = Array.from({ length: 11 }, (_, i) => action({ accountId: String(100000000000 + i) }));
    expect(describePlan(plan({ actions }))).toContain('deactivating 11 keys in 11 accounts');
  });

  it('says when nothing is due', () => {
    expect(describePlan(plan())).toBe('key-audit: enforcement (apply): nothing due and no notice to send\n');
  });
});

describe('describeEnforcement', () => {
  it('gives the undo command of each deactivation and the reason of each skip or failure', () => {
    const text = describeEnforcement(
      result([
        { ...action(), status: 'done' },
        {
          ...action({ type: 'delete', userName: 'erin', accessKeyId: 'AKIAERINEXAMPLE00001' }),
          status: 'done',
        },
        { ...action({ userName: 'dave' }), status: 'skipped', reason: 'cap of 1 action per run reached' },
        { ...action({ userName: 'fay' }), status: 'failed', reason: 'cannot assume role: AccessDenied' },
      ]),
    );
    expect(text.split('\n')).toEqual([
      `key-audit: enforcement: deactivated AKIAALICEEXAMPLE0001 of alice in ${A}; undo (with that account's credentials): aws iam update-access-key --user-name alice --access-key-id AKIAALICEEXAMPLE0001 --status Active`,
      `key-audit: enforcement: deleted AKIAERINEXAMPLE00001 of erin in ${A} (a deletion cannot be undone)`,
      `key-audit: enforcement: skipped: deactivate AKIAALICEEXAMPLE0001 of dave in ${A}: cap of 1 action per run reached`,
      `key-audit: enforcement: FAILED: deactivate AKIAALICEEXAMPLE0001 of fay in ${A}: cannot assume role: AccessDenied`,
      '',
    ]);
  });

  it('counts the notices published, names those that failed and the first scheduled action', () => {
    const text = describeEnforcement(
      result([], {
        notices: [
          { notice: notice(), status: 'done' },
          { notice: notice({ userName: 'gil' }), status: 'failed', error: 'AuthorizationError: denied' },
        ],
        plan: plan({
          scheduled: [action({ dueAt: addDays(AS_OF, 7) }), action({ dueAt: addDays(AS_OF, 14) })],
        }),
      }),
    );
    expect(text.split('\n')).toEqual([
      'key-audit: enforcement: 1 notice published',
      `key-audit: enforcement: FAILED: notice for AKIABOBEXAMPLE000001 of gil in ${B}: AuthorizationError: denied (sent again next run)`,
      "key-audit: enforcement: 2 actions scheduled after notice, the first due 2026-06-22 (the report's actions list them)",
      '',
    ]);
  });

  it('lists what would happen in plan mode', () => {
    expect(describeEnforcement(result([action()]))).toBe(
      `key-audit: enforcement: would deactivate AKIAALICEEXAMPLE0001 of alice in ${A}: never used since its creation on 2026-03-01; notice of 2026-06-08\n`,
    );
  });
});
