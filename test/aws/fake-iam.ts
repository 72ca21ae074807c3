/**
 * An in-memory IAM account behind aws-sdk-client-mock: the same users and keys answer ListUsers,
 * ListAccessKeys, GetAccessKeyLastUsed, ListUserTags, GetAccountSummary and the credential report, so
 * tests can compare sources, count calls and delete things mid-scan.
 */
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';

export interface FakeKey {
  readonly id: string;
  readonly status: 'Active' | 'Inactive' | 'Expired';
  readonly createdAt: Date;
  readonly lastUsedAt?: Date;
  readonly service?: string;
  readonly region?: string;
}

export interface FakeUser {
  readonly name: string;
  readonly path?: string;
  readonly tags?: Readonly<Record<string, string>>;
  keys: FakeKey[];
}

export interface FakeAccountSpec {
  readonly accountId: string;
  readonly users: FakeUser[];
  /** Root has an access key (appears in the report row and in AccountAccessKeysPresent). */
  readonly rootKey?: { readonly createdAt: Date; readonly lastUsedAt?: Date };
  /** Omit the `<root_account>` row, as moto does. */
  readonly reportWithoutRoot?: boolean;
  /** ListUsers page size (IsTruncated with a Marker until the last page). */
  readonly pageSize?: number;
  readonly reportGeneratedAt?: Date;
}

/** One recorded call: the command name and a copy of its input at call time. */
export interface RecordedCall {
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
}

const userArn = (accountId: string, user: FakeUser): string =>
  `arn:aws:iam::${accountId}:user${user.path ?? '/'}${user.name}`;

const iso = (date: Date | undefined): string =>
  date === undefined ? 'N/A' : date.toISOString().replace(/\.\d{3}Z$/, '+00:00');

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,' +
  'mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,' +
  'access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,' +
  'access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,' +
  'cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

const slotCells = (key: FakeKey | undefined): string[] =>
  key === undefined
    ? ['false', 'N/A', 'N/A', 'N/A', 'N/A']
    : [
        key.status === 'Active' ? 'true' : 'false',
        iso(key.createdAt),
        iso(key.lastUsedAt),
        key.region ?? 'N/A',
        key.service ?? 'N/A',
      ];

/** The credential report CSV IAM would produce for `spec` now. */
export const reportCsv = (spec: FakeAccountSpec): string => {
  const created = '2020-01-01T00:00:00+00:00';
  const rows = spec.users.map((user) =>
    [
      user.name,
      userArn(spec.accountId, user),
      created,
      'false',
      'N/A',
      'N/A',
      'N/A',
      'false',
      ...slotCells(user.keys[0]),
      ...slotCells(user.keys[1]),
      'false',
      'N/A',
      'false',
      'N/A',
    ].join(','),
  );
  if (!spec.reportWithoutRoot) {
    const root = spec.rootKey;
    const rootKey: FakeKey | undefined =
      root === undefined
        ? undefined
        : {
            id: 'ROOT',
            status: 'Active',
            createdAt: root.createdAt,
            ...(root.lastUsedAt ? { lastUsedAt: root.lastUsedAt } : {}),
          };
    rows.unshift(
      [
        '<root_account>',
        `arn:aws:iam::${spec.accountId}:root`,
        created,
        'not_supported',
        'N/A',
        'not_supported',
        'not_supported',
        'true',
        ...slotCells(rootKey),
        ...slotCells(undefined),
        'false',
        'N/A',
        'false',
        'N/A',
      ].join(','),
    );
  }
  return `${[HEADER, ...rows].join('\n')}\n`;
};

const noSuchEntity = (what: string): NoSuchEntityException =>
  new NoSuchEntityException({ message: `The ${what} cannot be found.`, $metadata: {} });

/**
 * Mocks `client` (a fresh IAMClient when omitted) as the account `spec`. `spec.users` and their keys may
 * be mutated by the test at any time; answers reflect the state at call time. Returns the mock and a log of
 * every call with a copy of its input.
 */
export const fakeIamAccount = (
  spec: FakeAccountSpec,
  client: IAMClient = new IAMClient({ region: 'us-east-1' }),
) => {
  const mock = mockClient(client);
  const calls: RecordedCall[] = [];
  const record = (command: string, input: object): void => {
    calls.push({ command, input: { ...input } });
  };
  const findUser = (name: unknown): FakeUser => {
    const user = spec.users.find((u) => u.name === name);
    if (user === undefined) throw noSuchEntity(`user with name ${String(name)}`);
    return user;
  };
  const pageSize = spec.pageSize ?? 100;

  mock.on(ListUsersCommand).callsFake((input) => {
    record('ListUsers', input);
    const start = input.Marker === undefined ? 0 : Number(input.Marker);
    const page = spec.users.slice(start, start + pageSize);
    const more = start + pageSize < spec.users.length;
    return {
      Users: page.map((user) => ({
        UserName: user.name,
        Arn: userArn(spec.accountId, user),
        Path: user.path ?? '/',
        UserId: `AIDA${user.name.toUpperCase()}`,
        CreateDate: new Date('2020-01-01T00:00:00Z'),
      })),
      IsTruncated: more,
      ...(more ? { Marker: String(start + pageSize) } : {}),
    };
  });
  mock.on(ListAccessKeysCommand).callsFake((input) => {
    record('ListAccessKeys', input);
    const user = findUser(input.UserName);
    return {
      AccessKeyMetadata: user.keys.map((key) => ({
        UserName: user.name,
        AccessKeyId: key.id,
        Status: key.status,
        CreateDate: key.createdAt,
      })),
      IsTruncated: false,
    };
  });
  mock.on(GetAccessKeyLastUsedCommand).callsFake((input) => {
    record('GetAccessKeyLastUsed', input);
    for (const user of spec.users) {
      const key = user.keys.find((k) => k.id === input.AccessKeyId);
      if (key !== undefined) {
        return {
          UserName: user.name,
          AccessKeyLastUsed: {
            ...(key.lastUsedAt ? { LastUsedDate: key.lastUsedAt } : {}),
            ServiceName: key.service ?? 'N/A',
            Region: key.region ?? 'N/A',
          },
        };
      }
    }
    throw noSuchEntity(`Access Key with id ${String(input.AccessKeyId)}`);
  });
  mock.on(ListUserTagsCommand).callsFake((input) => {
    record('ListUserTags', input);
    const user = findUser(input.UserName);
    return {
      Tags: Object.entries(user.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      IsTruncated: false,
    };
  });
  mock.on(GetAccountSummaryCommand).callsFake((input) => {
    record('GetAccountSummary', input);
    return { SummaryMap: { Users: spec.users.length, AccountAccessKeysPresent: spec.rootKey ? 1 : 0 } };
  });
  let generated = false;
  mock.on(GenerateCredentialReportCommand).callsFake((input) => {
    record('GenerateCredentialReport', input);
    const state = generated ? 'COMPLETE' : 'STARTED';
    generated = true;
    return { State: state };
  });
  mock.on(GetCredentialReportCommand).callsFake((input) => {
    record('GetCredentialReport', input);
    return {
      Content: new TextEncoder().encode(reportCsv(spec)),
      ReportFormat: 'text/csv',
      GeneratedTime: spec.reportGeneratedAt ?? new Date('2025-06-01T08:00:00Z'),
    };
  });
  return { client, mock, calls };
};

/** Calls grouped as `Command input-json`, for "no call made twice" checks. */
export const callSignatures = (calls: readonly RecordedCall[]): string[] =>
  calls.map((call) => `${call.command} ${JSON.stringify(call.input)}`);
