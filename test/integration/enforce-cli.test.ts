/**
 * `key-audit scan --enforce plan|apply --history DIR` against moto, through `runCli` in-process: a rollout
 * rehearsed day by day with `--as-of` (moto cannot back-date keys, so day d of each story is d days after
 * the seeding), the memory carried from run to run in the history directory, notices read back from SQS
 * queues subscribed to the alert topic (one with the 2nd line's filter policy), and every key's status
 * read with ListAccessKeys in its account.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, ListAccessKeysCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CliIo, runCli } from '../../bin/cli/main.ts';
import { STATE_KEY } from '../../lambda/domain/history-layout.ts';
import { EMPTY_MEMORY, type Memory } from '../../lambda/domain/memory.ts';
import { decodeMemory } from '../../lambda/domain/memory-codec.ts';
import { DAY_MS } from '../../lambda/domain/policy.ts';
import { motoAvailable, motoEndpoint, motoEnv, resetMoto } from './moto.ts';
import {
  ALLOW_ALL,
  CALLER_CREDENTIALS,
  createRunner,
  memberIamClient,
  type SeededOrganisation,
  seedOrganisation,
  trustedByAccount,
  type UserSpec,
  useKey,
} from './seed-organisation.ts';
import { attributesOf, drain, type SnsEnvelope, type Subscribed, topicWithQueues } from './sns-sqs.ts';

const IDLE: UserSpec['keys'] = [{ status: 'Active', used: false }];
const SECOND_LINE_FILTER = { audience: ['second-line'] };

class Sink {
  readonly chunks: string[] = [];
  readonly isTTY = false;
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe.runIf(motoAvailable())('key-audit scan --enforce against moto', () => {
  let endpoint = '';
  let org: SeededOrganisation;
  let seededAt = 0;
  let dir = '';
  let topic: Subscribed;

  const dayOf = (day: number): Date => new Date(seededAt + day * DAY_MS);
  const accountId = (index: number): string => org.accounts[index]?.accountId ?? '';
  const keyOf = (accountIndex: number, userName: string) => {
    const key = org.accounts[accountIndex]?.users.find((u) => u.userName === userName)?.keys[0];
    if (key === undefined) throw new Error(`no seeded key for ${userName}`);
    return key;
  };

  /** Seeds a fresh organisation with `users` in every account (account 1 in OU `prod` with `prodOu`). */
  const seed = async (accounts: number, users: readonly UserSpec[], prodOu = false): Promise<void> => {
    await resetMoto(endpoint);
    org = await seedOrganisation(endpoint, {
      accounts,
      usersPerAccount: users.length,
      userSpec: (_account, user) => users[user] ?? { userName: `extra-${user}`, keys: [] },
      ...(prodOu ? { ous: [{ name: 'prod' }], accountOu: (i: number) => (i === 1 ? 'prod' : null) } : {}),
    });
    seededAt = Date.now();
    topic = await topicWithQueues(endpoint, 'key-audit-alerts', {
      everything: null,
      'second-line': SECOND_LINE_FILTER,
    });
    dir = await mkdtemp(join(tmpdir(), 'key-audit-enforce-'));
  };

  /** `key-audit scan` of every seeded account on `day`, with `config` as its --config file. */
  const scan = async (day: number, args: readonly string[], config: object = {}): Promise<Run> => {
    const configFile = join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify(config));
    const stdout = new Sink();
    const stderr = new Sink();
    const io: CliIo = { stdout, stderr, now: () => new Date(), version: '0.0.0-test' };
    const code = await runCli(
      [
        'scan',
        '--source',
        'api',
        '--accounts',
        org.accounts.map((a) => a.accountId).join(','),
        '--as-of',
        dayOf(day).toISOString(),
        '--config',
        configFile,
        '--history',
        join(dir, 'history'),
        '--format',
        'json',
        '--fail-on',
        'none',
        '--quiet',
        ...args,
      ],
      io,
    );
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  const apply = (day: number, config: object = {}): Promise<Run> =>
    scan(day, ['--enforce', 'apply', '--publish-alerts', topic.topicArn], config);

  /** Key statuses by user, as ListAccessKeys says in the account (`none` when the user has no key left). */
  const statuses = async (accountIndex: number, ...userNames: string[]): Promise<Record<string, string>> => {
    const iam = await memberIamClient(endpoint, accountId(accountIndex));
    const result: Record<string, string> = {};
    for (const userName of userNames) {
      const { AccessKeyMetadata: keys } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
      result[userName] = keys?.map((k) => k.Status).join(',') || 'none';
    }
    return result;
  };

  /** The notices a queue received since it was last drained, as `accountId/userName/accessKeyId`. */
  const noticesIn = async (queue: string): Promise<SnsEnvelope[]> =>
    (await drain(endpoint, topic.queues[queue] ?? '')).filter((e) => attributesOf(e).kind === 'notice');

  const noticed = (envelopes: readonly SnsEnvelope[]): string[] =>
    envelopes.map((e) => {
      const { accountId: account = '' } = attributesOf(e);
      // A queue receives the notice's JSON (the message's `sqs` key), naming the key and its user.
      const notice = JSON.parse(e.Message) as { kind: string; userName: string; accessKeyId: string };
      expect(notice.kind).toBe('notice');
      return `${account}/${notice.userName}/${notice.accessKeyId}`;
    });

  /** The memory the history directory holds. */
  const memory = async (): Promise<Memory> => {
    const file = join(dir, 'history', STATE_KEY);
    try {
      return decodeMemory(await readFile(file, 'utf8'), file);
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return EMPTY_MEMORY;
      throw error;
    }
  };

  beforeAll(() => {
    endpoint = motoEndpoint() ?? '';
    for (const [name, value] of Object.entries(motoEnv(endpoint))) vi.stubEnv(name, value);
    vi.stubEnv('AWS_PROFILE', undefined);
  });

  afterEach(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
    dir = '';
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('changes nothing in plan mode: no key, no notice, no memory; it says what would happen', async () => {
    await seed(1, [{ userName: 'idle', keys: IDLE }]);
    for (const day of [83, 90, 120]) {
      const run = await scan(day, ['--enforce', 'plan']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(
        `key-audit: enforcement (plan): would notify the owners of 1 key (plan: nothing is changed and no notice is sent)\n`,
      );
      expect(run.stderr).toMatch(/1 action scheduled after notice, the first due \d{4}-\d{2}-\d{2}/);
    }
    expect(await statuses(0, 'idle')).toEqual({ idle: 'Active' });
    expect(await noticesIn('everything')).toEqual([]);
    // The history remembers the scans (and alerts), never a notice or an action.
    expect(await memory()).toMatchObject({ notices: {}, actions: [] });
  });

  it('notices an unused key first and deactivates it at the first run after its notice period, not before', async () => {
    await seed(1, [{ userName: 'idle', keys: IDLE }]);
    const { accessKeyId } = keyOf(0, 'idle');
    expect((await apply(82)).stderr).toContain('enforcement (apply): nothing due and no notice to send');
    expect(await noticesIn('everything')).toEqual([]);

    const notice = await apply(83);
    expect(notice.code, notice.stderr).toBe(0);
    expect(notice.stderr).toContain(`enforcement (apply): publishing 1 notice to ${topic.topicArn}`);
    const [envelope, ...others] = await noticesIn('everything');
    expect(others).toEqual([]);
    expect(envelope?.Subject).toContain(accessKeyId);
    expect(noticed(envelope === undefined ? [] : [envelope])).toEqual([
      `${accountId(0)}/idle/${accessKeyId}`,
    ]);
    expect(attributesOf(envelope as SnsEnvelope)).toMatchObject({
      production: 'false',
      action: 'deactivate',
    });
    expect(await noticesIn('second-line')).toEqual([]);
    expect((await memory()).notices[accessKeyId]).toMatchObject({ noticedAt: dayOf(83), dueAt: dayOf(90) });

    const waiting = await apply(89);
    expect(waiting.stderr).toContain('nothing due and no notice to send');
    expect(await statuses(0, 'idle')).toEqual({ idle: 'Active' });

    const acted = await apply(90);
    expect(acted.code, acted.stderr).toBe(0);
    expect(acted.stderr).toContain(`enforcement (apply): deactivating 1 key in account ${accountId(0)}\n`);
    expect(acted.stderr).toContain(
      `deactivated ${accessKeyId} of idle in ${accountId(0)}; undo (with that account's credentials): ` +
        `aws iam update-access-key --user-name idle --access-key-id ${accessKeyId} --status Active\n`,
    );
    expect(await statuses(0, 'idle')).toEqual({ idle: 'Inactive' });
    expect((await memory()).actions.map((a) => [a.type, a.status, a.at])).toEqual([
      ['notice', 'done', dayOf(83)],
      ['deactivate', 'done', dayOf(90)],
    ]);
    expect(await noticesIn('everything')).toEqual([]);
  });

  it('leaves a key used after its notice active and reports the skip', async () => {
    await seed(1, [{ userName: 'idle', keys: IDLE }]);
    await apply(83);
    await useKey(endpoint, keyOf(0, 'idle'));
    const run = await apply(90);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /enforcement: skipped: deactivate \S+ of idle in \d{12}: used \d{4}-\d{2}-\d{2}, after the notice: notice of .* withdrawn\n/,
    );
    expect(await statuses(0, 'idle')).toEqual({ idle: 'Active' });
    expect((await memory()).actions.map((a) => [a.type, a.status])).toContainEqual(['deactivate', 'skipped']);
  });

  it('gives production keys the longer notice, and their notice reaches the 2nd line', async () => {
    await seed(2, [{ userName: 'idle', keys: IDLE }], true);
    // By id: production by OU or account tag is read from Organizations in organisation mode only.
    const config = { production: { accounts: [accountId(1)] } };
    const [dev, prod] = [keyOf(0, 'idle').accessKeyId, keyOf(1, 'idle').accessKeyId];
    const run = await apply(85, config);
    expect(run.code, run.stderr).toBe(0);
    expect(noticed(await noticesIn('everything')).sort()).toEqual(
      [`${accountId(0)}/idle/${dev}`, `${accountId(1)}/idle/${prod}`].sort(),
    );
    const secondLine = await noticesIn('second-line');
    expect(noticed(secondLine)).toEqual([`${accountId(1)}/idle/${prod}`]);
    expect(attributesOf(secondLine[0] as SnsEnvelope)).toMatchObject({
      audience: 'second-line',
      production: 'true',
    });
    expect(Object.values((await memory()).notices).map((n) => [n.accessKeyId, n.dueAt])).toEqual(
      expect.arrayContaining([
        [dev, dayOf(92)],
        [prod, dayOf(99)],
      ]),
    );

    await apply(92, config);
    expect([await statuses(0, 'idle'), await statuses(1, 'idle')]).toEqual([
      { idle: 'Inactive' },
      { idle: 'Active' },
    ]);
    await apply(98, config);
    expect(await statuses(1, 'idle')).toEqual({ idle: 'Active' });
    await apply(99, config);
    expect(await statuses(1, 'idle')).toEqual({ idle: 'Inactive' });
  });

  it('never notices nor touches an exempt user', async () => {
    await seed(1, [
      {
        userName: 'vendor',
        tags: { 'key-audit:exempt-until': '2999-12-31', 'key-audit:exempt-reason': 'vendor appliance' },
        keys: IDLE,
      },
      { userName: 'idle', keys: IDLE },
    ]);
    const config = {
      exemptions: [{ userName: 'idle', until: '2999-12-31', reason: 'migration, SEC-9' }],
      // Exemptions this long are honoured only where the policy allows them.
      maxExemptionDays: 365_000,
    };
    for (const day of [83, 90, 200]) expect((await apply(day, config)).code).toBe(0);
    expect(await statuses(0, 'vendor', 'idle')).toEqual({ vendor: 'Active', idle: 'Active' });
    expect(await noticesIn('everything')).toEqual([]);
    // The history remembers the scans (and alerts), never a notice or an action.
    expect(await memory()).toMatchObject({ notices: {}, actions: [] });
  });

  it('holds the cap of actions per run and does the rest at the next run', async () => {
    await seed(
      1,
      ['a', 'b', 'c'].map((userName) => ({ userName, keys: IDLE })),
    );
    const config = { enforcement: { maxActionsPerRun: 2 } };
    await apply(83, config);
    const capped = await apply(90, config);
    expect(capped.stderr).toContain(`deactivating 2 keys in account ${accountId(0)}`);
    expect(capped.stderr).toMatch(
      /skipped: deactivate \S+ of c in \d{12}: cap of 2 actions per run reached\n/,
    );
    expect(await statuses(0, 'a', 'b', 'c')).toEqual({ a: 'Inactive', b: 'Inactive', c: 'Active' });
    await apply(91, config);
    expect(await statuses(0, 'c')).toEqual({ c: 'Inactive' });
  });

  it('deletes only a key key-audit deactivated, deleteAfterDays after it, after a notice', async () => {
    await seed(1, [
      { userName: 'idle', keys: IDLE },
      { userName: 'manual', keys: [{ status: 'Inactive', used: false }] },
    ]);
    const config = { enforcement: { deleteAfterDays: 30 } };
    await apply(83, config);
    await apply(90, config);
    await noticesIn('everything');
    await apply(113, config);
    expect(noticed(await noticesIn('everything'))).toEqual([
      `${accountId(0)}/idle/${keyOf(0, 'idle').accessKeyId}`,
    ]);
    await apply(119, config);
    expect(await statuses(0, 'idle')).toEqual({ idle: 'Inactive' });
    const deleted = await apply(120, config);
    expect(deleted.stderr).toContain(`deleting 1 key in account ${accountId(0)}`);
    expect(deleted.stderr).toContain('(a deletion cannot be undone)');
    await apply(400, config);
    expect(await statuses(0, 'idle', 'manual')).toEqual({ idle: 'none', manual: 'Inactive' });
    expect((await memory()).actions.filter((a) => a.userName === 'manual')).toEqual([]);
  });

  it('refuses --enforce apply without a history, before scanning', async () => {
    await seed(1, [{ userName: 'idle', keys: IDLE }]);
    const stderr = new Sink();
    const code = await runCli(
      ['scan', '--accounts', accountId(0), '--enforce', 'apply', '--publish-alerts', topic.topicArn],
      { stdout: new Sink(), stderr, now: () => new Date(), version: '0.0.0-test' },
    );
    expect(code).toBe(1);
    expect(stderr.text).toBe(
      'key-audit: --enforce: apply needs --history LOCATION: notices and actions are remembered from run to run\n',
    );
  });

  it('exits 3 and keeps the notice when the remediation role may not change the key', async () => {
    await seed(1, [{ userName: 'idle', keys: IDLE }]);
    await apply(83);
    // With moto's IAM enforcement on: a runner allowed everything, a read-only role allowed everything, and
    // a remediation role without any policy, whose UpdateAccessKey is then denied.
    const runner = await createRunner(endpoint);
    const trust = trustedByAccount(org.managementAccountId);
    const member = await memberIamClient(endpoint, accountId(0));
    for (const roleName of ['KeyAuditReadOnly', 'KeyAuditRemediation']) {
      await member.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust }));
    }
    await member.send(
      new PutRolePolicyCommand({
        RoleName: 'KeyAuditReadOnly',
        PolicyName: 'read',
        PolicyDocument: ALLOW_ALL,
      }),
    );
    const setAuth = async (count: string): Promise<void> => {
      const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: count });
      if (!response.ok) throw new Error(`moto reset-auth failed: HTTP ${response.status}`);
    };
    vi.stubEnv('AWS_ACCESS_KEY_ID', runner?.AccessKeyId ?? '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', runner?.SecretAccessKey ?? '');
    let run: Run;
    await setAuth('0');
    try {
      run = await apply(90);
    } finally {
      // Enforcement is server-wide: switch it off before anything else talks to moto.
      await setAuth('inf');
      vi.stubEnv('AWS_ACCESS_KEY_ID', CALLER_CREDENTIALS.accessKeyId);
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', CALLER_CREDENTIALS.secretAccessKey);
    }
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(
      /enforcement: FAILED: deactivate \S+ of idle in \d{12}: IAM UpdateAccessKey .*failed/,
    );
    expect(await statuses(0, 'idle')).toEqual({ idle: 'Active' });
    const remembered = await memory();
    expect(Object.keys(remembered.notices)).toEqual([keyOf(0, 'idle').accessKeyId]);
    expect(remembered.actions.at(-1)).toMatchObject({ type: 'deactivate', status: 'failed' });
  });
});
