/**
 * The `--source api` inventory: every user, key, last use and tag read live from IAM. Also reads single
 * users for the credential-report source, which verifies the users its report flags.
 */
import {
  type AccessKeyMetadata,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  type IAMClient,
  paginateListAccessKeys,
  paginateListUsers,
  paginateListUserTags,
} from '@aws-sdk/client-iam';
import type { AccessKey, IamUser, KeyStatus, RootUser, ScannedAccount } from '../domain/inventory.ts';
import { AwsAdapterError, awsErrorCode, awsErrorMessage, hasAwsErrorCode } from './aws-error.ts';
import { boundedMap } from './bounded-map.ts';

/** Users read at a time within one account: IAM's per-account throttling makes more counterproductive. */
export const DEFAULT_USER_CONCURRENCY = 8;

/** An IAM call failed after the SDK's retries, or IAM answered something unusable. */
export class IamInventoryError extends AwsAdapterError {
  override readonly name = 'IamInventoryError';
  constructor(
    readonly accountId: string,
    readonly operation: string,
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Thrown inside this module when an entity vanished mid-scan; never escapes. */
class Gone extends Error {}

/** Maps IAM's key status; anything but Active/Inactive (e.g. `Expired`) stays visible as `unknown`. */
export const keyStatusOf = (status: string | undefined): KeyStatus =>
  status === 'Active' ? 'active' : status === 'Inactive' ? 'inactive' : 'unknown';

/** IAM says `N/A` (or nothing) when a last-used service or region is unknown. */
export const knownOrNull = (value: string | undefined): string | null =>
  value === undefined || value === '' || value === 'N/A' ? null : value;

/** Who a user is; enough to read the rest live. */
export interface UserIdentity {
  readonly userName: string;
  readonly arn: string;
  readonly path: string;
}

/** Options for reading users live. */
export interface LiveReadOptions {
  /** Users read at a time. @default DEFAULT_USER_CONCURRENCY */
  readonly concurrency?: number;
  /** Stops between users once aborted (the scan's hard stop). */
  readonly signal?: AbortSignal;
  /**
   * Told how many users were just read (or found deleted meanwhile), as they are read: progress inside a
   * large account, where one account can take minutes.
   */
  readonly onUsersRead?: (count: number) => void;
}

/**
 * Runs one IAM call, turning NoSuchEntity into `Gone` (the entity was deleted since it was listed) and
 * every other failure into `IamInventoryError`.
 */
const call = async <T>(
  accountId: string,
  operation: string,
  subject: string,
  run: () => Promise<T>,
): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AwsAdapterError) throw error;
    if (hasAwsErrorCode(error, 'NoSuchEntityException', 'NoSuchEntity')) throw new Gone(subject);
    throw new IamInventoryError(
      accountId,
      operation,
      awsErrorCode(error),
      `IAM ${operation} for ${subject} in account ${accountId} failed: ${awsErrorMessage(error)}`,
      { cause: error },
    );
  }
};

const unexpected = (accountId: string, operation: string, problem: string): IamInventoryError =>
  new IamInventoryError(
    accountId,
    operation,
    'UnexpectedResponse',
    `IAM ${operation} in account ${accountId}: ${problem}`,
  );

const readKey = async (
  iam: IAMClient,
  accountId: string,
  userName: string,
  metadata: AccessKeyMetadata,
): Promise<AccessKey | null> => {
  const { AccessKeyId: accessKeyId, CreateDate: createdAt } = metadata;
  if (!accessKeyId || !createdAt) {
    throw unexpected(accountId, 'ListAccessKeys', `a key of user ${userName} has no id or creation date`);
  }
  try {
    const { AccessKeyLastUsed: lastUsed } = await call(
      accountId,
      'GetAccessKeyLastUsed',
      `key ${accessKeyId}`,
      () => iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })),
    );
    return {
      accessKeyId,
      slot: null,
      status: keyStatusOf(metadata.Status),
      createdAt,
      lastUsedAt: lastUsed?.LastUsedDate ?? null,
      lastUsedService: knownOrNull(lastUsed?.ServiceName),
      lastUsedRegion: knownOrNull(lastUsed?.Region),
    };
  } catch (error) {
    if (error instanceof Gone) return null;
    throw error;
  }
};

/**
 * Reads one user's keys (ListAccessKeys), each key's last use (GetAccessKeyLastUsed) and, when the user
 * has keys, its tags (ListUserTags): at most 4 calls, since a user holds at most 2 keys. Tags are skipped
 * for users without keys because findings (and so owners and exemptions) are only about keys.
 * Returns null when the user was deleted since it was listed; a key deleted meanwhile is left out.
 * Throws `IamInventoryError`.
 */
export const readLiveUser = async (
  iam: IAMClient,
  accountId: string,
  identity: UserIdentity,
): Promise<IamUser | null> => {
  const { userName } = identity;
  const subject = `user ${userName}`;
  try {
    const metadata = await call(accountId, 'ListAccessKeys', subject, async () => {
      const keys: AccessKeyMetadata[] = [];
      for await (const page of paginateListAccessKeys(
        { client: iam, stopOnSameToken: true },
        { UserName: userName },
      )) {
        keys.push(...(page.AccessKeyMetadata ?? []));
      }
      return keys;
    });
    const keys = await Promise.all(metadata.map((m) => readKey(iam, accountId, userName, m)));
    const accessKeys = keys.filter((key): key is AccessKey => key !== null);
    const tags: Record<string, string> = {};
    if (accessKeys.length > 0) {
      await call(accountId, 'ListUserTags', subject, async () => {
        for await (const page of paginateListUserTags(
          { client: iam, stopOnSameToken: true },
          { UserName: userName },
        )) {
          for (const tag of page.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
        }
      });
    }
    return { ...identity, tags, accessKeys };
  } catch (error) {
    if (error instanceof Gone) return null;
    throw error;
  }
};

/**
 * Reads `users` live, `concurrency` at a time, dropping those deleted meanwhile; keeps the input order.
 */
export const readLiveUsers = async (
  iam: IAMClient,
  accountId: string,
  users: readonly UserIdentity[],
  options: LiveReadOptions = {},
): Promise<IamUser[]> => {
  const read = await boundedMap(users, options.concurrency ?? DEFAULT_USER_CONCURRENCY, async (user) => {
    options.signal?.throwIfAborted();
    const live = await readLiveUser(iam, accountId, user);
    options.onUsersRead?.(1);
    return live;
  });
  return read.filter((user): user is IamUser => user !== null);
};

/**
 * Whether the root user has access keys (GetAccountSummary's AccountAccessKeysPresent). The API gives
 * no key details, so presence counts as an active key. Throws `IamInventoryError`.
 */
export const readRootFromSummary = async (iam: IAMClient, accountId: string): Promise<RootUser> => {
  const { SummaryMap: summary } = await call(accountId, 'GetAccountSummary', 'the account', () =>
    iam.send(new GetAccountSummaryCommand({})),
  ).catch((error: unknown) => {
    if (error instanceof Gone) throw unexpected(accountId, 'GetAccountSummary', 'NoSuchEntity');
    throw error;
  });
  return { accessKeys: [], hasActiveAccessKey: (summary?.AccountAccessKeysPresent ?? 0) > 0 };
};

/** Lists every user of the account, following every Marker (IsTruncated may come with short pages). */
export const listUsers = (iam: IAMClient, accountId: string): Promise<UserIdentity[]> =>
  call(accountId, 'ListUsers', 'the account', async () => {
    const users: UserIdentity[] = [];
    for await (const page of paginateListUsers({ client: iam, stopOnSameToken: true }, {})) {
      for (const user of page.Users ?? []) {
        if (!user.UserName || !user.Arn)
          throw unexpected(accountId, 'ListUsers', 'a user has no name or ARN');
        users.push({ userName: user.UserName, arn: user.Arn, path: user.Path ?? '/' });
      }
    }
    return users;
  }).catch((error: unknown) => {
    if (error instanceof Gone) throw unexpected(accountId, 'ListUsers', 'NoSuchEntity');
    throw error;
  });

/**
 * The `--source api` inventory of one account: ListUsers pages + GetAccountSummary + at most 4 calls per
 * user. Throws `IamInventoryError`; rejects with the signal's reason once aborted.
 */
export const readApiInventory = async (
  iam: IAMClient,
  accountId: string,
  options: LiveReadOptions = {},
): Promise<ScannedAccount> => {
  const identities = await listUsers(iam, accountId);
  const root = await readRootFromSummary(iam, accountId);
  const users = await readLiveUsers(iam, accountId, identities, options);
  return { accountId, status: 'scanned', source: 'api', users, root };
};
