/**
 * The body of a JSON-structured SNS message for a report (or an alert's slice of one): `default` a short
 * summary (SNS requires it), `email` the plain-text rendering, `https` the AWS Chatbot notification,
 * `sqs` and `lambda` the JSON report. SNS caps the whole message in bytes, so the body is fitted to a
 * budget in stages, each used only when the one before cannot fit:
 *   1. `complete`: everything.
 *   2. `findings-summarised`: the most important findings that fit; the rest counted per account
 *      (`fitToBytes`: whole findings only, every protocol showing the same ones).
 *   3. `accounts-summarised`: as 2, and the JSON lists failed accounts only (an organisation of about
 *      a thousand accounts fills the budget with its account list alone).
 *   4. `summary-only`: counts only, in every protocol; findings and accounts are left to the CLI.
 *   5. `minimal`: `default` and `email` only, each of bounded size; other protocols receive `default`.
 * Nothing is cut mid-finding and nothing is ever too large to publish.
 */

import type { Report } from '../../domain/report.ts';
import { SEVERITIES } from '../../domain/severity.ts';
import { formatCount, formatDateTime, plural } from '../../domain/wording.ts';
import { describeActionCounts, describeStoredAt } from '../render/describe-run.ts';
import { describeTrend } from '../render/headline.ts';
import {
  fitToBytes,
  type OmittedFindings,
  type RenderKind,
  renderEmail,
  renderJson,
  renderSlackJson,
} from '../render/index.ts';
import { utf8Bytes } from '../render/text.ts';
import type { MessageProtocol } from './message.ts';

/** Which stage of fitting a message needed (see the module comment). */
export type FitStage =
  | 'complete'
  | 'findings-summarised'
  | 'accounts-summarised'
  | 'summary-only'
  | 'minimal';

/** How to build a structured message. */
export interface StructuredMessageOptions {
  readonly kind: RenderKind;
  /** For alerts: the start of the window findings are new in. */
  readonly newSince?: Date;
  /** The `default` protocol text: short, it is what SMS and unknown protocols receive. */
  readonly defaultText: string;
  /** UTF-8 bytes the message may take (the caller keeps room for the subject and attributes). */
  readonly maxBytes: number;
}

/** A fitted message body. */
export interface StructuredMessage {
  /** The `Message` parameter: a JSON object of strings by protocol. */
  readonly message: string;
  /** Its UTF-8 size. */
  readonly bytes: number;
  /** The findings the renderings leave out, or null when all are shown. */
  readonly omitted: OmittedFindings | null;
  readonly stage: FitStage;
}

/** Most ids listed in the bounded renderings of stages 4 and 5. */
export const MAX_IDS_LISTED = 20;

const body = (protocols: Partial<Record<MessageProtocol, string>> & { default: string }): string =>
  JSON.stringify(protocols);

const listIds = (ids: readonly string[]): string =>
  ids.length <= MAX_IDS_LISTED
    ? ids.join(', ')
    : `${ids.slice(0, MAX_IDS_LISTED).join(', ')} and ${plural(ids.length - MAX_IDS_LISTED, 'more')}`;

const tooLarge = (maxBytes: number): string =>
  `too large for one SNS message (${formatCount(maxBytes)} bytes available)`;

/** Plain text of bounded size: the counts, failed and unscanned accounts (a few ids), and where to look. */
export const summaryText = (
  report: Report,
  options: Pick<StructuredMessageOptions, 'kind' | 'maxBytes'>,
): string => {
  const { summary } = report;
  const severe = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map(
    (s) => `${formatCount(summary.bySeverity[s])} ${s}`,
  );
  const failed = report.accounts.filter((a) => a.status === 'failed').map((a) => a.accountId);
  const lines = [
    `key-audit ${options.kind === 'alert' ? 'ALERT' : 'report'} as of ${formatDateTime(report.asOf)}.`,
    '',
    `This ${options.kind === 'alert' ? 'alert' : 'report'} is ${tooLarge(options.maxBytes)}, so its findings are counted, not listed.`,
    ...(report.storedAt === undefined
      ? [
          'Run "key-audit scan --format markdown" (or --format json) with the same accounts for every finding.',
        ]
      : describeStoredAt(report.storedAt)),
    '',
    `Findings: ${plural(report.findings.length, 'finding')}${severe.length > 0 ? ` (${severe.join(', ')})` : ''}.`,
    `Violations: ${formatCount(summary.violations)}; warnings: ${formatCount(summary.warnings)}; exempt: ${formatCount(summary.exempt)}.`,
    `Accounts: ${formatCount(summary.accounts)} (${formatCount(summary.failedAccounts)} failed); users: ${formatCount(summary.users)}; active keys: ${formatCount(summary.activeKeys)}.`,
  ];
  const trend = options.kind === 'report' ? describeTrend(report) : null;
  if (trend !== null) lines.push(`Trend: ${trend}.`);
  if (report.actions !== undefined && report.actions.length > 0) {
    lines.push(`Actions: ${describeActionCounts(report.actions)}.`);
  }
  if (failed.length > 0) lines.push(`Could not be scanned (keys unknown): ${listIds(failed)}.`);
  if (report.incomplete !== undefined) {
    const notScanned = report.incomplete.accountsNotScanned;
    lines.push(
      `INCOMPLETE: ${report.incomplete.reason.slice(0, 300)}.${notScanned.length > 0 ? ` Not scanned: ${listIds(notScanned)}.` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
};

/** Stages 1 and 2 (and 3 with `accountNote`): every protocol rendered, findings fitted to the budget. */
const fitFindings = (
  report: Report,
  options: StructuredMessageOptions,
  accountNote: string | null,
): StructuredMessage | null => {
  const renderOptions = (omitted: OmittedFindings | null) => ({
    kind: options.kind,
    omitted,
    ...(options.newSince === undefined ? {} : { newSince: options.newSince }),
  });
  const withNote = (omitted: OmittedFindings | null): OmittedFindings | null => {
    if (accountNote === null) return omitted;
    return omitted === null
      ? { total: 0, byAccount: [], reason: accountNote }
      : { ...omitted, reason: `${omitted.reason}; ${accountNote}` };
  };
  const render = (subset: Report, omitted: OmittedFindings | null): string => {
    const json = renderJson(subset, { ...renderOptions(withNote(omitted)), indent: 0 });
    return body({
      default: options.defaultText,
      email: renderEmail(subset, renderOptions(omitted)).body,
      https: renderSlackJson(subset, renderOptions(omitted)),
      sqs: json,
      lambda: json,
    });
  };
  const fit = fitToBytes(render, report, options.maxBytes);
  if (!fit.fits) return null;
  const stage: FitStage =
    accountNote !== null ? 'accounts-summarised' : fit.omitted === null ? 'complete' : 'findings-summarised';
  return { message: fit.text, bytes: fit.bytes, omitted: fit.omitted, stage };
};

/**
 * The trend's ids, the actions and the new exemptions of `report`, each cut to `MAX_IDS_LISTED`, and
 * whether anything was cut: they grow with the organisation like findings do.
 */
const boundedRunLists = (
  report: Report,
): { readonly lists: Pick<Report, 'trend' | 'actions' | 'newExemptions'>; readonly cut: boolean } => {
  const first = <T>(list: readonly T[]): readonly T[] => list.slice(0, MAX_IDS_LISTED);
  const { trend, actions, newExemptions } = report;
  const cut = [trend?.new, trend?.resolved, actions, newExemptions].some(
    (list) => list !== undefined && list.length > MAX_IDS_LISTED,
  );
  return {
    lists: {
      ...(trend === undefined
        ? {}
        : { trend: { ...trend, new: first(trend.new), resolved: first(trend.resolved) } }),
      ...(actions === undefined ? {} : { actions: first(actions) }),
      ...(newExemptions === undefined ? {} : { newExemptions: first(newExemptions) }),
    },
    cut,
  };
};

/** Stage 4: no finding or account listed anywhere; the JSON keeps the summary and the contract's shape. */
const summaryOnly = (report: Report, options: StructuredMessageOptions): StructuredMessage | null => {
  const incomplete = report.incomplete;
  const notScanned = incomplete?.accountsNotScanned ?? [];
  const { lists, cut } = boundedRunLists(report);
  const omitted: OmittedFindings = {
    total: report.findings.length,
    byAccount: [],
    reason:
      `because the ${options.kind} is ${tooLarge(options.maxBytes)}; accounts are not listed either` +
      (cut ? `; of the trend's ids, actions and new exemptions, the first ${MAX_IDS_LISTED} of each` : ''),
  };
  const jsonReport: Report = {
    ...report,
    ...lists,
    accounts: [],
    findings: [],
    ...(incomplete === undefined
      ? {}
      : {
          incomplete: {
            reason:
              notScanned.length > MAX_IDS_LISTED
                ? `${incomplete.reason} (the first ${MAX_IDS_LISTED} of ${notScanned.length} accounts not scanned are listed)`
                : incomplete.reason,
            accountsNotScanned: notScanned.slice(0, MAX_IDS_LISTED),
          },
        }),
  };
  const json = renderJson(jsonReport, {
    kind: options.kind,
    omitted,
    indent: 0,
    ...(options.newSince === undefined ? {} : { newSince: options.newSince }),
  });
  const message = body({
    default: options.defaultText,
    email: summaryText(report, options),
    // The chat notification lists at most a few findings whatever the report's size.
    https: renderSlackJson(report, {
      kind: options.kind,
      ...(options.newSince === undefined ? {} : { newSince: options.newSince }),
    }),
    sqs: json,
    lambda: json,
  });
  const bytes = utf8Bytes(message);
  return bytes <= options.maxBytes ? { message, bytes, omitted, stage: 'summary-only' } : null;
};

/** Stage 5: bounded text only. */
const minimal = (report: Report, options: StructuredMessageOptions): StructuredMessage | null => {
  const message = body({ default: options.defaultText, email: summaryText(report, options) });
  const bytes = utf8Bytes(message);
  const omitted: OmittedFindings = {
    total: report.findings.length,
    byAccount: [],
    reason: `because the ${options.kind} is ${tooLarge(options.maxBytes)}`,
  };
  return bytes <= options.maxBytes ? { message, bytes, omitted, stage: 'minimal' } : null;
};

/**
 * The JSON-structured message for `report`, fitted to `options.maxBytes` (see the module comment for the
 * stages). Throws a RangeError only when even the bounded summary does not fit, i.e. for a budget of a
 * few kilobytes, which is a caller's mistake.
 */
export const buildStructuredMessage = (
  report: Report,
  options: StructuredMessageOptions,
): StructuredMessage => {
  const failedOnly = report.accounts.filter((a) => a.status === 'failed');
  const scannedCount = report.accounts.length - failedOnly.length;
  const result =
    fitFindings(report, options, null) ??
    (scannedCount > 0
      ? fitFindings(
          { ...report, accounts: failedOnly },
          options,
          `the ${plural(scannedCount, 'scanned account')} are not listed (counted in the summary)`,
        )
      : null) ??
    summaryOnly(report, options) ??
    minimal(report, options);
  if (result === null) {
    throw new RangeError(`even a summary does not fit in ${options.maxBytes} bytes`);
  }
  return result;
};
