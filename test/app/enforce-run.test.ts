import {
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { type EnforcementRunInput, runEnforcement } from '../../lambda/app/enforce-run.ts';
import { reportFromInventory } from '../../lambda/app/report-from-inventory.ts';
import type { KeyClients } from '../../lambda/aws/key-remediation.ts';
import { SnsPublishError } from '../../lambda/aws/sns-publisher.ts';
import type { Notice } from '../../lambda/domain/enforcement/plan.ts';
import { DEFAULT_ENFORCEMENT, type EnforcementMode } from '../../lambda/domain/enforcement/policy.ts';
import { EMPTY_MEMORY, type EnforcementNotice, type Memory } from '../../lambda/domain/memory.ts';
import { addDays, DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import {
  ACCOUNT_ID,
  AS_OF,
  accessKey,
  ago,
  iamUser,
  inventoryOf,
  scannedAccount,
} from '../domain/factories.ts';

/** alice's key: unused 100 days, noticed 7 days ago, due now. */
const DUE_KEY = 'AKIADUEEXAMPLE000001';
/** bob's key: unused 85 days, within its 7-day notice period of the 90-day limit. */
const NOTICED_KEY = 'AKIANEWEXAMPLE000001';
const ALICE_LAST_USE = ago(100);

const inventory = inventoryOf(
  scannedAccount([
    iamUser('alice', [accessKey({ accessKeyId: DUE_KEY, createdAt: ago(200), lastUsedAt: ALICE_LAST_USE })], {
      'key-audit:owner': 'alice@example.com',
    }),
    iamUser('bob', [accessKey({ accessKeyId: NOTICED_KEY, createdAt: ago(200), lastUsedAt: ago(85) })]),
  ]),
);

const aliceNotice: EnforcementNotice = {
  accountId: ACCOUNT_ID,
  userName: 'alice',
  accessKeyId: DUE_KEY,
  action: 'deactivate',
  noticedAt: ago(7),
  dueAt: AS_OF,
  lastUsedAtNoticed: ALICE_LAST_USE,
  production: false,
};

const MEMORY: Memory = { ...EMPTY_MEMORY, notices: { [DUE_KEY]: aliceNotice } };

/** IAM clients whose alice holds DUE_KEY, active and last used as noticed. */
const iamClients = () => {
  const client = new IAMClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  mock
    .on(ListAccessKeysCommand, { UserName: 'alice' })
    .resolves({ AccessKeyMetadata: [{ AccessKeyId: DUE_KEY, Status: 'Active', UserName: 'alice' }] });
  mock.on(GetAccessKeyLastUsedCommand, { AccessKeyId: DUE_KEY }).resolves({
    UserName: 'alice',
    AccessKeyLastUsed: { LastUsedDate: ALICE_LAST_USE, ServiceName: 's3', Region: 'eu-west-1' },
  });
  mock.on(UpdateAccessKeyCommand).resolves({});
  return { mock, clients: { read: client, write: client } as KeyClients };
};

/** A run in `mode` at AS_OF with MEMORY; `events` records announcements, publications and IAM changes. */
const inputFor = (mode: EnforcementMode, overrides: Partial<EnforcementRunInput> = {}) => {
  const { mock, clients } = iamClients();
  const events: string[] = [];
  mock.on(UpdateAccessKeyCommand).callsFake(() => {
    events.push('deactivate');
    return {};
  });
  const published: Notice[] = [];
  const input: EnforcementRunInput = {
    inventory,
    report: reportFromInventory(inventory, { asOf: AS_OF, policy: DEFAULT_POLICY }),
    memory: MEMORY,
    settings: { policy: DEFAULT_POLICY, enforcement: { ...DEFAULT_ENFORCEMENT, mode } },
    asOf: AS_OF,
    production: () => false,
    publishNotice: async (notice) => {
      events.push(`notice ${notice.userName}`);
      published.push(notice);
    },
    keyClients: () => clients,
    onPlan: () => events.push('announce'),
    ...overrides,
  };
  return { input, mock, events, published };
};

describe('runEnforcement', () => {
  it('does nothing at all when enforcement is off', async () => {
    const { input, mock, events } = inputFor('off');
    const result = await runEnforcement(input);
    expect(result).toMatchObject({ memory: MEMORY, report: input.report, actions: [], failed: false });
    expect(result.report).not.toHaveProperty('actions');
    expect(events).toEqual([]);
    expect(mock.calls()).toHaveLength(0);
  });

  it('reports what would happen but changes no key, sends no notice and keeps the memory when planning', async () => {
    const { input, mock, events } = inputFor('plan');
    const result = await runEnforcement(input);
    expect(events).toEqual(['announce']);
    expect(mock.calls()).toHaveLength(0);
    expect(result.memory).toBe(MEMORY);
    expect(result.notices).toEqual([]);
    expect(result.failed).toBe(false);
    expect(result.report.actions).toEqual(result.actions);
    expect(result.actions.map((a) => [a.userName, a.type, a.status, a.dueAt])).toEqual([
      ['alice', 'deactivate', 'planned', AS_OF],
      ['bob', 'deactivate', 'planned', addDays(AS_OF, 7)],
    ]);
    expect(result.counts).toEqual([{ type: 'deactivate', status: 'planned', count: 1 }]);
  });

  it('announces, deactivates the due key, publishes the new notice and remembers both when applying', async () => {
    const { input, mock, events, published } = inputFor('apply');
    const result = await runEnforcement(input);
    expect(events).toEqual(['announce', 'deactivate', 'notice bob']);
    expect(mock.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'alice', AccessKeyId: DUE_KEY, Status: 'Inactive' },
    ]);
    expect(published.map((n) => [n.accessKeyId, n.mode, n.dueAt])).toEqual([
      [NOTICED_KEY, 'apply', addDays(AS_OF, 7)],
    ]);
    expect(result.actions.map((a) => [a.userName, a.status])).toEqual([
      ['alice', 'done'],
      ['bob', 'planned'],
    ]);
    expect(Object.keys(result.memory.notices)).toEqual([NOTICED_KEY]);
    expect(result.memory.actions.map((a) => [a.userName, a.type, a.status, a.at])).toEqual([
      ['alice', 'deactivate', 'done', AS_OF],
      ['bob', 'notice', 'done', AS_OF],
    ]);
    expect(result.counts).toEqual([
      { type: 'deactivate', status: 'done', count: 1 },
      { type: 'notice', status: 'done', count: 1 },
    ]);
    expect(result.failed).toBe(false);
  });

  it('fails the run, records the failed notice and keeps no notice in force when SNS refuses it', async () => {
    const refused = new SnsPublishError(
      'arn:aws:sns:eu-west-2:444455556666:alerts',
      [{ subject: 'notice', code: 'AuthorizationError', message: 'denied', senderFault: true }],
      [],
    );
    const { input } = inputFor('apply', { publishNotice: () => Promise.reject(refused) });
    const result = await runEnforcement(input);
    expect(result.failed).toBe(true);
    expect(result.notices).toEqual([expect.objectContaining({ status: 'failed', error: refused.message })]);
    expect(result.memory.notices).toEqual({});
    expect(result.memory.actions.at(-1)).toMatchObject({ type: 'notice', userName: 'bob', status: 'failed' });
  });

  it('fails the run when an action fails, keeping its notice for the next run', async () => {
    const { input } = inputFor('apply', { keyClients: () => undefined });
    const result = await runEnforcement(input);
    expect(result.failed).toBe(true);
    expect(result.outcomes).toEqual([expect.objectContaining({ userName: 'alice', status: 'failed' })]);
    expect(result.memory.notices[DUE_KEY]).toEqual(aliceNotice);
  });

  it('lets an unexpected error of the notice publisher propagate', async () => {
    const publishNotice = vi.fn(() => Promise.reject(new TypeError('bug')));
    const { input } = inputFor('apply', { publishNotice });
    await expect(runEnforcement(input)).rejects.toThrow(TypeError);
  });
});
