import { evaluate } from '../domain/evaluate.ts';
import type { Inventory } from '../domain/inventory.ts';
import type { Policy } from '../domain/policy.ts';
import type { Report } from '../domain/report.ts';
import type { ScanResult } from '../scan/scan-accounts.ts';

const STOP_REASONS: Readonly<Record<NonNullable<ScanResult['stopReason']>, string>> = {
  deadline: 'the run reached its time limit before every account was scanned',
  aborted: 'the run was stopped before every account was scanned',
};

/**
 * Evaluates an inventory; a scan that stopped early yields a report marked incomplete. Free of the AWS
 * SDK, so offline runs (credential report files) never load it.
 */
export const reportFromInventory = (
  inventory: Inventory,
  options: { readonly asOf: Date; readonly policy: Policy },
  stopped?: Pick<ScanResult, 'stopReason' | 'accountsNotScanned'>,
): Report => {
  const report = evaluate(inventory, options);
  if (stopped === undefined || stopped.stopReason === null) return report;
  return {
    ...report,
    incomplete: { reason: STOP_REASONS[stopped.stopReason], accountsNotScanned: stopped.accountsNotScanned },
  };
};
