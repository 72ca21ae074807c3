/**
 * The sessions a Security Hub import goes through, the scan's own again: each account's member role, and
 * the caller's own credentials where the scan used them (its own account when the role is not deployed
 * there, or every account of an own-account scan). Security Hub takes an account's findings only from that
 * account, so the import must act as each account. Shared by the CLI and the Lambda.
 */
import type { STSClient } from '@aws-sdk/client-sts';
import type { CredentialsProvider } from '../aws/client-factory.ts';
import { RoleSessions } from '../aws/sts-sessions.ts';

/** The credentials to import with in an account: a role session, or undefined for the caller's own. */
export type ImportCredentials = (accountId: string) => Promise<CredentialsProvider | undefined>;

/** How the scan reached its accounts. */
export interface ScanSessionOptions {
  /** The caller's STS client (AssumeRole). */
  readonly sts: () => STSClient;
  /** Partition of the role ARNs. */
  readonly partition: string;
  readonly roleName: string;
  readonly externalId?: string;
  /** True for an own-account scan: no role anywhere. */
  readonly ownAccountOnly: boolean;
  /** Accounts the scan read with the caller's own credentials (`ScanResult.ownCredentialAccounts`). */
  readonly ownCredentialAccounts: readonly string[];
}

/**
 * Credentials per account as the scan had them. Roles are assumed on first use, once per account; an
 * account whose role cannot be assumed rejects with an `AssumeRoleError` (the import reports it per account).
 */
export const scanSessions = (options: ScanSessionOptions): ImportCredentials => {
  if (options.ownAccountOnly) return async () => undefined;
  let sessions: RoleSessions | undefined;
  return async (accountId) => {
    if (options.ownCredentialAccounts.includes(accountId)) return undefined;
    sessions ??= new RoleSessions(options.sts(), {
      partition: options.partition,
      roleName: options.roleName,
      ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
    });
    await sessions.credentials(accountId);
    return sessions.provider(accountId);
  };
};
