/**
 * What a run with a history hands to the next: the memory after it. Pure: the caller loads the memory,
 * runs, and saves the result of `rememberRun` with the revision it loaded.
 */
import type { DeliveredAlert, KnownExemption, Memory, StoredReportRef } from './memory.ts';
import { exemptionKey } from './memory-codec.ts';
import type { Report } from './report.ts';
import type { Severity } from './severity.ts';

/** An alert the run actually published (its topic accepted it). */
export interface PublishedAlert {
  readonly findingId: string;
  readonly severity: Severity;
}

/** What a run did, as far as the memory cares. */
export interface RunToRemember {
  /** The run's report; its asOf dates the deliveries, scans and exemptions first seen. */
  readonly report: Report;
  /** Alerts published by the run (none for a report or scan run). */
  readonly delivered: readonly PublishedAlert[];
  /** Where the run's complete report was stored (`HistoryStore.putReport`). */
  readonly reportRef: StoredReportRef;
}

/** The account of a finding id (`<rule>:<accountId>[:<subject>]`, finding-id.ts). */
const accountOfFindingId = (findingId: string): string | undefined => findingId.split(':')[1];

/**
 * The memory after `run`:
 * - `lastScanned` moves to the report's asOf for accounts scanned successfully, and only for them (never
 *   back, should a run replay an earlier instant);
 * - `delivered` gains the published alerts; an entry is dropped once its account was scanned and the
 *   finding is gone or exempt, so the document does not grow forever and a finding that comes back (an
 *   exemption ended, two keys again) is alerted again; entries of accounts not scanned are kept;
 * - `exemptions` holds the exemptions in force in scanned accounts (first seen kept while until and reason
 *   stay the same), and keeps those of accounts not scanned;
 * - `latestReports` points at the run's stored report.
 * Notices and actions are enforcement's to update.
 */
export const rememberRun = (memory: Memory, run: RunToRemember): Memory => {
  const { report } = run;
  const asOf = report.asOf;
  const scanned = new Set(report.accounts.filter((a) => a.status === 'scanned').map((a) => a.accountId));
  const outOfScan = (accountId: string | undefined): boolean =>
    accountId === undefined || !scanned.has(accountId);

  const lastScanned: Record<string, Date> = { ...memory.lastScanned };
  for (const accountId of scanned) {
    const before = lastScanned[accountId];
    if (before === undefined || before.getTime() < asOf.getTime()) lastScanned[accountId] = asOf;
  }

  const standing = new Set(report.findings.filter((f) => !f.exempt).map((f) => f.id));
  const delivered: Record<string, DeliveredAlert> = Object.fromEntries(
    Object.entries(memory.delivered).filter(
      ([findingId]) => standing.has(findingId) || outOfScan(accountOfFindingId(findingId)),
    ),
  );
  for (const { findingId, severity } of run.delivered)
    delivered[findingId] = { findingId, severity, deliveredAt: asOf };

  const exemptions: Record<string, KnownExemption> = Object.fromEntries(
    Object.entries(memory.exemptions).filter(([, known]) => outOfScan(known.accountId)),
  );
  for (const { accountId, userName, exemption } of report.findings) {
    if (userName === null || exemption === null || !scanned.has(accountId)) continue;
    const key = exemptionKey(accountId, userName);
    if (exemptions[key] !== undefined) continue;
    const known = memory.exemptions[key];
    const same = known?.until === exemption.until && known.reason === exemption.reason;
    exemptions[key] = same
      ? known
      : { accountId, userName, until: exemption.until, reason: exemption.reason, firstSeenAt: asOf };
  }

  return {
    ...memory,
    lastScanned,
    delivered,
    exemptions,
    latestReports: { ...memory.latestReports, [run.reportRef.job]: run.reportRef },
  };
};
