/**
 * `runEnforcement` wired to AWS, as the CLI and the Lambda both run it: production as the audit classified
 * it, keys read through the read-only member role
 * and changed through the remediation role (the caller's own credentials where the scan used them), and
 * notices published to the alert topic.
 */

import type { AwsClients } from '../aws/client-factory.ts';
import type { SnsClientFactory } from '../aws/sns-publisher.ts';
import { RoleSessions } from '../aws/sts-sessions.ts';
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
  /**
   * Which accounts are production: the run's one classification (`LiveAudit.isProduction`), so notices and
   * findings agree and Organizations is read once.
   */
  readonly isProduction: (accountId: string) => boolean;
  /** Accounts the scan read with the caller's own credentials: changed with them too. */
  readonly ownCredentialAccounts: readonly string[];
}

/** Runs enforcement (see `runEnforcement`) with AWS behind its functions. */
export const runEnforcementWithAws = async (
  input: Omit<EnforcementRunInput, 'production' | 'publishNotice' | 'keyClients'>,
  aws: EnforcementAws,
): Promise<EnforcementRunResult> => {
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
    production: aws.isProduction,
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
