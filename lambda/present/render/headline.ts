/**
 * The sentences every renderer opens with: the headline (email subject, chat title), the counts, the
 * policy, what is new (alerts), what is missing (incomplete runs).
 */
import type { Finding } from '../../domain/finding.ts';
import type { Policy } from '../../domain/policy.ts';
import type { Incompleteness, Report, Summary, Trend } from '../../domain/report.ts';
import { SEVERITIES, type Severity } from '../../domain/severity.ts';
import { formatCount, formatDate, formatDateTime, oneLine, plural } from '../../domain/wording.ts';
import { omittedCounts } from './omitted.ts';
import type { RenderOptions } from './options.ts';

/** SNS rejects subjects of 100 characters or more; chat titles use the same bound. */
export const MAX_HEADLINE_LENGTH = 99;

/** The tool's name, prefixed to headlines unless the caller brands them otherwise. */
export const DEFAULT_PREFIX = 'key-audit';

/** `7 violations (2 critical, 4 high, 1 medium), 3 warnings, 2 exempt`. */
export const describeCounts = (summary: Summary): string => {
  const severe = SEVERITIES.filter((s) => s !== 'low' && s !== 'info' && summary.bySeverity[s] > 0).map(
    (s) => `${formatCount(summary.bySeverity[s])} ${s}`,
  );
  const violations =
    summary.violations === 0
      ? 'no violations'
      : `${plural(summary.violations, 'violation')}${severe.length > 0 ? ` (${severe.join(', ')})` : ''}`;
  return `${violations}, ${plural(summary.warnings, 'warning')}, ${formatCount(summary.exempt)} exempt`;
};

const violationsOf = (summary: Summary): string =>
  summary.violations === 0 ? 'no violations' : plural(summary.violations, 'violation');

/** What the first run with a history says instead of a comparison. */
export const FIRST_RUN_TREND = 'the first run with a history: nothing to compare with yet';

/**
 * The direction since the previous report: `14 violations (20 on 2026-11-16): 3 new, 9 resolved`; on the
 * first run with a history `14 violations (the first run with a history: ...)`; null without a history.
 * New and resolved count findings (warnings included), as `Trend` lists them.
 */
export const describeTrend = (report: Pick<Report, 'summary' | 'trend'>): string | null => {
  const { trend, summary } = report;
  if (trend === undefined) return null;
  if (trend.previousAsOf === null || trend.previous === null)
    return `${violationsOf(summary)} (${FIRST_RUN_TREND})`;
  return (
    `${violationsOf(summary)} (${formatCount(trend.previous.violations)} on ${formatDate(trend.previousAsOf)}): ` +
    `${formatCount(trend.new.length)} new, ${formatCount(trend.resolved.length)} resolved`
  );
};

/** A trend that compares with a previous report (not the first run with a history), or null. */
const comparedTrend = (report: Pick<Report, 'trend'>): Trend | null =>
  report.trend === undefined || report.trend.previousAsOf === null ? null : report.trend;

/** Ids of the findings the trend calls new (none without a previous report). */
export const newFindingIds = (report: Pick<Report, 'trend'>): ReadonlySet<string> =>
  new Set(comparedTrend(report)?.new ?? []);

/** What marks a finding as new in a report: `not in the report of 2026-11-16`; null when nothing can be. */
export const describeNewMark = (report: Pick<Report, 'trend'>): string | null => {
  const trend = comparedTrend(report);
  return trend === null || trend.previousAsOf === null
    ? null
    : `not in the report of ${formatDate(trend.previousAsOf)}`;
};

/** `3 accounts (1 failed), 40 users, 52 active keys`. */
export const describeScope = (summary: Summary): string =>
  `${plural(summary.accounts, 'account')}${summary.failedAccounts > 0 ? ` (${formatCount(summary.failedAccounts)} failed)` : ''}, ` +
  `${plural(summary.users, 'user')}, ${plural(summary.activeKeys, 'active key')}`;

/** The thresholds in words, so a reader can check a finding without the configuration at hand. */
export const describePolicy = (policy: Policy): string =>
  `rotate keys within ${plural(policy.maxKeyAgeDays, 'day')} (warning ${plural(policy.warnDays, 'day')} before, ` +
  `critical after ${plural(policy.maxKeyAgeDays * policy.criticalAgeMultiplier, 'day')}); ` +
  `remove keys unused for ${plural(policy.unusedDays, 'day')}; ` +
  `finish rotations within ${plural(policy.rotationGraceDays, 'day')}; ` +
  `${plural(policy.exemptions.length, 'exemption')} configured`;

/** `Incomplete: <reason>. Not scanned: 444444444444, 555555555555.` */
export const describeIncomplete = (incomplete: Incompleteness): string =>
  `Incomplete: ${oneLine(incomplete.reason)}.` +
  (incomplete.accountsNotScanned.length === 0
    ? ''
    : ` Not scanned (${formatCount(incomplete.accountsNotScanned.length)}): ${incomplete.accountsNotScanned.map(oneLine).join(', ')}.`);

/**
 * True when an alerted finding is new rather than standing. With `newSince`, new means it became true
 * after it; without, everything but critical findings and unreachable accounts (re-alerted each run).
 */
export const isNew = (finding: Finding, options: RenderOptions): boolean => {
  if (options.newSince === undefined)
    return finding.severity !== 'critical' && finding.rule !== 'account-unreachable';
  return finding.since !== null && finding.since.getTime() > options.newSince.getTime();
};

/** `new since 2026-11-14 06:00 UTC`, or `new` when the window start is unknown. */
export const describeNew = (options: RenderOptions): string =>
  options.newSince === undefined ? 'new' : `new since ${formatDateTime(options.newSince)}`;

/** A headline part; `dropRank` orders what goes first when the headline is too long (lower first). */
interface Segment {
  readonly text: string;
  readonly dropRank: number;
}

const joinSegments = (prefix: string, label: string, segments: readonly Segment[]): string =>
  `${prefix}${label}${segments.map((s) => s.text).join('')}`;

// Made on first use, like text.ts's: creating one at module load slows every start of the CLI.
let graphemeSegmenter: Intl.Segmenter | undefined;

/** `text` in at most `max` UTF-16 units, ending in `…` when shortened; whole graphemes only. */
const shorten = (text: string, max: number): string => {
  if (text.length <= max) return text;
  let out = '';
  graphemeSegmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  for (const { segment } of graphemeSegmenter.segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out}…`;
};

/**
 * Fits a headline in `maxLength` UTF-16 units (stricter than characters, which SNS counts): drops segments
 * by rank, shortens the caller's prefix (never the `ALERT` label), and only as a last resort cuts the text.
 */
const fitHeadline = (
  prefix: string,
  label: string,
  segments: readonly Segment[],
  maxLength: number,
): string => {
  let kept = [...segments];
  const fits = (p: string): boolean => joinSegments(p, label, kept).length <= maxLength;
  const ranks = [...new Set(segments.map((s) => s.dropRank))].filter((r) => r > 0).sort((a, b) => a - b);
  const longPrefix = shorten(prefix, 40);
  for (const rank of ranks) {
    if (fits(prefix)) return joinSegments(prefix, label, kept);
    if (rank >= 2 && fits(longPrefix)) return joinSegments(longPrefix, label, kept);
    kept = kept.filter((s) => s.dropRank !== rank);
  }
  if (fits(prefix)) return joinSegments(prefix, label, kept);
  const body = joinSegments('', label, kept);
  const room = maxLength - body.length;
  return room >= 2 ? shorten(prefix, room) + body : shorten(body, maxLength);
};

/** Options of `headline`. */
export interface HeadlineOptions extends RenderOptions {
  /** Replaces `key-audit`, e.g. `[prod-org] key-audit`. Control characters are removed. */
  readonly prefix?: string;
  /** @default 99 (SNS subjects must be under 100 characters) */
  readonly maxLength?: number;
}

/**
 * The one-line summary used as email subject and chat title, always at most `maxLength` long:
 *   report: `key-audit: 7 violations (2 critical) in 3 accounts, 1 failed`
 *   alert:  `key-audit ALERT: 2 new high, 1 critical in 111111111111`
 * Report counts come from the summary (the whole run, whatever was left out); alert counts from the
 * alerted findings themselves plus `omitted`, because an alert Report keeps the whole run's summary.
 */
export const headline = (report: Report, options: HeadlineOptions = {}): string => {
  const prefix = oneLine(options.prefix ?? DEFAULT_PREFIX) || DEFAULT_PREFIX;
  const max = options.maxLength ?? MAX_HEADLINE_LENGTH;
  const { summary } = report;
  const failed: Segment[] =
    summary.failedAccounts > 0
      ? [{ text: `, ${formatCount(summary.failedAccounts)} failed`, dropRank: 4 }]
      : [];
  const incomplete: Segment[] =
    report.incomplete === undefined ? [] : [{ text: ', incomplete', dropRank: 3 }];
  if ((options.kind ?? 'report') === 'report') {
    const critical = summary.bySeverity.critical;
    const trend = comparedTrend(report) === null ? null : describeTrend(report);
    // With a trend the headline leads with it, and the critical count follows as a part of its own.
    const core: Segment[] =
      trend === null
        ? [
            {
              text:
                summary.violations === 0
                  ? 'no violations'
                  : `${plural(summary.violations, 'violation')}${critical > 0 ? ` (${formatCount(critical)} critical)` : ''}`,
              dropRank: 0,
            },
          ]
        : [
            { text: trend, dropRank: 0 },
            ...(critical > 0 ? [{ text: `; ${formatCount(critical)} critical`, dropRank: 0 }] : []),
          ];
    const afterCore = trend !== null && critical === 0 ? '; ' : ', ';
    return fitHeadline(
      prefix,
      ': ',
      [
        ...core,
        ...(summary.warnings > 0
          ? [{ text: `${afterCore}${plural(summary.warnings, 'warning')}`, dropRank: 1 }]
          : []),
        { text: ` in ${plural(summary.accounts, 'account')}`, dropRank: 2 },
        ...failed,
        ...incomplete,
      ],
      max,
    );
  }
  return fitHeadline(prefix, ' ALERT: ', alertSegments(report, options), max);
};

const alertSegments = (report: Report, options: RenderOptions): Segment[] => {
  const alerted = report.findings.filter((f) => !f.exempt);
  const unreachable = alerted.filter((f) => f.rule === 'account-unreachable');
  const others = alerted.filter((f) => f.rule !== 'account-unreachable');
  const count = (fresh: boolean, severity: Severity): number =>
    others.filter((f) => f.severity === severity && isNew(f, options) === fresh).length;
  const omitted = omittedCounts(options.omitted);
  const parts: string[] = [
    ...SEVERITIES.map((s) => [count(true, s), s] as const)
      .filter(([n]) => n > 0)
      .map(([n, s], i) => `${formatCount(n)}${i === 0 ? ' new' : ''} ${s}`),
    ...SEVERITIES.map((s) => [count(false, s), s] as const)
      .filter(([n]) => n > 0)
      .map(([n, s]) => `${formatCount(n)} ${s}`),
    ...(unreachable.length > 0 ? [`${plural(unreachable.length, 'account')} unreachable`] : []),
    ...(omitted.total > 0 ? [`${formatCount(omitted.total)} more`] : []),
  ];
  const accounts = new Set([
    ...report.findings.map((f) => f.accountId),
    ...(options.omitted?.byAccount ?? []).map((a) => a.accountId),
  ]);
  const where = accounts.size === 1 ? [...accounts].join('') : plural(accounts.size, 'account');
  if (parts.length === 0) return [{ text: 'nothing new', dropRank: 0 }];
  // Later severities go first when space runs out; the first (most urgent) part always stays.
  return [
    ...parts.map((text, i) => ({
      text: i === 0 ? text : `, ${text}`,
      dropRank: i === 0 ? 0 : 10 + parts.length - i,
    })),
    { text: ` in ${where}`, dropRank: 1 },
  ];
};
