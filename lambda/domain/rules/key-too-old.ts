import { CATALOGUE } from '../catalogue.ts';
import { findingId, keySubject } from '../finding-id.ts';
import type { AccountScan } from '../inventory.ts';
import { isActive } from '../inventory.ts';
import { addDays, DAY_MS } from '../policy.ts';
import { day, days, keyLabel } from '../wording.ts';
import { keyFields, keysOf, type Rule, type RuleContext, type RuleHit } from './rule.ts';

const metadata = CATALOGUE['key-too-old'];

/** Active IAM user keys more than `maxKeyAgeDays` x 24 h old; critical beyond `criticalAgeMultiplier` x that. */
export const checkKeyTooOld = (account: AccountScan, { asOf, policy }: RuleContext): RuleHit[] =>
  keysOf(account).flatMap((held): RuleHit[] => {
    const { user, key, position } = held;
    if (!isActive(key)) return [];
    const deadline = addDays(key.createdAt, policy.maxKeyAgeDays);
    if (asOf.getTime() <= deadline.getTime()) return [];
    const critical = addDays(key.createdAt, policy.maxKeyAgeDays * policy.criticalAgeMultiplier);
    const fields = keyFields(account, held, asOf);
    const overdueDays = Math.floor((asOf.getTime() - deadline.getTime()) / DAY_MS);
    const overdue = overdueDays === 0 ? 'less than a day' : days(overdueDays);
    return [
      {
        ...fields,
        id: findingId(metadata.id, account.accountId, keySubject(user.userName, key, position)),
        since: deadline,
        // Beyond criticalAgeMultiplier x the limit the catalogue's `high` escalates, from that instant on.
        ...(asOf.getTime() > critical.getTime() ? { severity: 'critical', severitySince: critical } : {}),
        overdueDays,
        message:
          `Key ${keyLabel(key, position)} of ${user.userName} is ${days(fields.ageDays)} old: ` +
          `overdue by ${overdue} since ${day(deadline)} (limit ${policy.maxKeyAgeDays}).`,
      },
    ];
  });

/** `key-too-old`: the rotation deadline has passed. */
export const keyTooOld: Rule = { metadata, exemptible: true, check: checkKeyTooOld };
