/**
 * What Organizations says about member accounts for production classification: each account's chain of
 * parents up to the root (ListParents) and its tags (ListTagsForResource with the account id). Read only
 * when the production settings use OUs or tags; needs the management account or a delegated administrator,
 * like the organisation scan.
 */
import {
  ListParentsCommand,
  type OrganizationsClient,
  paginateListTagsForResource,
} from '@aws-sdk/client-organizations';
import type { AccountFacts } from '../domain/production.ts';
import { awsErrorCode, awsErrorMessage, hasAwsErrorCode } from './aws-error.ts';
import { boundedMap } from './bounded-map.ts';
import { OrganizationsError } from './organizations.ts';

/** Organizations calls in flight at once: its API allows a few requests per second per account. */
export const DEFAULT_FACTS_CONCURRENCY = 4;

/** Organizations nests OUs at most 5 deep under the root; a longer chain is an answer key-audit cannot use. */
const MAX_DEPTH = 10;

/** Errors saying the account (or OU) is not in this organisation: its facts are unknown, not a failure. */
const NOT_IN_ORGANISATION = [
  'AccountNotFoundException',
  'ChildNotFoundException',
  'TargetNotFoundException',
] as const;

class NotInOrganisation extends Error {}

const call = async <T>(operation: string, subject: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (hasAwsErrorCode(error, ...NOT_IN_ORGANISATION)) throw new NotInOrganisation(subject);
    throw new OrganizationsError(
      awsErrorCode(error),
      `Organizations ${operation} for ${subject} failed: ${awsErrorMessage(error)}`,
      { cause: error },
    );
  }
};

/** The tags of one account. Throws `NotInOrganisation` or `OrganizationsError`. */
const readTags = (org: OrganizationsClient, accountId: string): Promise<Record<string, string>> =>
  call('ListTagsForResource', `account ${accountId}`, async () => {
    const tags: Record<string, string> = {};
    for await (const page of paginateListTagsForResource(
      { client: org, stopOnSameToken: true },
      { ResourceId: accountId },
    )) {
      for (const tag of page.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
    }
    return tags;
  });

/** Parents by child id, shared by every account of one read: accounts of one OU share its chain. */
type ParentCache = Map<string, Promise<{ readonly id: string; readonly root: boolean }>>;

const parentOf = (org: OrganizationsClient, childId: string, cache: ParentCache) => {
  let parent = cache.get(childId);
  if (parent === undefined) {
    parent = call('ListParents', childId, async () => {
      const { Parents: parents } = await org.send(new ListParentsCommand({ ChildId: childId }));
      const first = parents?.[0];
      if (!first?.Id) {
        throw new OrganizationsError(
          'UnexpectedResponse',
          `Organizations ListParents for ${childId}: no parent`,
        );
      }
      return { id: first.Id, root: first.Type === 'ROOT' };
    });
    cache.set(childId, parent);
  }
  return parent;
};

/** OU ids above `accountId`, nearest first, then the root id. */
const readAncestors = async (
  org: OrganizationsClient,
  accountId: string,
  cache: ParentCache,
): Promise<string[]> => {
  const ancestors: string[] = [];
  let childId = accountId;
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    const parent = await parentOf(org, childId, cache);
    ancestors.push(parent.id);
    if (parent.root) return ancestors;
    childId = parent.id;
  }
  throw new OrganizationsError(
    'UnexpectedResponse',
    `Organizations ListParents: no root within ${MAX_DEPTH} levels above account ${accountId}`,
  );
};

/** Which facts to read. */
export interface FactsNeeded {
  readonly ancestors: boolean;
  readonly tags: boolean;
}

/** Options of `readAccountFacts`. */
export interface AccountFactsOptions {
  /** @default DEFAULT_FACTS_CONCURRENCY */
  readonly concurrency?: number;
}

/**
 * The facts `needed` for each of `accountIds` (no call at all when nothing is needed). An account that is
 * not in the organisation gets no facts (the classification then treats it as unknown). Throws
 * `OrganizationsError` when Organizations cannot be read (e.g. `AccessDeniedException` outside the
 * management account).
 */
export const readAccountFacts = async (
  org: OrganizationsClient,
  accountIds: readonly string[],
  needed: FactsNeeded,
  options: AccountFactsOptions = {},
): Promise<Map<string, AccountFacts>> => {
  const facts = new Map<string, AccountFacts>();
  if (!needed.ancestors && !needed.tags) return facts;
  const cache: ParentCache = new Map();
  const unique = [...new Set(accountIds)];
  const read = await boundedMap(
    unique,
    options.concurrency ?? DEFAULT_FACTS_CONCURRENCY,
    async (accountId): Promise<AccountFacts> => {
      try {
        const ancestors = needed.ancestors ? await readAncestors(org, accountId, cache) : undefined;
        const tags = needed.tags ? await readTags(org, accountId) : undefined;
        return {
          ...(ancestors === undefined ? {} : { ancestors }),
          ...(tags === undefined ? {} : { tags }),
        };
      } catch (error) {
        if (error instanceof NotInOrganisation) return {};
        throw error;
      }
    },
  );
  unique.forEach((accountId, index) => {
    facts.set(accountId, read[index] ?? {});
  });
  return facts;
};
