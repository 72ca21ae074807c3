import { CATALOGUE } from '../catalogue.ts';
import { findingId, keySubject } from '../finding-id.ts';
import type { AccountScan } from '../inventory.ts';
import { isActive } from '../inventory.ts';
import { addDays } from '../policy.ts';
import { deadlineRelativeTo, formatAge, formatDate, formatDeadline, keyLabel, plural } from '../wording.ts';
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
    const overdue = deadlineRelativeTo(deadline, asOf);
    return [
      {
        ...fields,
        id: findingId(metadata.id, account.accountId, keySubject(user.userName, key, position)),
        since: deadline,
        // Beyond criticalAgeMultiplier x the limit the catalogue's `high` escalates, from that instant on.
        ...(asOf.getTime() > critical.getTime() ? { severity: 'critical', severitySince: critical } : {}),
        overdueDays: overdue.days,
        message:
          `Key ${keyLabel(key.accessKeyId, key.slot ?? position)} of ${user.userName} is ` +
          `${formatAge(fields.ageDays)} old: ${formatDeadline(overdue)} since ${formatDate(deadline)} ` +
          `(limit ${plural(policy.maxKeyAgeDays, 'day')}).`,
      },
    ];
  });

/** `key-too-old`: the rotation deadline has passed. */
export const keyTooOld: Rule = { metadata, exemptible: true, check: checkKeyTooOld };
