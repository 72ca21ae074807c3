/** Options every renderer shares, and the account of findings left out of a rendering. */
import type { Finding, RuleId } from '../../domain/finding.ts';
import { SEVERITIES, type Severity } from '../../domain/severity.ts';

/**
 * `report`: the scheduled summary of everything. `alert`: an on-call page built from a Report filtered to
 * what is new or urgent; titles say ALERT and findings are worded as new.
 */
export type RenderKind = 'report' | 'alert';

/** Counts of a set of findings: non-exempt ones by severity and rule, exempt ones apart. */
export interface FindingCounts {
  /** Every finding counted, exempt ones included. */
  readonly total: number;
  /** Non-exempt findings by severity. */
  readonly bySeverity: Readonly<Record<Severity, number>>;
  /** Non-exempt findings by rule (rules without findings are absent). */
  readonly byRule: Readonly<Partial<Record<RuleId, number>>>;
  readonly exempt: number;
}

/** Findings of one account that a rendering left out. */
export interface AccountOmission extends FindingCounts {
  readonly accountId: string;
}

/** What a size-limited rendering left out, so that it can say so (see `fitToBytes`). */
export interface OmittedFindings {
  /** Findings left out, exempt ones included. */
  readonly total: number;
  /** Per account, in the order accounts appear in the report. */
  readonly byAccount: readonly AccountOmission[];
  /** Why, in words, e.g. `to fit 262,144 bytes`. */
  readonly reason: string;
}

/** What every renderer accepts. */
export interface RenderOptions {
  /** @default 'report' */
  readonly kind?: RenderKind;
  /** For alerts: the start of the window findings are new in (the previous run), for "new since <date>". */
  readonly newSince?: Date;
  /** Findings the caller left out of `report.findings` (e.g. to fit a size limit); rendered as counts. */
  readonly omitted?: OmittedFindings | null;
}

/** Counts of `findings`. */
export const countFindings = (findings: readonly Finding[]): FindingCounts => {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Partial<Record<RuleId, number>> = {};
  let exempt = 0;
  for (const finding of findings) {
    if (finding.exempt) {
      exempt += 1;
    } else {
      bySeverity[finding.severity] += 1;
      byRule[finding.rule] = (byRule[finding.rule] ?? 0) + 1;
    }
  }
  return { total: findings.length, bySeverity, byRule, exempt };
};

/** Counts added together (e.g. what a chat message did not list plus what a size limit left out). */
export const addCounts = (a: FindingCounts, b: FindingCounts): FindingCounts => {
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, a.bySeverity[s] + b.bySeverity[s]]),
  ) as Record<Severity, number>;
  const byRule: Partial<Record<RuleId, number>> = { ...a.byRule };
  for (const [rule, count] of Object.entries(b.byRule) as [RuleId, number][]) {
    byRule[rule] = (byRule[rule] ?? 0) + count;
  }
  return { total: a.total + b.total, bySeverity, byRule, exempt: a.exempt + b.exempt };
};
