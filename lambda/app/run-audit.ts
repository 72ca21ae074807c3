/**
 * One audit, as the CLI and the Lambda both run it: scan accounts, evaluate the rules, and mark the report
 * incomplete when the scan stopped early. Keeping this in one place is what makes "same engine" true.
 */
import { evaluate } from '../domain/evaluate.ts';
import type { Inventory } from '../domain/inventory.ts';
import type { Policy } from '../domain/policy.ts';
import type { Report } from '../domain/report.ts';
import { type ScanOptions, type ScanResult, scanAccounts } from '../scan/scan-accounts.ts';
import type { ScanTargets } from '../scan/targets.ts';

/** The outcome of a live audit: the report, and the scan behind it (for logs and `--stats`). */
export interface LiveAudit {
  readonly report: Report;
  readonly scan: ScanResult;
}

const STOP_REASONS: Readonly<Record<NonNullable<ScanResult['stopReason']>, string>> = {
  deadline: 'the run reached its time limit before every account was scanned',
  aborted: 'the run was stopped before every account was scanned',
};

/** Evaluates an inventory; a scan that stopped early yields a report marked incomplete. */
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

/** Scans `targets` live and evaluates the result. */
export const runLiveAudit = async (targets: ScanTargets, options: ScanOptions): Promise<LiveAudit> => {
  const scan = await scanAccounts(targets, options);
  return { scan, report: reportFromInventory(scan, options, scan) };
};
