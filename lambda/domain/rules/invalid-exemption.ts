import { CATALOGUE } from '../catalogue.ts';
import { exemptionsForUser } from '../exemptions.ts';
import { findingId } from '../finding-id.ts';
import type { AccountScan } from '../inventory.ts';
import { NO_KEY_FIELDS, type Rule, type RuleContext, type RuleHit } from './rule.ts';

const metadata = CATALOGUE['invalid-exemption'];

/**
 * Users with a malformed exemption (tag or configuration), or one running more than `maxExemptionDays`
 * past the scan: one hit per user listing every problem.
 */
export const checkInvalidExemption = (account: AccountScan, { asOf, policy }: RuleContext): RuleHit[] =>
  account.status !== 'scanned'
    ? []
    : account.users.flatMap((user): RuleHit[] => {
        const { problems } = exemptionsForUser(account.accountId, user, policy, asOf);
        if (problems.length === 0) return [];
        return [
          {
            id: findingId(metadata.id, account.accountId, user.userName),
            ...NO_KEY_FIELDS,
            accountId: account.accountId,
            userName: user.userName,
            userArn: user.arn,
            since: null,
            message: `The exemption of ${user.userName} is not honoured: ${problems.join('; ')}.`,
          },
        ];
      });

/** `invalid-exemption`: not exemptible, or a bad exemption could excuse itself. */
export const invalidExemption: Rule = { metadata, exemptible: false, check: checkInvalidExemption };
