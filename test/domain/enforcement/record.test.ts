import { describe, expect, it } from 'vitest';
import type { Notice, PlannedAction } from '../../../lambda/domain/enforcement/plan.ts';
import {
  type ActionOutcome,
  countEnforcement,
  recordEnforcement,
  rememberedNotice,
  reportedAction,
} from '../../../lambda/domain/enforcement/record.ts';
import {
  EMPTY_MEMORY,
  type EnforcementActionRecord,
  type EnforcementNotice,
  type Memory,
} from '../../../lambda/domain/memory.ts';
import { addDays } from '../../../lambda/domain/policy.ts';
import { ACCOUNT_ID, AS_OF, ago, enforcementNotice } from '../factories.ts';

const notice = (accessKeyId: string, overrides: Partial<Notice> = {}): Notice =>
  enforcementNotice({ accessKeyId, ...overrides });

const outcome = (accessKeyId: string | null, overrides: Partial<ActionOutcome> = {}): ActionOutcome => ({
  type: 'deactivate',
  accountId: ACCOUNT_ID,
  userName: 'alice',
  accessKeyId,
  keySlot: null,
  owner: null,
  production: false,
  dueAt: AS_OF,
  status: 'done',
  reason: 'deactivated',
  lastUsedAt: ago(100),
  keepsNotice: false,
  ...overrides,
});

const memoryWithNotices = (...keys: string[]): Memory => ({
  ...EMPTY_MEMORY,
  notices: Object.fromEntries(
    keys.map((k): [string, EnforcementNotice] => [
      k,
      rememberedNotice(notice(k, { noticedAt: ago(7), dueAt: AS_OF })),
    ]),
  ),
});

describe('recordEnforcement', () => {
  it('remembers a delivered notice (its remembered fields only) and records it', () => {
    const sent = notice('AKIA0000000000000001');
    const memory = recordEnforcement(EMPTY_MEMORY, {
      at: AS_OF,
      notices: [{ notice: sent, status: 'done' }],
      actions: [],
    });
    expect(memory.notices).toEqual({
      AKIA0000000000000001: {
        accountId: ACCOUNT_ID,
        userName: 'alice',
        accessKeyId: 'AKIA0000000000000001',
        action: 'deactivate',
        noticedAt: AS_OF,
        dueAt: addDays(AS_OF, 7),
        lastUsedAtNoticed: ago(85),
        production: false,
      },
    });
    expect(memory.actions).toEqual([
      {
        type: 'notice',
        accountId: ACCOUNT_ID,
        userName: 'alice',
        accessKeyId: 'AKIA0000000000000001',
        dueAt: addDays(AS_OF, 7),
        at: AS_OF,
        status: 'done',
        reason:
          'announced deactivate on or after 2026-06-22: last used 2026-03-22 (deactivated after 90 days unused)',
      },
    ]);
  });

  it('does not remember an undelivered notice, and records why', () => {
    const memory = recordEnforcement(EMPTY_MEMORY, {
      at: AS_OF,
      notices: [
        { notice: notice('AKIA0000000000000001'), status: 'failed', error: 'AuthorizationError: denied' },
      ],
      actions: [],
    });
    expect(memory.notices).toEqual({});
    expect(memory.actions).toEqual([
      expect.objectContaining({
        type: 'notice',
        status: 'failed',
        reason: 'not delivered: AuthorizationError: denied',
      }),
    ]);
  });

  it.each([
    ['done', false, false],
    ['skipped', false, false],
    ['skipped', true, true],
    ['failed', true, true],
    // A done action uses its notice up, whatever it says.
    ['done', true, false],
  ] as const)('after a %s action (keepsNotice %s) keeps the notice: %s', (status, keepsNotice, kept) => {
    const memory = recordEnforcement(memoryWithNotices('AKIA0000000000000001'), {
      at: AS_OF,
      notices: [],
      actions: [outcome('AKIA0000000000000001', { status, keepsNotice })],
    });
    expect('AKIA0000000000000001' in memory.notices).toBe(kept);
    expect(memory.actions).toEqual([
      {
        type: 'deactivate',
        accountId: ACCOUNT_ID,
        userName: 'alice',
        accessKeyId: 'AKIA0000000000000001',
        dueAt: AS_OF,
        at: AS_OF,
        status,
        reason: 'deactivated',
      },
    ]);
  });

  it('does not record actions still planned, nor keys without id', () => {
    const before = memoryWithNotices('AKIA0000000000000001');
    const memory = recordEnforcement(before, {
      at: AS_OF,
      notices: [],
      actions: [
        outcome('AKIA0000000000000001', { status: 'planned', keepsNotice: true }),
        outcome(null, { status: 'skipped' }),
      ],
    });
    expect(memory).toEqual(before);
  });

  it('replaces a withdrawn notice by the new notice of the same key, and appends to earlier actions', () => {
    const earlier: EnforcementActionRecord = {
      type: 'deactivate',
      accountId: ACCOUNT_ID,
      userName: 'bob',
      accessKeyId: 'AKIA0000000000000009',
      dueAt: ago(30),
      at: ago(30),
      status: 'done',
      reason: 'deactivated',
    };
    const before: Memory = { ...memoryWithNotices('AKIA0000000000000001'), actions: [earlier] };
    const fresh = notice('AKIA0000000000000001', { lastUsedAtNoticed: ago(1) });
    const memory = recordEnforcement(before, {
      at: AS_OF,
      notices: [{ notice: fresh, status: 'done' }],
      actions: [outcome('AKIA0000000000000001', { status: 'skipped', reason: 'used', keepsNotice: false })],
    });
    expect(memory.notices.AKIA0000000000000001?.lastUsedAtNoticed).toEqual(ago(1));
    expect(memory.actions.map((a) => [a.accessKeyId, a.type, a.status])).toEqual([
      ['AKIA0000000000000009', 'deactivate', 'done'],
      ['AKIA0000000000000001', 'deactivate', 'skipped'],
      ['AKIA0000000000000001', 'notice', 'done'],
    ]);
  });
});

describe('countEnforcement', () => {
  it('counts by type and status, sorted', () => {
    const records = [
      outcome('A', { status: 'done' }),
      outcome('B', { status: 'skipped' }),
      outcome('C', { status: 'done' }),
      outcome('D', { type: 'delete', status: 'failed' }),
    ];
    expect(countEnforcement(records)).toEqual([
      { type: 'deactivate', status: 'done', count: 2 },
      { type: 'deactivate', status: 'skipped', count: 1 },
      { type: 'delete', status: 'failed', count: 1 },
    ]);
    expect(countEnforcement([])).toEqual([]);
  });
});

describe('reportedAction', () => {
  it('keeps the fields of the JSON actions list', () => {
    const planned: PlannedAction = { ...outcome('AKIA0000000000000001'), status: 'planned' };
    expect(reportedAction(planned)).toEqual({
      type: 'deactivate',
      accountId: ACCOUNT_ID,
      userName: 'alice',
      accessKeyId: 'AKIA0000000000000001',
      dueAt: AS_OF,
      status: 'planned',
      reason: 'deactivated',
      production: planned.production,
    });
  });
});
