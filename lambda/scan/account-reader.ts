/**
 * Reading one account's inventory from the chosen source. The report source starts each account's
 * credential report once, ahead of the account's turn when the scan asks (so AWS generates reports in
 * parallel while earlier accounts are read) and otherwise at the start of the account's own read. A
 * report that does not complete in time is not the end of the account: the IAM API reads it instead, and
 * the account says so (`fallback`).
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws/client-factory.ts';
import {
  CredentialReportError,
  type ReportPollingOptions,
  readReportInventory,
  startCredentialReport,
} from '../aws/credential-report-source.ts';
import { readApiInventory } from '../aws/iam-inventory.ts';
import type { AccountScan, InventorySource } from '../domain/inventory.ts';
import type { Policy } from '../domain/policy.ts';
import { REPORT_TIMEOUT_ERROR_CODE } from '../domain/unreachable-cause.ts';
import type { AccountCredentials } from './account-credentials.ts';
import { memoByKey } from './memo-by-key.ts';

/** What reading an account needs. */
export interface AccountReaderOptions {
  readonly source: InventorySource;
  readonly clients: Pick<AwsClients, 'iam'>;
  readonly credentials: AccountCredentials;
  /** Users read at a time within the account. */
  readonly userConcurrency: number;
  /** Stops between users once aborted. */
  readonly signal?: AbortSignal | undefined;
  /** The instant findings will be evaluated at, and the policy (the report source flags users with them). */
  readonly asOf: Date;
  readonly policy: Policy;
  /** Milliseconds clock. */
  readonly now: () => number;
  readonly reportPolling?: Omit<ReportPollingOptions, 'signal'> | undefined;
  /** Told as users of an account are read (see `LiveReadOptions.onUsersRead`). */
  readonly onUsersRead?: ((accountId: string, count: number) => void) | undefined;
}

/** Reads accounts; `headStart` is set for the report source only. */
export interface AccountReader {
  /** The account's inventory. Rejects with the adapters' errors (AWS failures) or a bug. */
  readonly read: (accountId: string) => Promise<AccountScan>;
  /** Starts the account's credential report, at most once per account; never rejects. */
  readonly headStart?: (accountId: string) => Promise<void>;
}

/** A reader for `options.source` (see the module comment). */
export const accountReader = (options: AccountReaderOptions): AccountReader => {
  const iamOf = async (accountId: string): Promise<IAMClient> =>
    options.clients.iam(accountId, await options.credentials(accountId));
  const live = (accountId: string) => ({
    concurrency: options.userConcurrency,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onUsersRead: (count: number) => options.onUsersRead?.(accountId, count),
  });
  if (options.source === 'api') {
    return {
      read: async (accountId) => readApiInventory(await iamOf(accountId), accountId, live(accountId)),
    };
  }
  const headStart = memoByKey(async (accountId: string): Promise<void> => {
    try {
      await startCredentialReport(await iamOf(accountId));
    } catch {
      // The account's own read repeats these steps and reports what failed (or lets a bug surface).
    }
  });
  return {
    headStart,
    read: async (accountId) => {
      await headStart(accountId);
      const iam = await iamOf(accountId);
      try {
        return await readReportInventory(iam, accountId, {
          now: options.now,
          ...options.reportPolling,
          ...live(accountId),
          asOf: options.asOf,
          policy: options.policy,
        });
      } catch (error) {
        if (!(error instanceof CredentialReportError && error.code === REPORT_TIMEOUT_ERROR_CODE))
          throw error;
        // Users are only counted once the report is parsed, so none of this account was counted yet.
        const account = await readApiInventory(iam, accountId, live(accountId));
        return {
          ...account,
          fallback: { from: 'credential-report', reason: `${error.code}: ${error.message}` },
        };
      }
    },
  };
};
