import type { ReportedAction } from './enforcement/record.ts';
import type { Finding } from './finding.ts';
import type { InventorySource, SourceFallback } from './inventory.ts';
import type { NewExemption } from './new-exemptions.ts';
import type { Policy } from './policy.ts';
import type { Severity } from './severity.ts';
import type { UnreachableCause } from './unreachable-cause.ts';

/** How one account fared in the scan. */
export type AccountStatus =
  | {
      readonly accountId: string;
      readonly status: 'scanned';
      readonly source: InventorySource;
      readonly users: number;
      readonly activeKeys: number;
      /** The credential report's GeneratedTime, when the data came from one. */
      readonly reportGeneratedAt?: Date;
      /**
       * Present when `source` stood in for the chosen one: `{from: 'credential-report', reason}` for a
       * credential report that did not complete in time, read through the IAM API instead.
       */
      readonly fallback?: SourceFallback;
    }
  | {
      readonly accountId: string;
      readonly status: 'failed';
      /** `code: message`, as the account-unreachable finding says it. */
      readonly error: string;
      /** Why, as the finding's next step is worded (`role`, `access-denied`, `deadline`, ...). */
      readonly cause: UnreachableCause;
    };

/** Counts for subjects, exit codes and dashboards. */
export interface Summary {
  readonly accounts: number;
  readonly failedAccounts: number;
  readonly users: number;
  readonly activeKeys: number;
  /** Non-exempt findings of medium severity or above: what must be acted on. */
  readonly violations: number;
  /** Non-exempt low and info findings: advisories such as keys due soon. */
  readonly warnings: number;
  readonly exempt: number;
  /** Non-exempt findings by severity. */
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

/** Set when the run stopped early (e.g. near the Lambda timeout): the report is partial. */
export interface Incompleteness {
  readonly reason: string;
  readonly accountsNotScanned: readonly string[];
}

/**
 * What changed since the previous report of the same job (runs with a history). A finding counts as new or
 * resolved only where both reports can tell: an account that failed or was not scanned in one of them
 * hides its findings from the comparison (a rotated key is not claimed for an unreachable account).
 */
export interface Trend {
  /** The previous report's asOf; null on the first run of the job with a history. */
  readonly previousAsOf: Date | null;
  /** The previous report's summary (null with previousAsOf). */
  readonly previous: Summary | null;
  /** Ids of non-exempt findings that the previous report did not hold, in report order. */
  readonly new: readonly string[];
  /** Ids of the previous report's non-exempt findings that are gone (key rotated, deactivated, deleted). */
  readonly resolved: readonly string[];
}

/** The result of one run: what every renderer turns into text. */
export interface Report {
  readonly schemaVersion: 1;
  readonly asOf: Date;
  readonly policy: Policy;
  readonly accounts: readonly AccountStatus[];
  /** Most severe first, then by account, user and key. */
  readonly findings: readonly Finding[];
  readonly summary: Summary;
  readonly incomplete?: Incompleteness;
  /** Present only for runs with a history. */
  readonly trend?: Trend;
  /**
   * Enforcement of this run (present when enforcement is on): actions due now (planned, done, skipped,
   * failed) and those announced for later (status `planned`, `dueAt` in the future).
   */
  readonly actions?: readonly ReportedAction[];
  /** Users who became exempt since the previous run (runs with a history). */
  readonly newExemptions?: readonly NewExemption[];
  /** Where the complete report of this run is stored (runs with a history). */
  readonly storedAt?: StoredReportLink;
}

/** The stored complete report: for messages that had to be summarised. */
export interface StoredReportLink {
  /** `s3://bucket/key` or a file path. */
  readonly uri: string;
  /** The S3 console page of the object, when stored in S3. */
  readonly consoleUrl?: string;
}
