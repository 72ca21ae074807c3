/** Findings arranged the way renderers present them: account by account, most severe first. */
import type { Finding } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import { bySeverityDesc } from '../../domain/severity.ts';
import { ownerLabel } from './describe-finding.ts';
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

/** A section of a summary: one owner's findings across accounts, or one account's findings without owner. */
export type OwnerOrAccountGroup =
  | { readonly by: 'owner'; readonly owner: string; readonly findings: readonly Finding[] }
  | { readonly by: 'account'; readonly accountId: string; readonly findings: readonly Finding[] };

/**
 * `findings` grouped so that a team finds its own: by owner where the user carries an owner tag (owners in
 * alphabetical order), then by account for the rest (in the report's account order). Within a group the
 * findings keep their order.
 */
export const groupByOwnerOrAccount = (
  report: Pick<Report, 'accounts'>,
  findings: readonly Finding[],
): OwnerOrAccountGroup[] => {
  const byOwner = new Map<string, Finding[]>();
  const byAccount = new Map<string, Finding[]>();
  const add = (map: Map<string, Finding[]>, key: string, finding: Finding): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [finding]);
    else list.push(finding);
  };
  for (const finding of findings) {
    const owner = ownerLabel(finding);
    if (owner === null) add(byAccount, finding.accountId, finding);
    else add(byOwner, owner, finding);
  }
  const accountOrder = [...new Set([...report.accounts.map((a) => a.accountId), ...byAccount.keys()])];
  return [
    ...[...byOwner.keys()]
      .sort((a, b) => a.localeCompare(b, 'en'))
      .map((owner): OwnerOrAccountGroup => ({ by: 'owner', owner, findings: byOwner.get(owner) ?? [] })),
    ...accountOrder
      .filter((accountId) => byAccount.has(accountId))
      .map(
        (accountId): OwnerOrAccountGroup => ({
          by: 'account',
          accountId,
          findings: byAccount.get(accountId) ?? [],
        }),
      ),
  ];
};
