import { evaluate } from '../domain/evaluate.ts';
import type { FailedAccount, Inventory } from '../domain/inventory.ts';
import type { Policy } from '../domain/policy.ts';
import type { Report } from '../domain/report.ts';
import { DEADLINE_ERROR_CODE } from '../domain/unreachable-cause.ts';
import type { ScanResult } from '../scan/scan-accounts.ts';

const STOP_REASONS: Readonly<Record<NonNullable<ScanResult['stopReason']>, string>> = {
  deadline: 'the run reached its time limit before every account was scanned',
  aborted: 'the run was stopped before every account was scanned',
};

/** How an account left out by a stop is reported (as an `account-unreachable` finding, cause deadline). */
const NOT_SCANNED: Readonly<Record<NonNullable<ScanResult['stopReason']>, string>> = {
  deadline: "not reached before the run's time limit",
  aborted: 'the run was stopped (at its time limit) before this account was read',
};

/** What evaluating an inventory needs. */
export interface ReportOptions {
  readonly asOf: Date;
  readonly policy: Policy;
  /** Which accounts are production (see `EvaluateOptions.isProduction`). @default none */
  readonly isProduction?: (accountId: string) => boolean;
}

/**
 * Evaluates an inventory; a scan that stopped early yields a report marked incomplete, in which every
 * account left out is a failed account (error code `Deadline`): it alerts like any unreachable account
 * instead of hiding in a list. Free of the AWS SDK, so offline runs (credential report files) never load it.
 */
export const reportFromInventory = (
  inventory: Inventory,
  options: ReportOptions,
  stopped?: Pick<ScanResult, 'stopReason' | 'accountsNotScanned'>,
): Report => {
  if (stopped === undefined || stopped.stopReason === null) return evaluate(inventory, options);
  const { stopReason, accountsNotScanned } = stopped;
  const notScanned = accountsNotScanned.map(
    (accountId): FailedAccount => ({
      accountId,
      status: 'failed',
      errorCode: DEADLINE_ERROR_CODE,
      errorMessage: NOT_SCANNED[stopReason],
    }),
  );
  const report = evaluate({ accounts: [...inventory.accounts, ...notScanned] }, options);
  return { ...report, incomplete: { reason: STOP_REASONS[stopReason], accountsNotScanned } };
};
