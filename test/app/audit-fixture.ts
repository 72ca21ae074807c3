/**
 * Live audits without AWS, for the job's logging and metrics: a scan result of scanned, failed and
 * not-scanned accounts, evaluated as the job would.
 */
import { reportFromInventory } from '../../lambda/app/report-from-inventory.ts';
import type { LiveAudit } from '../../lambda/app/run-audit.ts';
import type { AccountScan } from '../../lambda/domain/inventory.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import type { ScanResult } from '../../lambda/scan/scan-accounts.ts';

const AS_OF = new Date('2026-11-23T06:00:00Z');
const accountId = (n: number): string => String(100_000_000_000 + n);

/** An audit of `scanned` empty accounts, `failed` unreachable ones and `notScanned` left out, with `warnings`. */
export const auditOf = (counts: {
  readonly scanned?: number;
  readonly failed?: number;
  readonly notScanned?: number;
  readonly stopReason?: ScanResult['stopReason'];
  readonly warnings?: readonly string[];
}): LiveAudit => {
  const { scanned = 0, failed = 0, notScanned = 0 } = counts;
  const accounts: AccountScan[] = [
    ...Array.from(
      { length: scanned },
      (_, i): AccountScan => ({
        accountId: accountId(i),
        status: 'scanned',
        source: 'api',
        users: [],
        root: null,
      }),
    ),
    ...Array.from(
      { length: failed },
      (_, i): AccountScan => ({
        accountId: accountId(scanned + i),
        status: 'failed',
        errorCode: 'AccessDenied',
        errorMessage: 'not authorized to perform: sts:AssumeRole',
      }),
    ),
  ];
  const scan: ScanResult = {
    accounts,
    callerAccountId: '999999999999',
    accountNames: {},
    accountsNotScanned: Array.from({ length: notScanned }, (_, i) => accountId(scanned + failed + i)),
    stopReason: counts.stopReason ?? null,
    ownCredentialAccounts: [],
    warnings: counts.warnings ?? [],
  };
  return {
    scan,
    report: reportFromInventory(scan, { asOf: AS_OF, policy: DEFAULT_POLICY }, scan),
    isProduction: () => false,
    warnings: counts.warnings ?? [],
  };
};
