/**
 * Small builders for domain tests: an inventory in a few lines, with ages relative to a fixed `AS_OF`.
 * Defaults describe a healthy user: one active key, 10 days old, used yesterday.
 */

import type { Notice } from '../../lambda/domain/enforcement/plan.ts';
import type {
  AccessKey,
  AccountScan,
  FailedAccount,
  IamUser,
  Inventory,
  RootUser,
  ScannedAccount,
} from '../../lambda/domain/inventory.ts';
import { addDays, DAY_MS, DEFAULT_POLICY, type Policy } from '../../lambda/domain/policy.ts';
import type { RuleContext } from '../../lambda/domain/rules/rule.ts';

/** The instant every test evaluates at. */
export const AS_OF = new Date('2026-06-15T12:00:00.000Z');

/** The account tests use unless they say otherwise. */
export const ACCOUNT_ID = '111122223333';

const HOUR_MS = 3_600_000;

/** The instant `days` days and `hours` hours before `AS_OF` (or before `from`). */
export const ago = (days: number, hours = 0, from: Date = AS_OF): Date =>
  new Date(from.getTime() - days * DAY_MS - hours * HOUR_MS);

/** An access key; active, 10 days old and used yesterday in s3/eu-west-1 unless overridden. */
export const accessKey = (overrides: Partial<AccessKey> = {}): AccessKey => ({
  accessKeyId: 'AKIAOLDEXAMPLE000001',
  slot: null,
  status: 'active',
  createdAt: ago(10),
  lastUsedAt: ago(1),
  lastUsedService: 's3',
  lastUsedRegion: 'eu-west-1',
  ...overrides,
});

/** An IAM user of `ACCOUNT_ID` holding `accessKeys`, with `tags`. */
export const iamUser = (
  userName: string,
  accessKeys: readonly AccessKey[] = [],
  tags: Readonly<Record<string, string>> = {},
): IamUser => ({
  userName,
  arn: `arn:aws:iam::${ACCOUNT_ID}:user/${userName}`,
  path: '/',
  tags,
  accessKeys,
});

/** A root user with the given keys; `hasActiveAccessKey` follows them unless overridden. */
export const rootUser = (accessKeys: readonly AccessKey[] = [], hasActiveAccessKey?: boolean): RootUser => ({
  accessKeys,
  hasActiveAccessKey: hasActiveAccessKey ?? accessKeys.some((key) => key.status === 'active'),
});

/** A scanned account (API source, no root data) holding `users`. */
export const scannedAccount = (
  users: readonly IamUser[],
  overrides: Partial<Omit<ScannedAccount, 'status'>> = {},
): ScannedAccount => ({
  accountId: ACCOUNT_ID,
  status: 'scanned',
  source: 'api',
  users,
  root: null,
  ...overrides,
});

/** An account that could not be scanned. */
export const failedAccount = (
  accountId = ACCOUNT_ID,
  errorCode = 'AccessDenied',
  errorMessage = 'not authorized to perform: sts:AssumeRole',
): FailedAccount => ({ accountId, status: 'failed', errorCode, errorMessage });

/** An inventory of the given accounts. */
export const inventoryOf = (...accounts: AccountScan[]): Inventory => ({ accounts });

/** The default policy with some fields changed. */
export const policyWith = (overrides: Partial<Policy> = {}): Policy => ({ ...DEFAULT_POLICY, ...overrides });

/** A rule context at `AS_OF` with the default policy (or some fields changed). */
export const contextWith = (overrides: Partial<Policy> = {}, asOf: Date = AS_OF): RuleContext => ({
  asOf,
  policy: policyWith(overrides),
});

/** A scanned account of one user holding the given keys, for rule tests. */
export const accountWithKeys = (
  keys: readonly AccessKey[],
  userName = 'alice',
  tags: Readonly<Record<string, string>> = {},
): ScannedAccount => scannedAccount([iamUser(userName, keys, tags)]);

/** An enforcement notice, sent at `AS_OF`, to deactivate alice's key of `ACCOUNT_ID` 7 days later. */
export const enforcementNotice = (overrides: Partial<Notice> = {}): Notice => ({
  accountId: ACCOUNT_ID,
  userName: 'alice',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  action: 'deactivate',
  noticedAt: AS_OF,
  dueAt: addDays(AS_OF, 7),
  lastUsedAtNoticed: ago(85),
  production: false,
  userArn: `arn:aws:iam::${ACCOUNT_ID}:user/alice`,
  owner: 'alice@example.com',
  reason: 'last used 2026-03-22 (deactivated after 90 days unused)',
  mode: 'apply',
  ...overrides,
});
