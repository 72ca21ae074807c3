/**
 * `runEnforcement` wired to AWS, as the CLI and the Lambda both run it: production accounts classified from
 * Organizations (OUs, account tags) when the settings need it, keys read through the read-only member role
 * and changed through the remediation role (the caller's own credentials where the scan used them), and
 * notices published to the alert topic.
 */

import { readAccountFacts } from '../aws/account-facts.ts';
import type { AwsClients } from '../aws/client-factory.ts';
import { OrganizationsError } from '../aws/organizations.ts';
import type { SnsClientFactory } from '../aws/sns-publisher.ts';
import { RoleSessions } from '../aws/sts-sessions.ts';
import {
  type AccountFacts,
  type ProductionSettings,
  productionClassifier,
  productionFactsNeeded,
} from '../domain/production.ts';
import { oneLine } from '../domain/wording.ts';
import { type EnforcementRunInput, type EnforcementRunResult, runEnforcement } from './enforce-run.ts';
import { noticePublisher } from './notice-message.ts';

/** Where and how enforcement reaches AWS. */
export interface EnforcementAws {
  readonly clients: AwsClients;
  readonly sns: SnsClientFactory;
  /** The alert topic notices go to; required to publish (`apply` mode). */
  readonly topicArn: string | undefined;
  /** Partition of the member role ARNs. */
  readonly partition: string;
  /** The read-only member role (the last-moment check reads through it). */
  readonly roleName: string;
  /** The remediation role (the change goes through it). */
  readonly remediationRoleName: string;
  readonly externalId?: string;
  readonly production: ProductionSettings;
  /** Accounts the scan read with the caller's own credentials: changed with them too. */
  readonly ownCredentialAccounts: readonly string[];
  /** Told when something is degraded but the run goes on (production facts unreadable). */
  readonly warn: (message: string) => void;
}

/**
 * The production facts of the scanned accounts. When Organizations cannot be read, every account not
 * listed by id counts as production (unknown facts classify so): the longer notice is the safe side.
 */
const readFacts = async (
  aws: EnforcementAws,
  accountIds: readonly string[],
): Promise<Map<string, AccountFacts>> => {
  try {
    return await readAccountFacts(
      aws.clients.organizations(),
      accountIds,
      productionFactsNeeded(aws.production),
    );
  } catch (error) {
    if (!(error instanceof OrganizationsError)) throw error;
    aws.warn(
      `production accounts by OU or tag unknown (${oneLine(error.message)}): every account not listed by id gets the production notice`,
    );
    return new Map();
  }
};

/** Runs enforcement (see `runEnforcement`) with AWS behind its functions. */
export const runEnforcementWithAws = async (
  input: Omit<EnforcementRunInput, 'production' | 'publishNotice' | 'keyClients'>,
  aws: EnforcementAws,
): Promise<EnforcementRunResult> => {
  const scanned = input.inventory.accounts.filter((a) => a.status === 'scanned').map((a) => a.accountId);
  const facts = input.settings.enforcement.mode === 'off' ? new Map() : await readFacts(aws, scanned);
  const sessions = (roleName: string) =>
    new RoleSessions(aws.clients.sts(), {
      partition: aws.partition,
      roleName,
      ...(aws.externalId === undefined ? {} : { externalId: aws.externalId }),
    });
  const readOnly = sessions(aws.roleName);
  const remediation = sessions(aws.remediationRoleName);
  const own = new Set(aws.ownCredentialAccounts);
  const { topicArn } = aws;
  return runEnforcement({
    ...input,
    production: productionClassifier(aws.production, facts),
    publishNotice:
      topicArn === undefined
        ? () => Promise.reject(new Error('no alert topic to publish notices to'))
        : noticePublisher({ topicArn, sns: aws.sns }),
    keyClients: (accountId) =>
      own.has(accountId)
        ? { read: aws.clients.iam(accountId), write: aws.clients.iam(accountId) }
        : {
            read: aws.clients.iam(accountId, readOnly.provider(accountId)),
            write: aws.clients.iam(accountId, remediation.provider(accountId)),
          },
  });
};
