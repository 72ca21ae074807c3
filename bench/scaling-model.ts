/**
 * Where one Lambda run (15 minutes) stops being enough. moto answers in milliseconds and never throttles,
 * so the measured times are a floor; real AWS is modelled from the measured call counts and the scan's
 * structure (which calls wait on which) with documented latency assumptions. Pure.
 */
import {
  DEFAULT_REPORT_MAX_DELAY_MS,
  DEFAULT_REPORT_POLL_DELAY_MS,
} from '../lambda/aws/credential-report-source.ts';
import { DEFAULT_USER_CONCURRENCY } from '../lambda/aws/iam-inventory.ts';
import { DEFAULT_ACCOUNT_CONCURRENCY } from '../lambda/scan/scan-accounts.ts';

/** Lambda's maximum timeout. */
export const LAMBDA_TIMEOUT_SECONDS = 900;

/**
 * Share of the timeout kept free for listing the organisation, evaluating, rendering, publishing and
 * variance between runs: the scan plans with 90% of 15 minutes.
 */
export const HEADROOM_SHARE = 0.1;

/** Seconds a scan may use in one Lambda run. */
export const USABLE_SECONDS = LAMBDA_TIMEOUT_SECONDS * (1 - HEADROOM_SHARE);

/** Users per ListUsers page (the SDK paginator's default MaxItems). */
export const LIST_USERS_PAGE = 100;

/** How fast real AWS is assumed to answer. AWS publishes no latency or IAM throttling figures. */
export interface LatencyAssumption {
  readonly name: string;
  /** One IAM call, round trip. */
  readonly iamCallMs: number;
  readonly assumeRoleMs: number;
  /** When a credential report is COMPLETE after the first GenerateCredentialReport, up to 1,000 users. */
  readonly reportReadySmallMs: number;
  /** The same for larger accounts. */
  readonly reportReadyLargeMs: number;
  /** Sustained IAM requests per second one account allows before throttling; null = no cap. */
  readonly iamRequestsPerSecond: number | null;
}

/** The assumptions the scaling estimate is computed under (docs/scaling-design.md explains them). */
export const LATENCY_ASSUMPTIONS: readonly LatencyAssumption[] = [
  {
    name: 'fast (50 ms)',
    iamCallMs: 50,
    assumeRoleMs: 300,
    reportReadySmallMs: 1_000,
    reportReadyLargeMs: 5_000,
    iamRequestsPerSecond: null,
  },
  {
    name: 'typical (100 ms)',
    iamCallMs: 100,
    assumeRoleMs: 300,
    reportReadySmallMs: 1_000,
    reportReadyLargeMs: 5_000,
    iamRequestsPerSecond: null,
  },
  {
    name: 'slow (150 ms, 10 req/s)',
    iamCallMs: 150,
    assumeRoleMs: 300,
    reportReadySmallMs: 5_000,
    reportReadyLargeMs: 20_000,
    iamRequestsPerSecond: 10,
  },
];

/** Accounts above this many users use `reportReadyLargeMs`. */
export const SMALL_ACCOUNT_USERS = 1_000;

/**
 * How long the scan waits for a report that is ready `readyAfterMs` after the first request: it sleeps
 * 2 s, then doubles up to 15 s (credential-report-source.ts), and sees the report at the first poll after.
 */
export const reportPollWaitMs = (
  readyAfterMs: number,
  firstDelayMs = DEFAULT_REPORT_POLL_DELAY_MS,
  maxDelayMs = DEFAULT_REPORT_MAX_DELAY_MS,
): number => {
  if (readyAfterMs <= 0) return 0;
  let waited = 0;
  let pause = firstDelayMs;
  while (waited < readyAfterMs) {
    waited += pause;
    pause = Math.min(pause * 2, maxDelayMs);
  }
  return waited;
};

/** One account's scan as measured: source, users, users the report flagged, IAM calls made. */
export interface AccountWorkload {
  readonly source: 'report' | 'api';
  readonly users: number;
  readonly flaggedUsers: number;
  readonly iamCalls: number;
}

/**
 * Sequential IAM round trips in one account. A live user read is 3 dependent round trips (ListAccessKeys,
 * then its keys' GetAccessKeyLastUsed in parallel, then ListUserTags), `userConcurrency` users at a time.
 * Report: GenerateCredentialReport twice, GetCredentialReport, GetAccountSummary, then flagged users.
 * API: ListUsers pages, GetAccountSummary, then every user.
 */
export const roundTrips = (workload: AccountWorkload, userConcurrency = DEFAULT_USER_CONCURRENCY): number =>
  workload.source === 'report'
    ? 4 + Math.ceil(workload.flaggedUsers / userConcurrency) * 3
    : Math.max(1, Math.ceil(workload.users / LIST_USERS_PAGE)) +
      1 +
      Math.ceil(workload.users / userConcurrency) * 3;

/**
 * How the scan treats the credential report wait. `in-slot`: an account sleeps through its report's
 * generation while holding its concurrency slot. `ahead`: every account's report is started ahead of its
 * turn, so only the first wave waits (assumed: a report is generated before its account's turn comes).
 */
export type ReportWait = 'in-slot' | 'ahead';

/** Milliseconds an account of `workload` waits for its report when it waits at all (0 for the API source). */
export const reportWaitMs = (workload: AccountWorkload, assumption: LatencyAssumption): number =>
  workload.source === 'report'
    ? reportPollWaitMs(
        workload.users > SMALL_ACCOUNT_USERS ? assumption.reportReadyLargeMs : assumption.reportReadySmallMs,
      )
    : 0;

/**
 * Modelled seconds one account holds its slot: AssumeRole, the report wait (`in-slot` only), the round
 * trips; or, when IAM throttles, the calls at the sustained rate, whichever is longer.
 */
export const modelSecondsPerAccount = (
  workload: AccountWorkload,
  assumption: LatencyAssumption,
  wait: ReportWait = 'in-slot',
): number => {
  const waitMs = wait === 'in-slot' ? reportWaitMs(workload, assumption) : 0;
  const latencyMs = assumption.assumeRoleMs + waitMs + roundTrips(workload) * assumption.iamCallMs;
  const throttledMs =
    assumption.iamRequestsPerSecond === null
      ? 0
      : (workload.iamCalls / assumption.iamRequestsPerSecond) * 1000;
  return Math.max(latencyMs, throttledMs) / 1000;
};

/** Seconds paid once per run before the steady state: the first wave's report wait when reports start ahead. */
export const modelOnceSeconds = (
  workload: AccountWorkload,
  assumption: LatencyAssumption,
  wait: ReportWait,
): number => (wait === 'ahead' ? reportWaitMs(workload, assumption) / 1000 : 0);

/**
 * Accounts one Lambda run can scan when each holds a slot for `secondsPerAccount`, `concurrency` run at
 * once (IAM throttles per account, so parallel accounts do not slow each other on AWS) and `onceSeconds`
 * are spent once.
 */
export const accountsPerLambda = (
  secondsPerAccount: number,
  concurrency = DEFAULT_ACCOUNT_CONCURRENCY,
  onceSeconds = 0,
): number =>
  secondsPerAccount <= 0
    ? Number.POSITIVE_INFINITY
    : Math.max(0, Math.floor(((USABLE_SECONDS - onceSeconds) * concurrency) / secondsPerAccount));

/** One row of the estimate. */
export interface CapacityRow {
  readonly basis: string;
  readonly source: 'report' | 'api';
  readonly usersPerAccount: number;
  readonly secondsPerAccount: number;
  readonly accountsPerLambda: number;
  readonly usersPerLambda: number;
}

/** The modelled rows for `workloads` under every assumption. */
export const modelCapacity = (
  workloads: readonly AccountWorkload[],
  wait: ReportWait,
  assumptions: readonly LatencyAssumption[] = LATENCY_ASSUMPTIONS,
  concurrency = DEFAULT_ACCOUNT_CONCURRENCY,
): CapacityRow[] =>
  workloads.flatMap((workload) =>
    assumptions.map((assumption) => {
      const seconds = modelSecondsPerAccount(workload, assumption, wait);
      const accounts = accountsPerLambda(seconds, concurrency, modelOnceSeconds(workload, assumption, wait));
      return {
        basis: `AWS, ${assumption.name}`,
        source: workload.source,
        usersPerAccount: workload.users,
        secondsPerAccount: seconds,
        accountsPerLambda: accounts,
        usersPerLambda: accounts * workload.users,
      };
    }),
  );

/**
 * The capacity the moto run itself shows: a scan of `accounts` accounts with `usersPerAccount` users took
 * `scanSeconds` (process start excluded) at `concurrency`. One account alone is taken to cost the scan time
 * times the accounts in flight over the accounts scanned. moto has no throttling and answers in
 * milliseconds, so this is the most optimistic row.
 */
export const measuredCapacity = (
  source: 'report' | 'api',
  usersPerAccount: number,
  accounts: number,
  scanSeconds: number,
  concurrency = DEFAULT_ACCOUNT_CONCURRENCY,
): CapacityRow => {
  const secondsPerAccount = (scanSeconds * Math.min(concurrency, accounts)) / accounts;
  const perLambda = accountsPerLambda(secondsPerAccount, concurrency);
  return {
    basis: 'moto (measured)',
    source,
    usersPerAccount,
    secondsPerAccount,
    accountsPerLambda: perLambda,
    usersPerLambda: perLambda * usersPerAccount,
  };
};

/** Modelled seconds for a scan of `accounts` alike accounts, `concurrency` at a time (whole waves). */
export const modelScanSeconds = (
  workload: AccountWorkload,
  accounts: number,
  assumption: LatencyAssumption,
  wait: ReportWait,
  concurrency = DEFAULT_ACCOUNT_CONCURRENCY,
): number =>
  modelOnceSeconds(workload, assumption, wait) +
  Math.ceil(accounts / concurrency) * modelSecondsPerAccount(workload, assumption, wait);

/**
 * Modelled seconds for the naive baseline: one account after another, one call at a time, so every call
 * is a round trip (or, when IAM throttles below that pace, the calls at the sustained rate).
 */
export const modelNaiveSeconds = (
  iamCallsPerAccount: number,
  accounts: number,
  assumption: LatencyAssumption,
): number => {
  const latencyMs = assumption.assumeRoleMs + iamCallsPerAccount * assumption.iamCallMs;
  const throttledMs =
    assumption.iamRequestsPerSecond === null
      ? 0
      : (iamCallsPerAccount / assumption.iamRequestsPerSecond) * 1000;
  return (accounts * Math.max(latencyMs, throttledMs)) / 1000;
};

/** The report source against the naive baseline on AWS, under one assumption. */
export interface ModelledSpeedup {
  readonly assumption: string;
  readonly naiveSeconds: number;
  readonly reportSeconds: number;
  readonly factor: number;
}

/** The modelled speedup of the report source over the naive baseline for the measured organisation. */
export const modelSpeedups = (
  report: AccountWorkload,
  naiveCallsPerAccount: number,
  accounts: number,
  wait: ReportWait,
  assumptions: readonly LatencyAssumption[] = LATENCY_ASSUMPTIONS,
): ModelledSpeedup[] =>
  assumptions.map((assumption) => {
    const naiveSeconds = modelNaiveSeconds(naiveCallsPerAccount, accounts, assumption);
    const reportSeconds = modelScanSeconds(report, accounts, assumption, wait);
    return { assumption: assumption.name, naiveSeconds, reportSeconds, factor: naiveSeconds / reportSeconds };
  });
