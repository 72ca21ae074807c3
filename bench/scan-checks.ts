/**
 * Checks of the benchmark's own scans: a scan that missed accounts or users, or flagged the wrong ones,
 * would make its timing meaningless. Pure: they compare the CLI's JSON report (or the naive baseline's
 * call counts) with what was seeded.
 */
import type { JsonReport } from '../lambda/present/render/json.ts';
import type { CheckResult } from './results.ts';

/** A seeded member account as the checks need it. */
export interface SeededAccountFacts {
  readonly accountId: string;
  readonly users: number;
  readonly flaggedUsers: number;
}

/** `1 account`, `2 accounts`. */
export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

const seededUsers = (accounts: readonly SeededAccountFacts[]): number =>
  accounts.reduce((sum, a) => sum + a.users, 0);

/** The scan `id` read every seeded account (none failed) and every user. */
export const checkCoverage = (
  id: string,
  report: JsonReport,
  accounts: readonly SeededAccountFacts[],
): CheckResult => {
  const { summary } = report;
  const users = seededUsers(accounts);
  return {
    check: `${id} read every seeded account and user`,
    ok: summary.failedAccounts === 0 && summary.accounts === accounts.length && summary.users === users,
    detail: `${plural(summary.accounts, 'account')} (${summary.failedAccounts} failed), ${summary.users} of ${users} users`,
  };
};

/** In every account, exactly the seeded flagged users have findings. */
export const checkFlaggedUsers = (
  id: string,
  report: JsonReport,
  accounts: readonly SeededAccountFacts[],
): CheckResult => {
  const withFindings = new Map<string, Set<string>>();
  for (const finding of report.findings) {
    if (finding.userName === null) continue;
    const users = withFindings.get(finding.accountId) ?? new Set<string>();
    users.add(finding.userName);
    withFindings.set(finding.accountId, users);
  }
  const found = (accountId: string): number => withFindings.get(accountId)?.size ?? 0;
  const wrong = accounts.filter((a) => found(a.accountId) !== a.flaggedUsers);
  const first = wrong[0];
  return {
    check: `${id} found findings for exactly the flagged users`,
    ok: first === undefined,
    detail:
      first === undefined
        ? `${accounts.reduce((sum, a) => sum + a.flaggedUsers, 0)} users with findings in ${plural(accounts.length, 'account')}`
        : `${wrong.length} of ${accounts.length} accounts differ, e.g. ${first.accountId}: ${found(first.accountId)} users with findings, ${first.flaggedUsers} flagged`,
  };
};

/** Both sources produced the same finding ids. */
export const checkSameFindings = (
  label: string,
  a: { readonly id: string; readonly report: JsonReport },
  b: { readonly id: string; readonly report: JsonReport },
): CheckResult => {
  const ids = (report: JsonReport) => report.findings.map((f) => f.id).sort();
  const left = ids(a.report);
  const right = ids(b.report);
  return {
    check: `${label}: both sources report the same findings`,
    ok: left.length === right.length && left.every((value, index) => value === right[index]),
    detail: `${left.length} (${a.id}) vs ${right.length} (${b.id})`,
  };
};

/** The naive baseline read every seeded user (it calls ListUserTags once per user). */
export const checkNaiveCoverage = (
  id: string,
  callsByOperation: Readonly<Record<string, number>>,
  accounts: readonly SeededAccountFacts[],
): CheckResult => {
  const users = seededUsers(accounts);
  const tags = callsByOperation.ListUserTags ?? 0;
  return {
    check: `${id} read every seeded user`,
    ok: tags === users,
    detail: `ListUserTags for ${tags} of ${users} users`,
  };
};
