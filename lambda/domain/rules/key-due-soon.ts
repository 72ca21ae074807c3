import { CATALOGUE } from '../catalogue.ts';
import { findingId, keySubject } from '../finding-id.ts';
import type { AccountScan } from '../inventory.ts';
import { isActive } from '../inventory.ts';
import { addDays } from '../policy.ts';
import { deadlineRelativeTo, formatAge, formatDate, formatDeadline, keyLabel, plural } from '../wording.ts';
import { keyFields, keysOf, type Rule, type RuleContext, type RuleHit } from './rule.ts';

const metadata = CATALOGUE['key-due-soon'];

/** Active IAM user keys not yet too old whose deadline (`maxKeyAgeDays`) is at most `warnDays` away. */
export const checkKeyDueSoon = (account: AccountScan, { asOf, policy }: RuleContext): RuleHit[] =>
  keysOf(account).flatMap((held): RuleHit[] => {
    const { user, key, position } = held;
    if (!isActive(key)) return [];
    const deadline = addDays(key.createdAt, policy.maxKeyAgeDays);
    const since = addDays(deadline, -policy.warnDays);
    // Past the deadline the key is key-too-old instead; exactly at it, it is due "today".
    if (asOf.getTime() < since.getTime() || asOf.getTime() > deadline.getTime()) return [];
    const fields = keyFields(account, held, asOf);
    return [
      {
        ...fields,
        id: findingId(metadata.id, account.accountId, keySubject(user.userName, key, position)),
        since,
        overdueDays: null,
        message:
          `Rotate key ${keyLabel(key.accessKeyId, key.slot ?? position)} of ${user.userName} by ` +
          `${formatDate(deadline)} (${formatDeadline(deadlineRelativeTo(deadline, asOf))}): ` +
          `it is ${formatAge(fields.ageDays)} old (limit ${plural(policy.maxKeyAgeDays, 'day')}).`,
      },
    ];
  });

/** `key-due-soon`: the rotation deadline is near. */
export const keyDueSoon: Rule = { metadata, exemptible: true, check: checkKeyDueSoon };
