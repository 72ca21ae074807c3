import { CATALOGUE } from '../catalogue.ts';
import { findingId, keySubject } from '../finding-id.ts';
import type { AccountScan } from '../inventory.ts';
import { isActive } from '../inventory.ts';
import { addDays, ageInDays } from '../policy.ts';
import { keyLabel, plural, usedPhrase } from '../wording.ts';
import { keyFields, keysOf, type Rule, type RuleContext, type RuleHit } from './rule.ts';

const metadata = CATALOGUE['key-unused'];

/** Active IAM user keys never used for more than `unusedDays` since creation, or last used longer ago. */
export const checkKeyUnused = (account: AccountScan, { asOf, policy }: RuleContext): RuleHit[] =>
  keysOf(account).flatMap((held): RuleHit[] => {
    const { user, key, position } = held;
    if (!isActive(key)) return [];
    const idleFrom = key.lastUsedAt ?? key.createdAt;
    const since = addDays(idleFrom, policy.unusedDays);
    if (asOf.getTime() <= since.getTime()) return [];
    const idle = plural(ageInDays(idleFrom, asOf), 'day');
    const what =
      key.lastUsedAt === null
        ? `has never been used in the ${idle} since it was created`
        : `has not been used for ${idle}, ${usedPhrase(key)}`;
    return [
      {
        ...keyFields(account, held, asOf),
        id: findingId(metadata.id, account.accountId, keySubject(user.userName, key, position)),
        since,
        overdueDays: null,
        message:
          `Key ${keyLabel(key.accessKeyId, key.slot ?? position)} of ${user.userName} ${what} ` +
          `(limit ${plural(policy.unusedDays, 'day')}): deactivate it unless something still needs it.`,
      },
    ];
  });

/** `key-unused`: an active key nobody uses. */
export const keyUnused: Rule = { metadata, exemptible: true, check: checkKeyUnused };
