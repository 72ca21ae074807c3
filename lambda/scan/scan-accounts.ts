/**
 * The scan: resolves which accounts to read, obtains credentials for each (one AssumeRole per account),
 * reads each account's inventory from the chosen source, and never lets one account's failure hide the
 * others: it becomes a FailedAccount (and so an `account-unreachable` finding).
 *
 * Accounts run in parallel, `concurrency` at a time (default 4). IAM and STS throttle per account, so
 * separate accounts do not share a token bucket and parallelism across accounts is safe; within an
 * account, users are read `userConcurrency` at a time (default 8) to stay inside that account's bucket.
 * The caller's own account is shared by every AssumeRole call, which the SDK's retries absorb.
 *
 * The parts live apart: options (scan-options.ts), credentials (account-credentials.ts), reading one
 * account (account-reader.ts), scheduling and stopping (account-queue.ts, scan-stop.ts) and progress
 * (scan-progress.ts); this module wires them together.
 */
import { AwsAdapterError } from '../aws/aws-error.ts';
import { type AwsClients, createAwsClients } from '../aws/client-factory.ts';
import { type OrganisationAccount, readOrganisationScope } from '../aws/organizations.ts';
import {
  AssumeRoleError,
  type CallerIdentity,
  getCallerIdentity,
  RoleSessions,
} from '../aws/sts-sessions.ts';
import { CredentialReportParseError } from '../domain/errors.ts';
import type { FailedAccount, Inventory } from '../domain/inventory.ts';
import { accountCredentials } from './account-credentials.ts';
import { runAccountQueue } from './account-queue.ts';
import { accountReader } from './account-reader.ts';
import { REPORT_HEAD_START_CONCURRENCY, type ScanOptions, scanSettings } from './scan-options.ts';
import { ProgressCounter } from './scan-progress.ts';
import { ScanStop, type StopReason } from './scan-stop.ts';
import { type ScanTargets, validateTargets } from './targets.ts';

export { OWN_ACCOUNT_FALLBACK_CODES } from './account-credentials.ts';
export {
  DEFAULT_ACCOUNT_CONCURRENCY,
  REPORT_HEAD_START_CONCURRENCY,
  type ScanOptions,
} from './scan-options.ts';
export type { ScanProgress, ScanProgressEvent } from './scan-progress.ts';

/** The inventory, plus what the run could not do. */
export interface ScanResult extends Inventory {
  /** The account that ran the scan. */
  readonly callerAccountId: string;
  /** Account names from Organizations (organisation scans only). */
  readonly accountNames: Readonly<Record<string, string>>;
  /** Accounts left out because the scan stopped early, in target order. */
  readonly accountsNotScanned: readonly string[];
  /** Why the scan stopped early, or null when every account was attempted. */
  readonly stopReason: StopReason | null;
  /** Accounts read with the caller's own credentials after AssumeRole into them failed (own account). */
  readonly ownCredentialAccounts: readonly string[];
  /**
   * What the scan did but may not be what was meant, one line each, naming the setting (e.g. `exclude`
   * ids that are not in the organisation). The CLI prints them on stderr; the Lambda logs them.
   */
  readonly warnings: readonly string[];
}

/** An expected per-account failure as a FailedAccount; anything else (a bug) is rethrown. */
const failedAccount = (accountId: string, error: unknown): FailedAccount => {
  if (!(error instanceof AwsAdapterError || error instanceof CredentialReportParseError)) throw error;
  return {
    accountId,
    status: 'failed',
    errorCode: error instanceof AwsAdapterError ? error.code : error.name,
    errorMessage: error.message,
    step: error instanceof AssumeRoleError ? 'assume-role' : 'read',
  };
};

/** The warning for `exclude` ids the organisation listing did not hold, or none. */
const exclusionWarnings = (unknown: readonly string[], ous: readonly string[]): string[] => {
  if (unknown.length === 0) return [];
  const where = ous.length === 0 ? 'the organisation' : `the organisation under ${ous.join(', ')}`;
  const [one] = unknown;
  return [
    unknown.length === 1
      ? `exclude: account ${one} is not in ${where}, so it excludes nothing (a typo?)`
      : `exclude: accounts ${unknown.join(', ')} are not in ${where}, so they exclude nothing (typos?)`,
  ];
};

/** The accounts of `targets`, and warnings about ids in them that the organisation listing did not hold. */
const resolveAccounts = async (
  targets: ScanTargets,
  caller: CallerIdentity,
  clients: AwsClients,
): Promise<{ readonly accounts: OrganisationAccount[]; readonly warnings: string[] }> => {
  switch (targets.kind) {
    case 'caller':
      return { accounts: [{ accountId: caller.accountId, name: caller.accountId }], warnings: [] };
    case 'accounts':
      // No organisation listing in account mode: whether the ids belong to it is not known here.
      return {
        accounts: targets.accountIds.map((accountId) => ({ accountId, name: accountId })),
        warnings: [],
      };
    case 'organisation': {
      const listing = await readOrganisationScope(clients.organizations(), {
        ...(targets.ous === undefined ? {} : { ous: targets.ous }),
        ...(targets.exclude === undefined ? {} : { exclude: targets.exclude }),
      });
      return {
        accounts: listing.accounts,
        warnings: exclusionWarnings(listing.unknownExclusions, targets.ous ?? []),
      };
    }
  }
};

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
  const settings = scanSettings(options);
  const { now, source } = settings;
  const startedAt = now();
  const { signal } = options;

  const clients = options.clients ?? createAwsClients();
  const sts = clients.sts();
  const caller = await getCallerIdentity(sts);
  const { accounts, warnings } = await resolveAccounts(resolvedTargets, caller, clients);
  const ownCredentialAccounts: string[] = [];
  const credentialsFor = accountCredentials({
    sessions:
      resolvedTargets.kind === 'caller'
        ? null
        : new RoleSessions(sts, {
            partition: caller.partition,
            ...(options.roleName === undefined ? {} : { roleName: options.roleName }),
            ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
            now: () => new Date(now()),
          }),
    callerAccountId: caller.accountId,
    ownAccountFallback: settings.ownAccountFallback,
    onFallback: (accountId) => ownCredentialAccounts.push(accountId),
  });
  const progress = new ProgressCounter({
    accountsTotal: accounts.length,
    now,
    startedAt,
    onProgress: options.onProgress,
  });
  const reader = accountReader({
    source,
    clients,
    credentials: credentialsFor,
    userConcurrency: settings.userConcurrency,
    signal,
    asOf: options.asOf,
    policy: options.policy,
    now,
    reportPolling: options.reportPolling,
    onUsersRead: (accountId, count) => progress.usersRead(accountId, count),
  });

  const stop = new ScanStop({ deadline: options.deadline, signal, now });
  progress.started();
  const { done, notScanned } = await runAccountQueue(
    accounts.map((account) => account.accountId),
    {
      concurrency: settings.concurrency,
      stop,
      run: reader.read,
      onError: failedAccount,
      onDone: (_, result) => progress.finished(result),
      ...(reader.headStart === undefined
        ? {}
        : { headStart: { concurrency: REPORT_HEAD_START_CONCURRENCY, start: reader.headStart } }),
    },
  );
  return {
    accounts: done,
    callerAccountId: caller.accountId,
    accountNames:
      resolvedTargets.kind === 'organisation'
        ? Object.fromEntries(accounts.map((account) => [account.accountId, account.name]))
        : {},
    accountsNotScanned: notScanned,
    stopReason: notScanned.length === 0 ? null : stop.reason,
    ownCredentialAccounts,
    warnings,
  };
};
