/**
 * Builds an AWS organisation in moto for integration tests, the CLI tests and the benchmark: an
 * organisation (the caller's account is the management account), member accounts (optionally in OUs),
 * and in each member IAM users with keys in a known mix of states. Keys marked `used` sign a real request
 * so that moto records their last use. Member accounts are reached by AssumeRole into the account id
 * (moto accepts any role and isolates resources per account).
 */
import {
  type AccessKey,
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { boundedMap } from '../../lambda/aws/bounded-map.ts';

/** The region seeding uses (matches `motoEnv`). */
export const SEED_REGION = 'eu-west-2';

/** Credentials of the caller (moto's default account, the management account). */
export const CALLER_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** A key to create: its final status and whether to sign a request with it. */
export interface KeySpec {
  readonly status: 'Active' | 'Inactive';
  readonly used: boolean;
}

/** A user to create. */
export interface UserSpec {
  readonly userName: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly keys: readonly KeySpec[];
}

/** An OU to create; `parent` names another OU of the list (created before it), else the root. */
export interface OuSpec {
  readonly name: string;
  readonly parent?: string;
}

export interface SeedOptions {
  /** Member accounts to create. */
  readonly accounts: number;
  /** Users in each member account. */
  readonly usersPerAccount: number;
  /** The users of each account. @default defaultUserSpec */
  readonly userSpec?: (accountIndex: number, userIndex: number) => UserSpec;
  /** OUs to create, parents first. @default [] */
  readonly ous?: readonly OuSpec[];
  /** The OU (by name) an account goes to, or null for the root. @default () => null */
  readonly accountOu?: (accountIndex: number) => string | null;
  /** Requests in flight at once. @default 8 */
  readonly concurrency?: number;
}

export interface SeededKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly status: 'Active' | 'Inactive';
  readonly used: boolean;
}

export interface SeededUser {
  readonly userName: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly keys: readonly SeededKey[];
}

export interface SeededAccount {
  readonly accountId: string;
  readonly name: string;
  /** The OU id, or null when the account sits in the root. */
  readonly ouId: string | null;
  readonly users: readonly SeededUser[];
}

export interface SeededOrganisation {
  readonly managementAccountId: string;
  readonly rootId: string;
  /** OU ids by name. */
  readonly ous: Readonly<Record<string, string>>;
  readonly accounts: readonly SeededAccount[];
}

/**
 * The seeded exemption runs to 2099, far past the default `maxExemptionDays` (90): runs that expect it
 * honoured allow exemptions that long, through this policy part or its `--config` file.
 */
export const SEEDED_EXEMPTION_LIMIT = { maxExemptionDays: 36_500 } as const;
/** `--config` file of `SEEDED_EXEMPTION_LIMIT`, relative to the repository root (where the CLI runs). */
export const SEEDED_EXEMPTION_CONFIG = 'test/fixtures/seeded-exemption.config.json';

/**
 * The default mix, cycling every 5 users: one used active key; two active keys (only the first used);
 * one inactive key; no key; one never-used active key with owner and exemption tags.
 */
export const defaultUserSpec = (_accountIndex: number, userIndex: number): UserSpec => {
  const name = `user-${String(userIndex).padStart(4, '0')}`;
  switch (userIndex % 5) {
    case 0:
      return { userName: name, keys: [{ status: 'Active', used: true }] };
    case 1:
      return {
        userName: name,
        tags: { 'key-audit:owner': `${name}@example.com` },
        keys: [
          { status: 'Active', used: true },
          { status: 'Active', used: false },
        ],
      };
    case 2:
      return { userName: name, keys: [{ status: 'Inactive', used: false }] };
    case 3:
      return { userName: name, keys: [] };
    default:
      return {
        userName: name,
        tags: {
          owner: 'platform-team',
          'key-audit:exempt-until': '2099-12-31',
          'key-audit:exempt-reason': 'vendor appliance, replaced in Q4',
        },
        keys: [{ status: 'Active', used: false }],
      };
  }
};

const clientConfig = (
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) => ({
  endpoint,
  region: SEED_REGION,
  credentials,
  maxAttempts: 5,
});

/** Credentials for `accountId` through AssumeRole (any role name works in moto). */
export const memberCredentials = async (
  endpoint: string,
  accountId: string,
): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }> => {
  const sts = new STSClient(clientConfig(endpoint, CALLER_CREDENTIALS));
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/KeyAuditSeeder`,
      RoleSessionName: 'key-audit-seed',
    }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
    throw new Error(`moto AssumeRole into ${accountId} gave no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
};

/** An IAM client acting inside `accountId`. */
export const memberIamClient = async (endpoint: string, accountId: string): Promise<IAMClient> =>
  new IAMClient(clientConfig(endpoint, await memberCredentials(endpoint, accountId)));

/** Signs one request with a user's key, so that moto records the key's last use (service `sts`). */
export const useKey = async (
  endpoint: string,
  key: { accessKeyId: string; secretAccessKey: string },
): Promise<void> => {
  const sts = new STSClient(clientConfig(endpoint, key));
  await sts.send(new GetCallerIdentityCommand({}));
};

/** Creates `spec`'s users and keys in the account `iam` acts in. */
export const seedUsers = async (
  endpoint: string,
  iam: IAMClient,
  specs: readonly UserSpec[],
  concurrency = 8,
): Promise<SeededUser[]> =>
  boundedMap(specs, concurrency, async (spec) => {
    const tags = spec.tags ?? {};
    await iam.send(
      new CreateUserCommand({
        UserName: spec.userName,
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    const keys: SeededKey[] = [];
    for (const keySpec of spec.keys) {
      const { AccessKey: created } = await iam.send(new CreateAccessKeyCommand({ UserName: spec.userName }));
      if (!created?.AccessKeyId || !created.SecretAccessKey)
        throw new Error('moto CreateAccessKey gave no key');
      const key = { accessKeyId: created.AccessKeyId, secretAccessKey: created.SecretAccessKey };
      if (keySpec.used) await useKey(endpoint, key);
      if (keySpec.status === 'Inactive') {
        await iam.send(
          new UpdateAccessKeyCommand({
            UserName: spec.userName,
            AccessKeyId: key.accessKeyId,
            Status: 'Inactive',
          }),
        );
      }
      keys.push({ ...key, status: keySpec.status, used: keySpec.used });
    }
    return { userName: spec.userName, tags, keys };
  });

/**
 * Creates the organisation, its OUs and member accounts, and the users of every member account.
 * Call `resetMoto` first: moto allows one organisation per management account.
 */
export const seedOrganisation = async (
  endpoint: string,
  options: SeedOptions,
): Promise<SeededOrganisation> => {
  const concurrency = options.concurrency ?? 8;
  const userSpec = options.userSpec ?? defaultUserSpec;
  const org = new OrganizationsClient(clientConfig(endpoint, CALLER_CREDENTIALS));
  const { Organization: organisation } = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const managementAccountId = organisation?.MasterAccountId ?? '';
  const { Roots: roots } = await org.send(new ListRootsCommand({}));
  const rootId = roots?.[0]?.Id ?? '';
  if (!managementAccountId || !rootId)
    throw new Error('moto CreateOrganization gave no management account or root');

  const ous: Record<string, string> = {};
  for (const ou of options.ous ?? []) {
    const parentId = ou.parent === undefined ? rootId : ous[ou.parent];
    if (parentId === undefined)
      throw new Error(`OU ${ou.name}: parent ${ou.parent} is not defined before it`);
    const { OrganizationalUnit: created } = await org.send(
      new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: ou.name }),
    );
    if (!created?.Id) throw new Error(`moto CreateOrganizationalUnit ${ou.name} gave no id`);
    ous[ou.name] = created.Id;
  }

  const indexes = Array.from({ length: options.accounts }, (_, i) => i);
  const accounts = await boundedMap(indexes, 1, async (accountIndex) => {
    const name = `member-${String(accountIndex + 1).padStart(3, '0')}`;
    const { CreateAccountStatus: status } = await org.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
    );
    const accountId = status?.AccountId;
    if (!accountId) throw new Error(`moto CreateAccount ${name} gave no account id`);
    const ouName = options.accountOu?.(accountIndex) ?? null;
    let ouId: string | null = null;
    if (ouName !== null) {
      ouId = ous[ouName] ?? null;
      if (ouId === null) throw new Error(`account ${name}: OU ${ouName} is not in options.ous`);
      await org.send(
        new MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: ouId }),
      );
    }
    return { accountId, name, ouId };
  });

  const seeded = await boundedMap(accounts, 2, async (account, accountIndex) => {
    const iam = await memberIamClient(endpoint, account.accountId);
    const specs = Array.from({ length: options.usersPerAccount }, (_, userIndex) =>
      userSpec(accountIndex, userIndex),
    );
    const users = await seedUsers(endpoint, iam, specs, Math.max(1, Math.floor(concurrency / 2)));
    return { ...account, users };
  });
  return { managementAccountId, rootId, ous, accounts: seeded };
};

/** An IAM policy allowing everything: what the runner and a working member role need under moto's IAM enforcement. */
export const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

/** A trust policy letting the management account's principals assume the role. */
export const trustedByAccount = (accountId: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
    ],
  });

/**
 * With moto's IAM enforcement on, the CLI needs a caller of its own: the user `key-audit-runner` in the
 * management account, allowed everything. Returns its access key.
 */
export const createRunner = async (endpoint: string): Promise<AccessKey | undefined> => {
  const iam = new IAMClient({ endpoint, region: SEED_REGION, credentials: CALLER_CREDENTIALS });
  await iam.send(new CreateUserCommand({ UserName: 'key-audit-runner' }));
  await iam.send(
    new PutUserPolicyCommand({ UserName: 'key-audit-runner', PolicyName: 'all', PolicyDocument: ALLOW_ALL }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'key-audit-runner' }));
  return AccessKey;
};
