import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  NoSuchEntityException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  applyActions,
  deactivateKey,
  deleteKey,
  type KeyClients,
  RemediationError,
} from '../../lambda/aws/key-remediation.ts';
import { AssumeRoleError } from '../../lambda/aws/sts-sessions.ts';
import type { PlannedAction } from '../../lambda/domain/enforcement/plan.ts';

const ACCOUNT = '111122223333';
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const USED = new Date('2026-03-01T10:00:00Z');
const TARGET = { accountId: ACCOUNT, userName: 'alice', accessKeyId: KEY, lastUsedAt: USED };

/** An IAM client whose alice holds KEY in `status`, last used `lastUsed`. */
const iamWith = (status: 'Active' | 'Inactive', lastUsed: Date | undefined = USED) => {
  const client = new IAMClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  mock
    .on(ListAccessKeysCommand, { UserName: 'alice' })
    .resolvesOnce({
      AccessKeyMetadata: [{ AccessKeyId: 'AKIAOTHEREXAMPLE0001', Status: 'Active' }],
      IsTruncated: true,
      Marker: 'm1',
    })
    .resolves({ AccessKeyMetadata: [{ AccessKeyId: KEY, Status: status, UserName: 'alice' }] });
  mock.on(GetAccessKeyLastUsedCommand, { AccessKeyId: KEY }).resolves({
    UserName: 'alice',
    AccessKeyLastUsed: { LastUsedDate: lastUsed, ServiceName: 's3', Region: 'eu-west-1' },
  });
  mock.on(UpdateAccessKeyCommand).resolves({});
  mock.on(DeleteAccessKeyCommand).resolves({});
  return { client, mock, clients: { read: client, write: client } as KeyClients };
};

const noSuchEntity = () =>
  new NoSuchEntityException({ message: 'The user with name alice cannot be found.', $metadata: {} });

describe('deactivateKey', () => {
  it('sets exactly that key of that user Inactive after checking it, following ListAccessKeys pages', async () => {
    const { mock, clients } = iamWith('Active');
    await expect(deactivateKey(clients, TARGET)).resolves.toEqual({ status: 'done', reason: 'deactivated' });
    expect(mock.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'alice', AccessKeyId: KEY, Status: 'Inactive' },
    ]);
    expect(mock.commandCalls(ListAccessKeysCommand)).toHaveLength(2);
    expect(mock.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
  });

  it('reads with the read client and changes with the write client', async () => {
    const read = iamWith('Active');
    const write = new IAMClient({ region: 'us-east-1' });
    const writeMock = mockClient(write);
    writeMock.on(UpdateAccessKeyCommand).resolves({});
    await deactivateKey({ read: read.client, write }, TARGET);
    expect(read.mock.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect(writeMock.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
    expect(writeMock.commandCalls(ListAccessKeysCommand)).toHaveLength(0);
  });

  it.each([
    ['already inactive', iamWith('Inactive'), TARGET, 'key is Inactive, not Active, now'],
    [
      'used since the plan read it',
      iamWith('Active', new Date('2026-06-14T08:00:00Z')),
      TARGET,
      'key used since it was read (last used 2026-03-01T10:00:00.000Z then, last used 2026-06-14T08:00:00.000Z now)',
    ],
    [
      'used for the first time since the plan read it',
      iamWith('Active'),
      { ...TARGET, lastUsedAt: null },
      'key used since it was read (never used then, last used 2026-03-01T10:00:00.000Z now)',
    ],
    [
      'no longer listed',
      iamWith('Active'),
      { ...TARGET, accessKeyId: 'AKIAGONEEXAMPLE00001' },
      'key no longer exists',
    ],
  ])('refuses a key %s', async (_why, { mock, clients }, target, reason) => {
    await expect(deactivateKey(clients, target)).resolves.toEqual({ status: 'skipped', reason });
    expect(mock.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });

  it('refuses a user that no longer exists', async () => {
    const client = new IAMClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(ListAccessKeysCommand).rejects(noSuchEntity());
    await expect(deactivateKey({ read: client, write: client }, TARGET)).resolves.toEqual({
      status: 'skipped',
      reason: 'key no longer exists',
    });
    expect(mock.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });

  it('refuses the root user without any call', async () => {
    const { mock, clients } = iamWith('Active');
    await expect(deactivateKey(clients, { ...TARGET, userName: '<root_account>' })).resolves.toEqual({
      status: 'skipped',
      reason: 'root user keys are never changed by key-audit',
    });
    expect(mock.calls()).toHaveLength(0);
  });

  it('skips a key deleted between the check and the change', async () => {
    const { mock, clients } = iamWith('Active');
    mock.on(UpdateAccessKeyCommand).rejects(noSuchEntity());
    await expect(deactivateKey(clients, TARGET)).resolves.toEqual({
      status: 'skipped',
      reason: 'key no longer exists',
    });
  });

  it('throws RemediationError with the AWS code and the SDK error as cause', async () => {
    const { mock, clients } = iamWith('Active');
    const denied = new IAMServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      message: 'not authorized to perform: iam:UpdateAccessKey',
      $metadata: {},
    });
    mock.on(UpdateAccessKeyCommand).rejects(denied);
    const failure = deactivateKey(clients, TARGET);
    await expect(failure).rejects.toBeInstanceOf(RemediationError);
    await expect(failure).rejects.toMatchObject({
      code: 'AccessDenied',
      accountId: ACCOUNT,
      accessKeyId: KEY,
      operation: 'UpdateAccessKey',
      message: `IAM UpdateAccessKey for key ${KEY} of alice in account ${ACCOUNT} failed: not authorized to perform: iam:UpdateAccessKey`,
      cause: denied,
    });
  });
});

describe('deleteKey', () => {
  it('deletes exactly that inactive key', async () => {
    const { mock, clients } = iamWith('Inactive');
    await expect(deleteKey(clients, TARGET)).resolves.toEqual({ status: 'done', reason: 'deleted' });
    expect(mock.commandCalls(DeleteAccessKeyCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'alice', AccessKeyId: KEY },
    ]);
  });

  it('refuses a key that is active again', async () => {
    const { mock, clients } = iamWith('Active');
    await expect(deleteKey(clients, TARGET)).resolves.toEqual({
      status: 'skipped',
      reason: 'key is Active, not Inactive, now',
    });
    expect(mock.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
  });
});

const planned = (overrides: Partial<PlannedAction> = {}): PlannedAction => ({
  type: 'deactivate',
  accountId: ACCOUNT,
  userName: 'alice',
  accessKeyId: KEY,
  keySlot: null,
  owner: null,
  production: false,
  dueAt: new Date('2026-06-15T00:00:00Z'),
  status: 'planned',
  reason: 'last used 2026-03-01 (deactivated after 90 days unused); notice of 2026-06-08',
  lastUsedAt: USED,
  keepsNotice: true,
  ...overrides,
});

describe('applyActions', () => {
  it.each(['plan', 'off'] as const)('changes nothing in %s mode', async (mode) => {
    const { mock, clients } = iamWith('Active');
    const actions = [planned()];
    await expect(applyActions(actions, () => clients, { mode })).resolves.toEqual(actions);
    expect(mock.calls()).toHaveLength(0);
  });

  it('applies planned actions, passes skipped ones through, and reports each outcome', async () => {
    const { mock, clients } = iamWith('Active');
    const capped = planned({
      accessKeyId: 'AKIACAPPEDEXAMPLE001',
      status: 'skipped',
      reason: 'cap of 1 action per run reached',
    });
    const outcomes = await applyActions([planned(), capped, planned({ type: 'delete' })], () => clients, {
      mode: 'apply',
    });
    expect(outcomes).toEqual([
      {
        ...planned(),
        status: 'done',
        reason:
          'deactivated (due 2026-06-15): last used 2026-03-01 (deactivated after 90 days unused); notice of 2026-06-08',
        keepsNotice: false,
      },
      capped,
      // The check for the deletion sees the key still Active in this fake.
      {
        ...planned({ type: 'delete' }),
        status: 'skipped',
        reason: 'key is Active, not Inactive, now: not deleted',
        keepsNotice: false,
      },
    ]);
    expect(mock.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
  });

  it('fails an action whose AWS call failed, keeping its notice, and goes on with the next', async () => {
    const { mock, clients } = iamWith('Active');
    mock.on(UpdateAccessKeyCommand).rejectsOnce(
      new IAMServiceException({
        name: 'Throttling',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: {},
      }),
    );
    const outcomes = await applyActions([planned(), planned()], () => clients, { mode: 'apply' });
    expect(outcomes.map((o) => [o.status, o.keepsNotice])).toEqual([
      ['failed', true],
      ['done', false],
    ]);
    expect(outcomes[0]?.reason).toContain('failed: Rate exceeded');
  });

  it('fails the action when the remediation role cannot be assumed', async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/KeyAuditRemediation`;
    const client = new IAMClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      maxAttempts: 1,
      credentials: () =>
        Promise.reject(
          new AssumeRoleError(ACCOUNT, roleArn, 'AccessDenied', `cannot assume ${roleArn}: denied`),
        ),
    });
    const [outcome] = await applyActions([planned()], () => ({ read: client, write: client }), {
      mode: 'apply',
    });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: `cannot assume ${roleArn}: denied`,
      keepsNotice: true,
    });
  });

  it('fails the action, keeping its notice, when there are no clients for its account', async () => {
    const [outcome] = await applyActions([planned()], () => undefined, { mode: 'apply' });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: `no credentials to change keys in account ${ACCOUNT}`,
      keepsNotice: true,
    });
  });

  it('lets a bug propagate', async () => {
    await expect(
      applyActions(
        [planned()],
        () => {
          throw new TypeError('no clients');
        },
        { mode: 'apply' },
      ),
    ).rejects.toThrow(TypeError);
  });
});
