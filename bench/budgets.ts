/**
 * The performance budgets of issue "Speed at organisation scale", checked from measured numbers. Pure:
 * the run measures, this module judges, so each verdict can be unit-tested at its boundary.
 */

/** A budget's verdict; `skipped` when its scenario was not run (e.g. `--skip-big`). */
export type BudgetStatus = 'pass' | 'fail' | 'skipped';

/** One checked budget. */
export interface BudgetResult {
  readonly id: string;
  /** What is promised, in words. */
  readonly budget: string;
  readonly status: BudgetStatus;
  /** What was measured, in words. */
  readonly measured: string;
}

/** Megabytes as the budgets count them: decimal (10^6 bytes), the stricter reading of "MB". */
export const MB = 1_000_000;

/** Peak RSS limit for one 5,000-user account. */
export const RSS_LIMIT_BYTES = 256 * MB;

/** Lambda bundle size target. */
export const BUNDLE_LIMIT_BYTES = 1 * MB;

/** How much faster than the naive baseline the report source must be. */
export const MIN_SPEEDUP = 5;

/** Formats bytes as decimal megabytes with one decimal. */
export const formatMb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

/** One account of the report-source scan: its IAM calls and the users its report flagged. */
export interface AccountCalls {
  readonly accountId: string;
  readonly calls: number;
  readonly flaggedUsers: number;
}

/** The call limit of the report source for an account with `flaggedUsers` flagged users. */
export const reportCallLimit = (flaggedUsers: number): number => 4 + 4 * flaggedUsers;

/**
 * Report source: at most 4 + 4 x flagged users IAM calls in every account, plus one AssumeRole per
 * account. The worst account (by calls over its limit) is named.
 */
export const checkReportCalls = (
  accounts: readonly AccountCalls[],
  assumeRoleCalls: number,
): BudgetResult => {
  const budget = 'report source: <= 4 + 4 x flagged users IAM calls per account, plus 1 AssumeRole';
  if (accounts.length === 0) {
    return { id: 'report-calls', budget, status: 'fail', measured: 'no account was scanned' };
  }
  const worst = [...accounts].sort(
    (a, b) => b.calls / reportCallLimit(b.flaggedUsers) - a.calls / reportCallLimit(a.flaggedUsers),
  )[0] as AccountCalls;
  const over = accounts.filter((a) => a.calls > reportCallLimit(a.flaggedUsers));
  const ok = over.length === 0 && assumeRoleCalls <= accounts.length;
  return {
    id: 'report-calls',
    budget,
    status: ok ? 'pass' : 'fail',
    measured:
      `worst account ${worst.accountId}: ${worst.calls} calls for ${worst.flaggedUsers} flagged users ` +
      `(limit ${reportCallLimit(worst.flaggedUsers)}); ${over.length} of ${accounts.length} accounts over; ` +
      `${assumeRoleCalls} AssumeRole for ${accounts.length} accounts`,
  };
};

/** Report source at least `MIN_SPEEDUP` times faster than the naive sequential baseline. */
export const checkSpeedup = (reportWallMs: number, naiveWallMs: number, context: string): BudgetResult => {
  const speedup = naiveWallMs / reportWallMs;
  return {
    id: 'report-speedup',
    budget: `report source >= ${MIN_SPEEDUP}x faster than the naive baseline (${context})`,
    status: Number.isFinite(speedup) && speedup >= MIN_SPEEDUP ? 'pass' : 'fail',
    measured: `${speedup.toFixed(2)}x (naive ${(naiveWallMs / 1000).toFixed(1)} s, report ${(reportWallMs / 1000).toFixed(1)} s)`,
  };
};

/** Peak RSS under `RSS_LIMIT_BYTES`; skipped when the scenario did not run, failed when RSS is unknown. */
export const checkPeakRss = (
  id: string,
  what: string,
  peakRssBytes: number | null | undefined,
): BudgetResult => {
  const budget = `${what}: peak RSS < ${formatMb(RSS_LIMIT_BYTES)}`;
  if (peakRssBytes === undefined) return { id, budget, status: 'skipped', measured: 'not run (--skip-big)' };
  if (peakRssBytes === null)
    return { id, budget, status: 'fail', measured: 'RSS could not be measured here' };
  return {
    id,
    budget,
    status: peakRssBytes < RSS_LIMIT_BYTES ? 'pass' : 'fail',
    measured: formatMb(peakRssBytes),
  };
};

/** The bundled Lambda under `BUNDLE_LIMIT_BYTES`. */
export const checkBundleSize = (bytes: number): BudgetResult => ({
  id: 'lambda-bundle-size',
  budget: `Lambda bundle < ${formatMb(BUNDLE_LIMIT_BYTES)} (SDK clients bundled, tree-shaken, minified)`,
  status: bytes < BUNDLE_LIMIT_BYTES ? 'pass' : 'fail',
  measured: `${bytes.toLocaleString('en-GB')} bytes`,
});

/** The exit code for a set of verdicts: 2 when any failed, else 0. */
export const exitCodeFor = (results: readonly BudgetResult[]): number =>
  results.some((r) => r.status === 'fail') ? 2 : 0;
