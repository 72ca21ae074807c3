import {
  GetAccessKeyLastUsedCommand,
  IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  IamInventoryError,
  keyStatusOf,
  knownOrNull,
  readApiInventory,
  readLiveUser,
} from '../../lambda/aws/iam-inventory.ts';
import { callSignatures, type FakeUser, fakeIamAccount } from './fake-iam.ts';

const ACCOUNT = '111122223333';
const CREATED = new Date('2025-01-10T09:00:00Z');
const USED = new Date('2025-05-30T10:00:00Z');

const user = (name: string, keys: FakeUser['keys'] = [], tags: Record<string, string> = {}): FakeUser => ({
  name,
  tags,
  keys,
});

describe('keyStatusOf', () => {
  it.each([
    ['Active', 'active'],
    ['Inactive', 'inactive'],
    ['Expired', 'unknown'],
    [undefined, 'unknown'],
  ])('maps IAM status %s to %s', (status, expected) => {
    expect(keyStatusOf(status)).toBe(expected);
  });
});

describe('knownOrNull', () => {
  it.each([
    ['N/A', null],
    ['', null],
    [undefined, null],
    ['s3', 's3'],
    ['eu-west-1', 'eu-west-1'],
  ])('maps %s to %s', (value, expected) => {
    expect(knownOrNull(value)).toBe(expected);
  });
});

describe('readApiInventory', () => {
  it('follows every ListUsers Marker page and reads each user', async () => {
    const users = ['a', 'b', 'c', 'd', 'e'].map((name) => user(name));
    const { client, calls } = fakeIamAccount({ accountId: ACCOUNT, users, pageSize: 2 });
    const account = await readApiInventory(client, ACCOUNT);
    expect(account.users.map((u) => u.userName)).toEqual(['a', 'b', 'c', 'd', 'e']);
    // Pages start at 0, 2 and 4: the fake's Marker is the next index.
    expect(calls.filter((c) => c.command === 'ListUsers').map((c) => c.input.Marker)).toEqual([
      undefined,
      '2',
      '4',
    ]);
  });

  it('follows the Marker when IsTruncated comes with a short or empty page', async () => {
    const { client, mock } = fakeIamAccount({ accountId: ACCOUNT, users: [user('a'), user('b')] });
    mock
      .on(ListUsersCommand)
      .resolvesOnce({
        Users: [
          {
            UserName: 'a',
            Arn: `arn:aws:iam::${ACCOUNT}:user/a`,
            Path: '/',
            UserId: 'x',
            CreateDate: CREATED,
          },
        ],
        IsTruncated: true,
        Marker: 'm1',
      })
      .resolvesOnce({ Users: [], IsTruncated: true, Marker: 'm2' })
      .resolvesOnce({
        Users: [
          {
            UserName: 'b',
            Arn: `arn:aws:iam::${ACCOUNT}:user/b`,
            Path: '/',
            UserId: 'y',
            CreateDate: CREATED,
          },
        ],
        IsTruncated: false,
      });
    const account = await readApiInventory(client, ACCOUNT);
    expect(account.users.map((u) => u.userName)).toEqual(['a', 'b']);
    expect(mock.commandCalls(ListUsersCommand)).toHaveLength(3);
  });

  it('maps keys, last use and tags, and reads the root from the account summary', async () => {
    const users = [
      user(
        'alice',
        [
          {
            id: 'AKIAALICE1',
            status: 'Active',
            createdAt: CREATED,
            lastUsedAt: USED,
            service: 's3',
            region: 'N/A',
          },
          { id: 'AKIAALICE2', status: 'Inactive', createdAt: CREATED },
        ],
        { 'key-audit:owner': 'alice@example.com' },
      ),
      user('bob', [
        {
          id: 'AKIABOB1',
          status: 'Expired',
          createdAt: CREATED,
          lastUsedAt: USED,
          service: 'iam',
          region: 'eu-west-2',
        },
      ]),
    ];
    const { client } = fakeIamAccount({
      accountId: ACCOUNT,
      users,
      rootKey: { createdAt: CREATED },
    });
    const account = await readApiInventory(client, ACCOUNT);
    expect(account).toEqual({
      accountId: ACCOUNT,
      status: 'scanned',
      source: 'api',
      root: { accessKeys: [], hasActiveAccessKey: true },
      users: [
        {
          userName: 'alice',
          arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
          path: '/',
          tags: { 'key-audit:owner': 'alice@example.com' },
          accessKeys: [
            {
              accessKeyId: 'AKIAALICE1',
              slot: null,
              status: 'active',
              createdAt: CREATED,
              lastUsedAt: USED,
              lastUsedService: 's3',
              lastUsedRegion: null,
            },
            {
              accessKeyId: 'AKIAALICE2',
              slot: null,
              status: 'inactive',
              createdAt: CREATED,
              lastUsedAt: null,
              lastUsedService: null,
              lastUsedRegion: null,
            },
          ],
        },
        {
          userName: 'bob',
          arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
          path: '/',
          tags: {},
          accessKeys: [
            {
              accessKeyId: 'AKIABOB1',
              slot: null,
              status: 'unknown',
              createdAt: CREATED,
              lastUsedAt: USED,
              lastUsedService: 'iam',
              lastUsedRegion: 'eu-west-2',
            },
          ],
        },
      ],
    });
  });

  it('reports no root key when AccountAccessKeysPresent is 0', async () => {
    const { client } = fakeIamAccount({ accountId: ACCOUNT, users: [] });
    const account = await readApiInventory(client, ACCOUNT);
    expect(account.root).toEqual({ accessKeys: [], hasActiveAccessKey: false });
    expect(account.users).toEqual([]);
  });

  it('makes no call twice and at most 4 per user, skipping tags for users without keys', async () => {
    const users = [
      user('two', [
        { id: 'AKIA1', status: 'Active', createdAt: CREATED },
        { id: 'AKIA2', status: 'Active', createdAt: CREATED },
      ]),
      user('one', [{ id: 'AKIA3', status: 'Active', createdAt: CREATED }]),
      user('none'),
    ];
    const { client, calls } = fakeIamAccount({ accountId: ACCOUNT, users });
    await readApiInventory(client, ACCOUNT);
    const signatures = callSignatures(calls);
    expect(new Set(signatures).size).toBe(signatures.length);
    // ListUsers + GetAccountSummary, then two: 1+2+1, one: 1+1+1, none: ListAccessKeys only.
    expect(calls).toHaveLength(2 + 4 + 3 + 1);
    expect(
      calls
        .filter((c) => c.command === 'ListUserTags')
        .map((c) => c.input.UserName)
        .sort(),
    ).toEqual(['one', 'two']);
  });

  it('wraps an IAM failure in IamInventoryError with the code and the SDK error as cause', async () => {
    const { client, mock } = fakeIamAccount({ accountId: ACCOUNT, users: [user('a')] });
    const denied = new IAMServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'User is not authorized to perform: iam:ListUsers',
    });
    mock.on(ListUsersCommand).rejects(denied);
    const error = await readApiInventory(client, ACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IamInventoryError);
    expect(error).toMatchObject({
      code: 'AccessDenied',
      operation: 'ListUsers',
      accountId: ACCOUNT,
      cause: denied,
    });
    expect((error as Error).message).toContain('not authorized');
  });

  it('fails with the throttling code when throttling outlasts the SDK retries', async () => {
    const { client, mock } = fakeIamAccount({
      accountId: ACCOUNT,
      users: [user('a', [{ id: 'AKIA1', status: 'Active', createdAt: CREATED }])],
    });
    mock.on(ListAccessKeysCommand).rejects(
      new IAMServiceException({
        name: 'Throttling',
        $fault: 'client',
        $metadata: {},
        message: 'Rate exceeded',
      }),
    );
    await expect(readApiInventory(client, ACCOUNT)).rejects.toMatchObject({
      name: 'IamInventoryError',
      code: 'Throttling',
    });
  });

  it('stops between users once the signal aborts', async () => {
    const controller = new AbortController();
    const users = ['a', 'b', 'c'].map((name) =>
      user(name, [{ id: `AKIA${name}`, status: 'Active', createdAt: CREATED }]),
    );
    const { client, mock } = fakeIamAccount({ accountId: ACCOUNT, users });
    mock.on(ListUserTagsCommand).callsFake(() => {
      controller.abort();
      return { Tags: [] };
    });
    await expect(
      readApiInventory(client, ACCOUNT, { concurrency: 1, signal: controller.signal }),
    ).rejects.toThrow();
    expect(mock.commandCalls(ListAccessKeysCommand)).toHaveLength(1);
  });
});

describe('readLiveUser', () => {
  const identity = { userName: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, path: '/' };

  it('returns null when the user was deleted before ListAccessKeys', async () => {
    const { client } = fakeIamAccount({ accountId: ACCOUNT, users: [] });
    await expect(readLiveUser(client, ACCOUNT, identity)).resolves.toBeNull();
  });

  it('returns null when the user is deleted between ListAccessKeys and ListUserTags', async () => {
    const spec = {
      accountId: ACCOUNT,
      users: [user('alice', [{ id: 'AKIA1', status: 'Active' as const, createdAt: CREATED }])],
    };
    const { client, mock } = fakeIamAccount(spec);
    mock.on(ListUserTagsCommand).rejects(new NoSuchEntityException({ message: 'gone', $metadata: {} }));
    await expect(readLiveUser(client, ACCOUNT, identity)).resolves.toBeNull();
  });

  it('drops a key deleted between ListAccessKeys and GetAccessKeyLastUsed', async () => {
    const spec = {
      accountId: ACCOUNT,
      users: [
        user('alice', [
          { id: 'AKIAGONE', status: 'Active' as const, createdAt: CREATED },
          { id: 'AKIAKEPT', status: 'Active' as const, createdAt: CREATED },
        ]),
      ],
    };
    const { client, mock } = fakeIamAccount(spec);
    mock.on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAGONE' }).rejects(
      new NoSuchEntityException({
        message: 'The Access Key with id AKIAGONE cannot be found',
        $metadata: {},
      }),
    );
    const read = await readLiveUser(client, ACCOUNT, identity);
    expect(read?.accessKeys.map((k) => k.accessKeyId)).toEqual(['AKIAKEPT']);
  });

  it('follows ListAccessKeys and ListUserTags Marker pages', async () => {
    const client = new IAMClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock
      .on(ListAccessKeysCommand)
      .resolvesOnce({
        AccessKeyMetadata: [{ AccessKeyId: 'AKIA1', Status: 'Active', CreateDate: CREATED }],
        IsTruncated: true,
        Marker: 'k2',
      })
      .resolvesOnce({
        AccessKeyMetadata: [{ AccessKeyId: 'AKIA2', Status: 'Inactive', CreateDate: CREATED }],
        IsTruncated: false,
      });
    mock
      .on(ListUserTagsCommand)
      .resolvesOnce({ Tags: [{ Key: 'owner', Value: 'ops' }], IsTruncated: true, Marker: 't2' })
      .resolvesOnce({ Tags: [{ Key: 'team', Value: 'data' }], IsTruncated: false });
    mock
      .on(GetAccessKeyLastUsedCommand)
      .resolves({ AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    const read = await readLiveUser(client, ACCOUNT, identity);
    expect(read?.accessKeys.map((k) => [k.accessKeyId, k.status])).toEqual([
      ['AKIA1', 'active'],
      ['AKIA2', 'inactive'],
    ]);
    expect(read?.tags).toEqual({ owner: 'ops', team: 'data' });
    expect(mock.commandCalls(ListAccessKeysCommand)[1]?.args[0].input).toMatchObject({
      UserName: 'alice',
      Marker: 'k2',
    });
    expect(mock.commandCalls(ListUserTagsCommand)[1]?.args[0].input).toMatchObject({
      UserName: 'alice',
      Marker: 't2',
    });
  });
});
