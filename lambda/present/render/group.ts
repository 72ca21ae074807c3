/** Findings arranged the way renderers present them: account by account, most severe first. */
import type { Finding } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import { bySeverityDesc } from '../../domain/severity.ts';
import type { RenderOptions } from './options.ts';

type AccountStatus = Report['accounts'][number];

/** One account's part of a report. */
export interface AccountGroup {
  readonly accountId: string;
  /** How the scan fared; null for findings about an account the report's account list does not name. */
  readonly status: AccountStatus | null;
  /** Non-exempt findings, most severe first (report order within a severity). */
  readonly findings: readonly Finding[];
  /** Exempt findings, most severe first: shown apart and never counted as violations. */
  readonly exempt: readonly Finding[];
}

/** `findings` most severe first; the sort is stable so the report's account/user/key order survives. */
export const mostSevereFirst = (findings: readonly Finding[]): Finding[] =>
  [...findings].sort((a, b) => bySeverityDesc(a.severity, b.severity));

/**
 * The report account by account, in the report's account order. Findings about an account missing from
 * that list still get a group (nothing is dropped). Alerts leave out scanned accounts without findings.
 */
export const groupByAccount = (report: Report, options: RenderOptions = {}): AccountGroup[] => {
  const byAccount = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = byAccount.get(finding.accountId);
    if (list === undefined) byAccount.set(finding.accountId, [finding]);
    else list.push(finding);
  }
  const group = (accountId: string, status: AccountStatus | null): AccountGroup => {
    const findings = mostSevereFirst(byAccount.get(accountId) ?? []);
    return {
      accountId,
      status,
      findings: findings.filter((f) => !f.exempt),
      exempt: findings.filter((f) => f.exempt),
    };
  };
  const listed = new Set(report.accounts.map((a) => a.accountId));
  const groups = [
    ...report.accounts.map((status) => group(status.accountId, status)),
    ...[...byAccount.keys()].filter((id) => !listed.has(id)).map((id) => group(id, null)),
  ];
  if ((options.kind ?? 'report') === 'report') return groups;
  const omittedAccounts = new Set((options.omitted?.byAccount ?? []).map((a) => a.accountId));
  return groups.filter(
    (g) =>
      g.findings.length > 0 ||
      g.exempt.length > 0 ||
      g.status?.status === 'failed' ||
      omittedAccounts.has(g.accountId),
  );
};

/** Accounts that could not be scanned, with their error. */
export const failedAccounts = (report: Report): Extract<AccountStatus, { status: 'failed' }>[] =>
  report.accounts.filter((a): a is Extract<AccountStatus, { status: 'failed' }> => a.status === 'failed');
