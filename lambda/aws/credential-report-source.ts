/**
 * The `--source report` inventory (the default): one credential report per account, then a live check of
 * only the users the report flags (see `needsLiveCheck`). Costs about 4 calls per account plus at most 4
 * per flagged user, where `--source api` costs 4 per user.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { parseCredentialReport } from '../domain/credential-report.ts';
import { needsLiveCheck } from '../domain/flagged-users.ts';
import type { IamUser, ScannedAccount } from '../domain/inventory.ts';
import type { Policy } from '../domain/policy.ts';
import { REPORT_TIMEOUT_ERROR_CODE } from '../domain/unreachable-cause.ts';
import { AwsAdapterError, awsErrorCode, awsErrorMessage, hasAwsErrorCode } from './aws-error.ts';
import { type LiveReadOptions, readLiveUsers, readRootFromSummary } from './iam-inventory.ts';

/** How long to wait for a report before giving up on the account. */
export const DEFAULT_REPORT_MAX_WAIT_MS = 180_000;
/** First pause between polls; doubled each time up to `DEFAULT_REPORT_MAX_DELAY_MS`. */
export const DEFAULT_REPORT_POLL_DELAY_MS = 2_000;
export const DEFAULT_REPORT_MAX_DELAY_MS = 15_000;

/**
 * The credential report could not be obtained (code from IAM, or `ReportTimeout` (`REPORT_TIMEOUT_ERROR_CODE`),
 * `AccountMismatch`...).
 */
export class CredentialReportError extends AwsAdapterError {
  override readonly name = 'CredentialReportError';
}

/** Polling knobs; the clock and sleep are injectable so that tests do not wait. */
export interface ReportPollingOptions {
  /** @default DEFAULT_REPORT_MAX_WAIT_MS */
  readonly maxWaitMs?: number;
  /** @default DEFAULT_REPORT_POLL_DELAY_MS */
  readonly pollDelayMs?: number;
  /** @default DEFAULT_REPORT_MAX_DELAY_MS */
  readonly maxPollDelayMs?: number;
  /** @default a timer that rejects once `signal` aborts */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Milliseconds clock. @default Date.now */
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

/** A fetched credential report. */
export interface FetchedReport {
  /** The CSV, decoded from UTF-8. */
  readonly csv: string;
  /** When IAM generated it (up to 4 hours before now), when IAM said. */
  readonly generatedAt: Date | null;
}

const fail = (accountId: string, operation: string, error: unknown): CredentialReportError =>
  new CredentialReportError(
    awsErrorCode(error),
    `IAM ${operation} in account ${accountId} failed: ${awsErrorMessage(error)}`,
    { cause: error },
  );

/**
 * Asks IAM to start generating the credential report, without waiting for it. A scan calls this for every
 * account ahead of reading it, so that reports are generated in parallel on AWS's side while earlier
 * accounts are still being read; `fetchCredentialReport` then usually finds the report COMPLETE on its first
 * call. A failure here is not reported: `fetchCredentialReport` makes the same call and reports its error.
 */
export const startCredentialReport = async (iam: IAMClient): Promise<void> => {
  try {
    await iam.send(new GenerateCredentialReportCommand({}));
  } catch {
    // Deliberately ignored: see above; the account's own fetch repeats this call and surfaces the error.
  }
};

/**
 * Generates (if needed) and downloads the credential report. Polls GenerateCredentialReport until
 * COMPLETE, waiting out LimitExceeded and ReportInProgress and regenerating after ReportNotPresent or
 * ReportExpired, with exponential backoff bounded by `maxWaitMs` overall. Throws `CredentialReportError`.
 */
export const fetchCredentialReport = async (
  iam: IAMClient,
  accountId: string,
  options: ReportPollingOptions = {},
): Promise<FetchedReport> => {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => delay(ms, undefined, { signal: options.signal }));
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_REPORT_MAX_WAIT_MS;
  const maxPollDelayMs = options.maxPollDelayMs ?? DEFAULT_REPORT_MAX_DELAY_MS;
  const startedAt = now();
  let pause = options.pollDelayMs ?? DEFAULT_REPORT_POLL_DELAY_MS;
  let generated = false;
  for (;;) {
    options.signal?.throwIfAborted();
    let waitingFor = 'report';
    if (!generated) {
      try {
        const { State: state } = await iam.send(new GenerateCredentialReportCommand({}));
        generated = state === 'COMPLETE';
        waitingFor = `report ${state ?? 'state unknown'}`;
      } catch (error) {
        if (!hasAwsErrorCode(error, 'LimitExceededException', 'LimitExceeded')) {
          throw fail(accountId, 'GenerateCredentialReport', error);
        }
        waitingFor = 'LimitExceeded';
      }
    }
    if (generated) {
      try {
        const response = await iam.send(new GetCredentialReportCommand({}));
        if (response.Content === undefined) {
          throw new CredentialReportError(
            'UnexpectedResponse',
            `GetCredentialReport in account ${accountId} returned no content`,
          );
        }
        return {
          csv: new TextDecoder('utf-8').decode(response.Content),
          generatedAt: response.GeneratedTime ?? null,
        };
      } catch (error) {
        if (error instanceof CredentialReportError) throw error;
        if (hasAwsErrorCode(error, 'CredentialReportNotReadyException', 'ReportInProgress')) {
          waitingFor = 'ReportInProgress';
        } else if (
          hasAwsErrorCode(
            error,
            'CredentialReportNotPresentException',
            'ReportNotPresent',
            'CredentialReportExpiredException',
            'ReportExpired',
          )
        ) {
          generated = false;
          waitingFor = awsErrorCode(error);
        } else {
          throw fail(accountId, 'GetCredentialReport', error);
        }
      }
    }
    const elapsed = now() - startedAt;
    if (elapsed + pause > maxWaitMs) {
      throw new CredentialReportError(
        REPORT_TIMEOUT_ERROR_CODE,
        `credential report of account ${accountId} not ready after ${Math.round(elapsed / 1000)} s ` +
          `(last: ${waitingFor}); giving up at the ${Math.round(maxWaitMs / 1000)} s limit`,
      );
    }
    await sleep(pause);
    pause = Math.min(pause * 2, maxPollDelayMs);
  }
};

/** What the report inventory needs besides the client. */
export interface ReportInventoryOptions extends ReportPollingOptions, LiveReadOptions {
  /** The instant findings will be evaluated at (decides which users are flagged). */
  readonly asOf: Date;
  readonly policy: Policy;
}

/**
 * The `--source report` inventory of one account. Users the report flags are re-read live: deleted users
 * are dropped, their keys replaced by live ones (with ids, no slot) and their tags read. Unflagged users
 * keep the report's data (slots, no tags). The root comes from the report's `<root_account>` row, or from
 * GetAccountSummary when the report has none. Throws `CredentialReportError`, `IamInventoryError` or
 * `CredentialReportParseError`.
 */
export const readReportInventory = async (
  iam: IAMClient,
  accountId: string,
  options: ReportInventoryOptions,
): Promise<ScannedAccount> => {
  const { csv, generatedAt } = await fetchCredentialReport(iam, accountId, options);
  const report = parseCredentialReport(csv, `credential report of ${accountId}`);
  if (report.accountId !== '' && report.accountId !== accountId) {
    throw new CredentialReportError(
      'AccountMismatch',
      `the credential report read for account ${accountId} belongs to account ${report.accountId}`,
    );
  }
  const root = report.root ?? (await readRootFromSummary(iam, accountId));
  const flagged = report.users.filter((user) => needsLiveCheck(user, options.asOf, options.policy));
  // The report's own data is read for every user it does not flag; flagged ones count as they are re-read.
  if (report.users.length > flagged.length) options.onUsersRead?.(report.users.length - flagged.length);
  const live = new Map(
    (await readLiveUsers(iam, accountId, flagged, options)).map((user) => [user.userName, user] as const),
  );
  const flaggedNames = new Set(flagged.map((user) => user.userName));
  const users = report.users.flatMap((user): IamUser[] => {
    if (!flaggedNames.has(user.userName)) return [user];
    const fresh = live.get(user.userName);
    return fresh === undefined ? [] : [fresh];
  });
  return {
    accountId,
    status: 'scanned',
    source: 'credential-report',
    ...(generatedAt === null ? {} : { reportGeneratedAt: generatedAt }),
    users,
    root,
  };
};
