/**
 * The trend of a run with a history: what changed since the previous report of the same job.
 *
 * New and resolved follow findings appearing and disappearing, by id. Exempt findings are not violations,
 * so they are never listed; and an exemption granted or ended is neither "new" nor "resolved" (the key was
 * not rotated): exemptions are followed by `newExemptions` instead, and show in the summaries' counts.
 */
import type { Report, Trend } from './report.ts';
import type { ComparableReport } from './stored-report.ts';

type ComparableFinding = ComparableReport['findings'][number];

/**
 * Whether `report` tells if `finding` exists: its account was scanned; or it is the account's
 * `account-unreachable` and the account was attempted. An account that failed or was left unscanned (the
 * run stopped early) hides its key findings; an account the report does not name was not a target then.
 */
const tellsWhetherExists = (report: ComparableReport): ((finding: ComparableFinding) => boolean) => {
  const status = new Map(report.accounts.map((account) => [account.accountId, account.status]));
  const notScanned = new Set(report.incomplete?.accountsNotScanned ?? []);
  return (finding) => {
    const accountStatus = status.get(finding.accountId);
    if (accountStatus === 'scanned') return true;
    if (accountStatus === 'failed') return finding.rule === 'account-unreachable';
    return !notScanned.has(finding.accountId);
  };
};

/** Ids of `from`'s non-exempt findings that `to` does not hold, where `to` can tell. */
const missingFrom = (from: ComparableReport, to: ComparableReport): string[] => {
  const held = new Set(to.findings.map((finding) => finding.id));
  const tells = tellsWhetherExists(to);
  return from.findings
    .filter((finding) => !finding.exempt && !held.has(finding.id) && tells(finding))
    .map((finding) => finding.id);
};

/**
 * The trend of `current` against the previous report of its job (null on the first run with a history:
 * nothing to compare, so nothing is new or resolved).
 */
export const trend = (previous: ComparableReport | null, current: Report): Trend =>
  previous === null
    ? { previousAsOf: null, previous: null, new: [], resolved: [] }
    : {
        previousAsOf: previous.asOf,
        previous: previous.summary,
        new: missingFrom(current, previous),
        resolved: missingFrom(previous, current),
      };
