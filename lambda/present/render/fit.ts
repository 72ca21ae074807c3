/**
 * Size budgets: SNS takes at most 262,144 bytes (UTF-8 bytes, not characters). When a rendering is larger,
 * findings are left out, least important first, and the rendering says per account what it left out.
 * Every account stays; unreachable accounts, root keys and other critical findings are the last to go (only
 * when they alone exceed the budget, and then counted like the rest); findings are left out whole, so
 * nothing is cut mid-finding and the output is never empty.
 */
import type { Finding } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import { severityRank } from '../../domain/severity.ts';
import { formatCount } from '../../domain/wording.ts';
import { describeDropped } from './omitted.ts';
import type { OmittedFindings } from './options.ts';
import { utf8Bytes } from './text.ts';

/** SNS's message size limit in bytes. */
export const SNS_MAX_BYTES = 262_144;

/** A renderer that can say what it was not given (renderers ignoring the second argument also fit). */
export type BudgetedRender = (report: Report, omitted: OmittedFindings | null) => string;

/** The outcome of `fitToBytes`. */
export interface FitResult {
  readonly text: string;
  /** UTF-8 size of `text`. */
  readonly bytes: number;
  /** What was left out, or null when everything fit. */
  readonly omitted: OmittedFindings | null;
  /**
   * False only when even the rendering without any finding exceeds the budget (every account is still
   * listed); the text is then that smallest rendering and the caller must decide (e.g. send a pointer).
   */
  readonly fits: boolean;
}

/**
 * Keep tiers, kept first: unscanned accounts and root keys (an account-wide emergency each), then other
 * critical findings, then the rest by severity, exempt findings last.
 */
const tierOf = (finding: Finding): number => {
  if (finding.exempt) return 3;
  if (finding.rule === 'account-unreachable' || finding.rule === 'root-access-key') return 0;
  return finding.severity === 'critical' ? 1 : 2;
};

/** Indexes of `findings` in the order they are kept. */
const keepOrder = (findings: readonly Finding[]): number[] =>
  findings
    .map((finding, index) => ({ finding, index, tier: tierOf(finding) }))
    .sort(
      (a, b) =>
        a.tier - b.tier ||
        severityRank(b.finding.severity) - severityRank(a.finding.severity) ||
        a.index - b.index,
    )
    .map(({ index }) => index);

/**
 * `render(report)` within `maxBytes` UTF-8 bytes. When too large, keeps the largest number of findings that
 * fits (in keep order: emergencies, then most severe, exempt last) and passes the rest to `render` as
 * `omitted`. The report's summary is kept as is: it still counts the whole run.
 */
export const fitToBytes = (render: BudgetedRender, report: Report, maxBytes: number): FitResult => {
  if (!Number.isFinite(maxBytes) || maxBytes <= 0)
    throw new RangeError(`maxBytes must be positive, got ${maxBytes}`);
  const full = render(report, null);
  if (utf8Bytes(full) <= maxBytes) return { text: full, bytes: utf8Bytes(full), omitted: null, fits: true };

  const order = keepOrder(report.findings);
  const reason = `to fit ${formatCount(maxBytes)} bytes`;
  const attempt = (kept: number): FitResult => {
    const keep = new Set(order.slice(0, kept));
    const findings = report.findings.filter((_, i) => keep.has(i));
    const omitted = describeDropped(
      report,
      report.findings.filter((_, i) => !keep.has(i)),
      reason,
    );
    const text = render({ ...report, findings }, omitted);
    const bytes = utf8Bytes(text);
    return { text, bytes, omitted, fits: bytes <= maxBytes };
  };

  // Size grows with the findings kept, so search for the largest count that fits.
  let best = attempt(0);
  if (!best.fits) return best;
  let low = 0;
  let high = report.findings.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const result = attempt(middle);
    if (result.fits) {
      low = middle;
      best = result;
    } else {
      high = middle - 1;
    }
  }
  return best;
};
