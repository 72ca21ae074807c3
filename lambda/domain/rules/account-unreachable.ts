import { CATALOGUE } from '../catalogue.ts';
import { findingId } from '../finding-id.ts';
import type { AccountScan } from '../inventory.ts';
import { UNREACHABLE_CAUSE_LABEL, UNREACHABLE_REMEDIATION, unreachableCause } from '../unreachable-cause.ts';
import { NO_KEY_FIELDS, type Rule, type RuleHit } from './rule.ts';

const metadata = CATALOGUE['account-unreachable'];

/**
 * Accounts that could not be scanned, so that none is silently missing from the report; the next step is
 * the one for the cause (`unreachableCause`), not the catalogue's summary of every cause.
 */
export const checkAccountUnreachable = (account: AccountScan): RuleHit[] => {
  if (account.status !== 'failed') return [];
  const cause = unreachableCause(account.errorCode, account.step);
  const why = cause === 'other' ? '' : `${UNREACHABLE_CAUSE_LABEL[cause]}; `;
  return [
    {
      id: findingId(metadata.id, account.accountId),
      ...NO_KEY_FIELDS,
      accountId: account.accountId,
      userName: null,
      userArn: null,
      // When access was lost is unknown: this run only shows it is lost now.
      since: null,
      message:
        `Account ${account.accountId} could not be scanned (${why}${account.errorCode}: ` +
        `${account.errorMessage}): its keys are unknown until the scan succeeds.`,
      remediation: UNREACHABLE_REMEDIATION[cause],
    },
  ];
};

/** `account-unreachable`: not exemptible, an unscanned account hides everything else. */
export const accountUnreachable: Rule = { metadata, exemptible: false, check: checkAccountUnreachable };
