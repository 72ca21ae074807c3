/**
 * Credentials to read each account with: the member role's session, or, for the caller's own account when
 * the role is not deployed there (StackSets never deploy to the management account), the caller's own.
 */
import type { CredentialsProvider } from '../aws/client-factory.ts';
import { AssumeRoleError, type RoleSessions } from '../aws/sts-sessions.ts';
import { memoByKey } from './memo-by-key.ts';

/**
 * AssumeRole error codes that, for the caller's own account only, mean "the member role is not deployed
 * here" rather than "access is broken".
 */
export const OWN_ACCOUNT_FALLBACK_CODES: readonly string[] = [
  'AccessDenied',
  'AccessDeniedException',
  'NoSuchEntity',
  'NoSuchEntityException',
];

/** Credentials of an account: a provider for the role session, or undefined for the caller's own. */
export type AccountCredentials = (accountId: string) => Promise<CredentialsProvider | undefined>;

/** What `accountCredentials` needs. */
export interface AccountCredentialsOptions {
  /** Role sessions, or null to read every account with the caller's own credentials. */
  readonly sessions: Pick<RoleSessions, 'credentials' | 'provider'> | null;
  readonly callerAccountId: string;
  /** Fall back to the caller's own credentials in its own account (see OWN_ACCOUNT_FALLBACK_CODES). */
  readonly ownAccountFallback: boolean;
  /** Told of each account read with the caller's own credentials after AssumeRole into it failed. */
  readonly onFallback?: (accountId: string) => void;
}

/**
 * Credentials per account, assuming the role once per account (later callers share the result or the
 * `AssumeRoleError`).
 */
export const accountCredentials = (options: AccountCredentialsOptions): AccountCredentials => {
  const { sessions } = options;
  return memoByKey(async (accountId) => {
    if (sessions === null) return undefined;
    try {
      await sessions.credentials(accountId);
      return sessions.provider(accountId);
    } catch (error) {
      if (
        error instanceof AssumeRoleError &&
        options.ownAccountFallback &&
        accountId === options.callerAccountId &&
        OWN_ACCOUNT_FALLBACK_CODES.includes(error.code)
      ) {
        options.onFallback?.(accountId);
        return undefined;
      }
      throw error;
    }
  });
};
