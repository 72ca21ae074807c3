/**
 * What a rendering left out (to fit a size limit) and the one way every format says so: a lead sentence
 * with the total and the reason, then one line per account. Nothing is said when nothing was left out.
 */
import type { Finding } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import { SEVERITIES } from '../../domain/severity.ts';
import { formatCount, oneLine, plural } from '../../domain/wording.ts';
import {
  type AccountOmission,
  addCounts,
  countFindings,
  type FindingCounts,
  type OmittedFindings,
} from './options.ts';

/** What leaving out `dropped` means, per account in the report's account order. */
export const describeDropped = (
  report: Report,
  dropped: readonly Finding[],
  reason: string,
): OmittedFindings => {
  const byAccount = new Map<string, Finding[]>();
  for (const f of dropped) {
    const list = byAccount.get(f.accountId);
    if (list === undefined) byAccount.set(f.accountId, [f]);
    else list.push(f);
  }
  const order = [...new Set([...report.accounts.map((a) => a.accountId), ...byAccount.keys()])];
  const accounts: AccountOmission[] = order.flatMap((accountId) => {
    const findings = byAccount.get(accountId);
    return findings === undefined ? [] : [{ accountId, ...countFindings(findings) }];
  });
  return { total: dropped.length, byAccount: accounts, reason };
};

/** `2 high, 1 medium, 3 exempt`: non-empty counts, most severe first. */
export const describeFindingCounts = (counts: FindingCounts): string => {
  const parts = SEVERITIES.filter((s) => counts.bySeverity[s] > 0).map(
    (s) => `${formatCount(counts.bySeverity[s])} ${s}`,
  );
  if (counts.exempt > 0) parts.push(`${formatCount(counts.exempt)} exempt`);
  return parts.length === 0 ? 'none' : parts.join(', ');
};

/** How a rendering tells what it left out; each format lays the lines out its own way. */
export interface OmissionNotice {
  /** `3 findings not shown to fit 262,144 bytes (counted in the summary):` */
  readonly lead: string;
  /** One per account, in the report's account order: `111111111111: 2 high, 1 exempt`. */
  readonly accounts: readonly string[];
}

/** The notice for `omitted`, or null when nothing was left out (the rendering then says nothing). */
export const omissionNotice = (omitted: OmittedFindings | null | undefined): OmissionNotice | null =>
  omitted === undefined || omitted === null || omitted.total === 0
    ? null
    : {
        lead: `${plural(omitted.total, 'finding')} not shown ${oneLine(omitted.reason)} (counted in the summary):`,
        accounts: omitted.byAccount.map((a) => `${a.accountId}: ${describeFindingCounts(a)}`),
      };

/** All omitted findings counted together. */
export const omittedCounts = (omitted: OmittedFindings | null | undefined): FindingCounts =>
  (omitted?.byAccount ?? []).reduce<FindingCounts>((sum, a) => addCounts(sum, a), countFindings([]));
