/**
 * The scan: resolves which accounts to read, obtains credentials for each (one AssumeRole per account),
 * reads each account's inventory from the chosen source, and never lets one account's failure hide the
 * others: it becomes a FailedAccount (and so an `account-unreachable` finding).
 *
 * Accounts run in parallel, `concurrency` at a time (default 4). IAM and STS throttle per account, so
 * separate accounts do not share a token bucket and parallelism across accounts is safe; within an
 * account, users are read `userConcurrency` at a time (default 8) to stay inside that account's bucket.
 * The caller's own account is shared by every AssumeRole call, which the SDK's retries absorb.
 */

import { AwsAdapterError } from '../aws/aws-error.ts';
import { boundedMap } from '../aws/bounded-map.ts';
import { type AwsClients, type CredentialsProvider, createAwsClients } from '../aws/client-factory.ts';
import {
  type ReportPollingOptions,
  readReportInventory,
  startCredentialReport,
} from '../aws/credential-report-source.ts';
import { DEFAULT_USER_CONCURRENCY, readApiInventory } from '../aws/iam-inventory.ts';
import { listOrganisationAccounts, type OrganisationAccount } from '../aws/organizations.ts';
import {
  AssumeRoleError,
  type CallerIdentity,
  getCallerIdentity,
  RoleSessions,
  validateExternalId,
  validateRoleName,
} from '../aws/sts-sessions.ts';
import { CredentialReportParseError, InputError } from '../domain/errors.ts';
import type { AccountScan, FailedAccount, Inventory, InventorySource } from '../domain/inventory.ts';
import type { Policy } from '../domain/policy.ts';
import { type ScanTargets, validateTargets } from './targets.ts';

/** Accounts scanned at a time. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 4;

/**
 * Credential reports started ahead at a time. Starting one is an AssumeRole and one IAM call in that
 * account, so this runs well ahead of the scan without loading any one account's throttling bucket.
 */
export const REPORT_HEAD_START_CONCURRENCY = 8;

/**
 * AssumeRole error codes that, for the caller's own account only, mean "the member role is not deployed
 * here" (StackSets never deploy to the management account) rather than "access is broken".
 */
export const OWN_ACCOUNT_FALLBACK_CODES: readonly string[] = [
  'AccessDenied',
  'AccessDeniedException',
  'NoSuchEntity',
  'NoSuchEntityException',
];

/** Reported after every account (and once before the first). */
export interface ScanProgress {
  /** Accounts finished, scanned or failed. */
  readonly accountsDone: number;
  readonly accountsTotal: number;
  /** IAM users read so far. */
  readonly users: number;
  readonly elapsedMs: number;
  /** The account just finished; absent in the first report. */
  readonly accountId?: string;
}

/** How to scan. */
export interface ScanOptions {
  /** The instant findings will be evaluated at (the report source flags users relative to it). */
  readonly asOf: Date;
  readonly policy: Policy;
  /** `report`: credential report + live check of flagged users; `api`: everything live. @default 'report' */
  readonly source?: 'report' | 'api';
  /** @default createAwsClients() */
  readonly clients?: AwsClients;
  /** Member role name. @default DEFAULT_ROLE_NAME */
  readonly roleName?: string;
  readonly externalId?: string;
  /**
   * When AssumeRole into the caller's own account fails with AccessDenied/NoSuchEntity, scan it with the
   * caller's own credentials instead of failing it. @default true
   */
  readonly ownAccountFallback?: boolean;
  /** @default DEFAULT_ACCOUNT_CONCURRENCY */
  readonly concurrency?: number;
  /** @default DEFAULT_USER_CONCURRENCY */
  readonly userConcurrency?: number;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Soft stop: no account starts after this instant; accounts already running finish. */
  readonly deadline?: Date;
  /** Hard stop: no account starts, running accounts stop at the next user and count as not scanned. */
  readonly signal?: AbortSignal;
  /** Milliseconds clock for the deadline and progress. @default Date.now */
  readonly now?: () => number;
  /** Credential report polling (max wait, delays, sleep). */
  readonly reportPolling?: Omit<ReportPollingOptions, 'signal'>;
}

/** The inventory, plus what the run could not do. */
export interface ScanResult extends Inventory {
  /** The account that ran the scan. */
  readonly callerAccountId: string;
  /** Account names from Organizations (organisation scans only). */
  readonly accountNames: Readonly<Record<string, string>>;
  /** Accounts left out because the scan stopped early, in target order. */
  readonly accountsNotScanned: readonly string[];
  /** Why the scan stopped early, or null when every account was attempted. */
  readonly stopReason: 'deadline' | 'aborted' | null;
  /** Accounts read with the caller's own credentials after AssumeRole into them failed (own account). */
  readonly ownCredentialAccounts: readonly string[];
}

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value < 1)
    throw new InputError(`${name} must be a positive integer, got ${value}`);
  return value;
};

const failedAccount = (
  accountId: string,
  error: AwsAdapterError | CredentialReportParseError,
): FailedAccount => ({
  accountId,
  status: 'failed',
  errorCode: error instanceof AwsAdapterError ? error.code : error.name,
  errorMessage: error.message,
});

const resolveAccounts = async (
  targets: ScanTargets,
  caller: CallerIdentity,
  clients: AwsClients,
): Promise<OrganisationAccount[]> => {
  switch (targets.kind) {
    case 'caller':
      return [{ accountId: caller.accountId, name: caller.accountId }];
    case 'accounts':
      return targets.accountIds.map((accountId) => ({ accountId, name: accountId }));
    case 'organisation':
      return listOrganisationAccounts(clients.organizations(), {
        ...(targets.ous === undefined ? {} : { ous: targets.ous }),
        ...(targets.exclude === undefined ? {} : { exclude: targets.exclude }),
      });
  }
};

const NOT_SCANNED = Symbol('not scanned');

/**
 * Scans `targets` and returns every account as scanned or failed, in target order (organisation
 * accounts sorted by id), minus those not started before a stop.
 *
 * Throws `InputError` for bad ids or options (before any AWS call), `CallerIdentityError` when the
 * caller has no usable credentials, `OrganizationsError` when the organisation cannot be listed.
 * Per-account AWS failures never throw: they become FailedAccount entries.
 */
export const scanAccounts = async (targets: ScanTargets, options: ScanOptions): Promise<ScanResult> => {
  const resolvedTargets = validateTargets(targets);
  const concurrency = positiveInteger('concurrency', options.concurrency ?? DEFAULT_ACCOUNT_CONCURRENCY);
  const userConcurrency = positiveInteger(
    'userConcurrency',
    options.userConcurrency ?? DEFAULT_USER_CONCURRENCY,
  );
  if (options.roleName !== undefined) validateRoleName(options.roleName);
  if (options.externalId !== undefined) validateExternalId(options.externalId);
  const now = options.now ?? Date.now;
  const startedAt = now();
  const { signal, deadline } = options;
  const source: InventorySource = options.source === 'api' ? 'api' : 'credential-report';
  const ownAccountFallback = options.ownAccountFallback ?? true;

  const clients = options.clients ?? createAwsClients();
  const sts = clients.sts();
  const caller = await getCallerIdentity(sts);
  const accounts = await resolveAccounts(resolvedTargets, caller, clients);
  const sessions =
    resolvedTargets.kind === 'caller'
      ? null
      : new RoleSessions(sts, {
          partition: caller.partition,
          ...(options.roleName === undefined ? {} : { roleName: options.roleName }),
          ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
          now: () => new Date(now()),
        });

  const ownCredentialAccounts: string[] = [];
  let stopReason: ScanResult['stopReason'] = null;
  let accountsDone = 0;
  let users = 0;
  const reportProgress = (accountId?: string): void =>
    options.onProgress?.({
      accountsDone,
      accountsTotal: accounts.length,
      users,
      elapsedMs: now() - startedAt,
      ...(accountId === undefined ? {} : { accountId }),
    });

  const stopping = (): boolean => {
    if (signal?.aborted) stopReason = 'aborted';
    else if (deadline !== undefined && now() >= deadline.getTime()) stopReason ??= 'deadline';
    return stopReason !== null;
  };

  /** Role credentials, or undefined for the caller's own (own account without the role). */
  const credentialsFor = async (accountId: string): Promise<CredentialsProvider | undefined> => {
    if (sessions === null) return undefined;
    try {
      await sessions.credentials(accountId);
      return sessions.provider(accountId);
    } catch (error) {
      if (
        error instanceof AssumeRoleError &&
        ownAccountFallback &&
        accountId === caller.accountId &&
        OWN_ACCOUNT_FALLBACK_CODES.includes(error.code)
      ) {
        ownCredentialAccounts.push(accountId);
        return undefined;
      }
      throw error;
    }
  };

  // One credentials lookup per account, shared by the report head start and the scan itself.
  const credentials = new Map<string, Promise<CredentialsProvider | undefined>>();
  const credentialsOnce = (accountId: string): Promise<CredentialsProvider | undefined> => {
    let found = credentials.get(accountId);
    if (found === undefined) {
      found = credentialsFor(accountId);
      credentials.set(accountId, found);
    }
    return found;
  };

  // Report source: every account's credential report is started ahead of its turn (at most one start per
  // account), so AWS generates them in parallel while earlier accounts are read; an account waits only for
  // its own report, not for its place in the queue. Errors are left to the account's own scan.
  const started = new Map<string, Promise<void>>();
  const startReport = (accountId: string): Promise<void> => {
    let found = started.get(accountId);
    if (found === undefined) {
      found = (async () => {
        try {
          await startCredentialReport(clients.iam(accountId, await credentialsOnce(accountId)));
        } catch {
          // The account's own scan repeats these steps and reports what failed (or lets a bug surface).
        }
      })();
      started.set(accountId, found);
    }
    return found;
  };
  const headStart =
    source === 'credential-report'
      ? boundedMap(accounts, REPORT_HEAD_START_CONCURRENCY, async ({ accountId }) => {
          if (!stopping()) await startReport(accountId);
        })
      : Promise.resolve([]);

  const scanOne = async ({ accountId }: OrganisationAccount): Promise<AccountScan | typeof NOT_SCANNED> => {
    if (stopping()) return NOT_SCANNED;
    let result: AccountScan;
    try {
      if (source === 'credential-report') await startReport(accountId);
      const iam = clients.iam(accountId, await credentialsOnce(accountId));
      const live = { concurrency: userConcurrency, ...(signal === undefined ? {} : { signal }) };
      result =
        source === 'api'
          ? await readApiInventory(iam, accountId, live)
          : await readReportInventory(iam, accountId, {
              now,
              ...options.reportPolling,
              ...live,
              asOf: options.asOf,
              policy: options.policy,
            });
    } catch (error) {
      if (signal?.aborted) {
        stopReason = 'aborted';
        return NOT_SCANNED;
      }
      if (error instanceof AwsAdapterError || error instanceof CredentialReportParseError) {
        result = failedAccount(accountId, error);
      } else {
        throw error;
      }
    }
    accountsDone += 1;
    if (result.status === 'scanned') users += result.users.length;
    reportProgress(accountId);
    return result;
  };

  reportProgress();
  const results = await boundedMap(accounts, concurrency, scanOne);
  await headStart;
  const scanned: AccountScan[] = [];
  const notScanned: string[] = [];
  results.forEach((result, index) => {
    if (result === NOT_SCANNED) notScanned.push(accounts[index]?.accountId ?? '');
    else scanned.push(result);
  });
  return {
    accounts: scanned,
    callerAccountId: caller.accountId,
    accountNames:
      resolvedTargets.kind === 'organisation'
        ? Object.fromEntries(accounts.map((account) => [account.accountId, account.name]))
        : {},
    accountsNotScanned: notScanned,
    stopReason: notScanned.length === 0 ? null : stopReason,
    ownCredentialAccounts,
  };
};
