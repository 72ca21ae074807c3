/**
 * One audit, as the CLI and the Lambda both run it: scan accounts, evaluate the rules, and mark the report
 * incomplete when the scan stopped early. Keeping this in one place is what makes "same engine" true.
 */
import type { Report } from '../domain/report.ts';
import { type ScanOptions, type ScanResult, scanAccounts } from '../scan/scan-accounts.ts';
import type { ScanTargets } from '../scan/targets.ts';
import { reportFromInventory } from './report-from-inventory.ts';

/** The outcome of a live audit: the report, and the scan behind it (for logs and `--stats`). */
export interface LiveAudit {
  readonly report: Report;
  readonly scan: ScanResult;
}

/** Scans `targets` live and evaluates the result. */
export const runLiveAudit = async (targets: ScanTargets, options: ScanOptions): Promise<LiveAudit> => {
  const scan = await scanAccounts(targets, options);
  return { scan, report: reportFromInventory(scan, options, scan) };
};
