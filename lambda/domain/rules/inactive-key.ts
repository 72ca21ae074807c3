import { CATALOGUE } from '../catalogue.ts';
import { findingId, keySubject } from '../finding-id.ts';
import type { AccountScan } from '../inventory.ts';
import { keyLabel } from '../wording.ts';
import { keyFields, keysOf, type Rule, type RuleContext, type RuleHit } from './rule.ts';

const metadata = CATALOGUE['inactive-key'];

/**
 * IAM user keys that are not active but still present: `inactive`, and `unknown` statuses too, which
 * cannot sign (as far as key-audit knows) yet fill a slot and must not vanish from the report.
 */
export const checkInactiveKey = (account: AccountScan, { asOf }: RuleContext): RuleHit[] =>
  keysOf(account).flatMap((held): RuleHit[] => {
    const { user, key, position } = held;
    if (key.status === 'active') return [];
    const what =
      key.status === 'inactive'
        ? 'is inactive but still present'
        : 'has a status key-audit does not know (not Active)';
    return [
      {
        ...keyFields(account, held, asOf),
        id: findingId(metadata.id, account.accountId, keySubject(user.userName, key, position)),
        // When the key was deactivated is not recorded anywhere key-audit reads.
        since: null,
        overdueDays: null,
        message:
          `Key ${keyLabel(key.accessKeyId, key.slot ?? position)} of ${user.userName} ${what}: ` +
          'it fills one of the two key slots and can be re-enabled; delete it once nothing needs it.',
      },
    ];
  });

/** `inactive-key`: a key that is off but not gone. */
export const inactiveKey: Rule = { metadata, exemptible: true, check: checkInactiveKey };
