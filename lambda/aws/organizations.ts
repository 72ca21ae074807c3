/**
 * Which accounts an organisation scan covers: every ACTIVE account, or those under given OUs (and their
 * child OUs), minus exclusions. Needs the management account or a delegated administrator.
 */
import {
  type Account,
  type OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import { InputError } from '../domain/errors.ts';
import { AwsAdapterError, awsErrorCode, awsErrorMessage, hasAwsErrorCode } from './aws-error.ts';

/** An Organizations call failed (e.g. `AccessDeniedException` outside the management account). */
export class OrganizationsError extends AwsAdapterError {
  override readonly name = 'OrganizationsError';
}

/** A member account to scan. */
export interface OrganisationAccount {
  readonly accountId: string;
  /** The account name, or the id when Organizations gave none. */
  readonly name: string;
}

/** Which part of the organisation to scan. */
export interface OrganisationScope {
  /** OU (`ou-...`) or root (`r-...`) ids: only accounts under them, at any depth. Empty or absent: all. */
  readonly ous?: readonly string[];
  /** Account ids left out. */
  readonly exclude?: readonly string[];
}

/**
 * True for accounts that can be scanned. `State` (newer, with CLOSED and PENDING_ACTIVATION) wins over
 * `Status`, which AWS retires in September 2026.
 */
export const isActiveAccount = (account: Account): boolean => (account.State ?? account.Status) === 'ACTIVE';

const wrap = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new OrganizationsError(awsErrorCode(error), `${operation} failed: ${awsErrorMessage(error)}`, {
      cause: error,
    });
  }
};

const allAccounts = (org: OrganizationsClient): Promise<Account[]> =>
  wrap('Organizations ListAccounts', async () => {
    const accounts: Account[] = [];
    // The paginator follows NextToken even past empty pages, which ListAccounts can return.
    for await (const page of paginateListAccounts({ client: org, stopOnSameToken: true }, {})) {
      accounts.push(...(page.Accounts ?? []));
    }
    return accounts;
  });

const accountsUnder = (org: OrganizationsClient, rootIds: readonly string[]): Promise<Account[]> =>
  wrap('Organizations ListAccountsForParent/ListOrganizationalUnitsForParent', async () => {
    const accounts: Account[] = [];
    const seen = new Set<string>();
    const queue = [...rootIds];
    for (let parentId = queue.shift(); parentId !== undefined; parentId = queue.shift()) {
      if (seen.has(parentId)) continue;
      seen.add(parentId);
      try {
        for await (const page of paginateListAccountsForParent(
          { client: org, stopOnSameToken: true },
          { ParentId: parentId },
        )) {
          accounts.push(...(page.Accounts ?? []));
        }
        for await (const page of paginateListOrganizationalUnitsForParent(
          { client: org, stopOnSameToken: true },
          { ParentId: parentId },
        )) {
          for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) queue.push(ou.Id);
        }
      } catch (error) {
        if (rootIds.includes(parentId) && hasAwsErrorCode(error, 'ParentNotFoundException')) {
          throw new InputError(`organisational unit "${parentId}" not found in the organisation`, {
            cause: error,
          });
        }
        throw error;
      }
    }
    return accounts;
  });

/** The accounts an organisation scan covers, and what of its scope the organisation did not hold. */
export interface OrganisationListing {
  /** The ACTIVE accounts in scope, sorted by id, without duplicates. */
  readonly accounts: OrganisationAccount[];
  /**
   * Ids of `exclude` that are no account of the listing (of the organisation, or under `ous` when given),
   * in the order given: a typo, or an account that left, which excludes nothing.
   */
  readonly unknownExclusions: string[];
}

/**
 * The accounts in `scope` (see `OrganisationListing`). Throws `InputError` for an OU that does not exist
 * and `OrganizationsError` when Organizations cannot be read.
 */
export const readOrganisationScope = async (
  org: OrganizationsClient,
  scope: OrganisationScope = {},
): Promise<OrganisationListing> => {
  const ous = scope.ous ?? [];
  const excluded = new Set(scope.exclude ?? []);
  const accounts = ous.length === 0 ? await allAccounts(org) : await accountsUnder(org, ous);
  const listed = new Set<string>();
  const byId = new Map<string, OrganisationAccount>();
  for (const account of accounts) {
    if (!account.Id) continue;
    // Any state counts as listed: excluding a suspended account is pointless but not a mistake.
    listed.add(account.Id);
    if (!isActiveAccount(account) || excluded.has(account.Id)) continue;
    byId.set(account.Id, { accountId: account.Id, name: account.Name || account.Id });
  }
  return {
    accounts: [...byId.values()].sort((a, b) => a.accountId.localeCompare(b.accountId)),
    unknownExclusions: [...excluded].filter((accountId) => !listed.has(accountId)),
  };
};

/**
 * The ACTIVE accounts in scope, sorted by id, without duplicates. Throws `InputError` for an OU that does
 * not exist and `OrganizationsError` when Organizations cannot be read.
 */
export const listOrganisationAccounts = async (
  org: OrganizationsClient,
  scope: OrganisationScope = {},
): Promise<OrganisationAccount[]> => (await readOrganisationScope(org, scope)).accounts;
