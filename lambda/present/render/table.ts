/**
 * Terminal output: a header, then account by account its scan status and its findings as aligned columns
 * (most severe first, exempt ones apart and dimmed), then a summary. Colour and width are parameters so
 * that the caller (CLI) decides from the terminal, and tests stay deterministic.
 */
import type { Finding } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import type { Severity } from '../../domain/severity.ts';
import {
  describeLastUsed,
  formatAge,
  formatDateTime,
  keyLabel,
  oneLine,
  plural,
  userLabel,
} from '../../domain/wording.ts';
import { describeDeadline, isAboutKey, ownerLabel, severityLabel } from './describe-finding.ts';
import { type AccountGroup, failedAccounts, groupByAccount } from './group.ts';
import {
  describeCounts,
  describeIncomplete,
  describeNew,
  describePolicy,
  describeScope,
  isNew,
} from './headline.ts';
import { omissionNotice } from './omitted.ts';
import type { RenderOptions } from './options.ts';
import { displayWidth, padDisplay, truncateDisplay, wrap } from './text.ts';

/** Options of `renderTable`. */
export interface TableOptions extends RenderOptions {
  /** Emit ANSI colours (by severity; exempt rows dimmed). The caller decides (TTY, NO_COLOR, --no-color). */
  readonly color: boolean;
  /** Terminal width in columns; columns shrink (values end in `…`) to fit. Unlimited when absent. */
  readonly width?: number;
}

const RESET = '\u001b[0m';
const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';
const SEVERITY_COLOUR: Readonly<Record<Severity, string>> = {
  critical: '\u001b[1;31m',
  high: '\u001b[31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  info: '\u001b[90m',
};

const INDENT = '  ';
const GAP = '  ';

interface Column {
  readonly title: string;
  /** Narrowest the column may shrink to when the terminal is too narrow. */
  readonly min: number;
}

// Order matters: the cells of a row follow it.
const COLUMNS: readonly Column[] = [
  { title: 'SEVERITY', min: 8 },
  { title: 'RULE', min: 12 },
  { title: 'USER', min: 10 },
  { title: 'KEY', min: 9 },
  { title: 'AGE', min: 8 },
  { title: 'DEADLINE', min: 19 },
  { title: 'LAST USED', min: 10 },
  { title: 'OWNER', min: 6 },
  // Room for `EXEMPT until YYYY-MM-DD`: an exemption's end date is the point of the marker.
  { title: 'NOTE', min: 23 },
];
// Which columns give way first when the terminal is narrow: least needed to act first.
const SHRINK_ORDER = [8, 7, 6, 2, 1, 5, 3, 4, 0];
// Before whole key ids are shortened, these columns give way.
const SHRINK_BEFORE_KEYS = [8, 7];

interface Row {
  readonly cells: readonly string[];
  readonly severity: Severity | null;
  readonly exempt: boolean;
}

const noteOf = (finding: Finding, options: RenderOptions): string => {
  if (finding.exemption !== null) {
    return `EXEMPT until ${oneLine(finding.exemption.until)}: ${oneLine(finding.exemption.reason)}`;
  }
  if (finding.exempt) return 'EXEMPT';
  return options.kind === 'alert' && isNew(finding, options) ? 'NEW' : '';
};

const findingRow = (finding: Finding, report: Report, options: RenderOptions, fullKeys: boolean): Row => {
  const aboutKey = isAboutKey(finding);
  return {
    severity: finding.severity,
    exempt: finding.exempt,
    cells: [
      severityLabel(finding.severity),
      finding.rule,
      userLabel(finding) ?? '-',
      keyLabel(finding.accessKeyId, finding.keySlot, { short: !fullKeys }) ?? '-',
      aboutKey ? formatAge(finding.ageDays) : '-',
      describeDeadline(finding, report.asOf, report.policy) ?? '-',
      aboutKey ? describeLastUsed(finding) : '-',
      ownerLabel(finding) ?? '-',
      noteOf(finding, options),
    ],
  };
};

const HEADER_ROW: Row = { cells: COLUMNS.map((c) => c.title), severity: null, exempt: false };

const statusLine = (group: AccountGroup): string => {
  const status = group.status;
  if (status === null) return `Account ${group.accountId}: not in the scanned account list`;
  if (status.status === 'failed') return `Account ${group.accountId}: FAILED: ${oneLine(status.error)}`;
  const source =
    status.source === 'api'
      ? 'from the IAM API'
      : `from the credential report${status.reportGeneratedAt === undefined ? '' : ` generated ${formatDateTime(status.reportGeneratedAt)}`}`;
  return `Account ${group.accountId}: scanned ${plural(status.users, 'user')}, ${plural(status.activeKeys, 'active key')} ${source}`;
};

const columnWidths = (rows: readonly Row[], width: number | undefined): number[] => {
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => displayWidth(r.cells[i] ?? ''))));
  if (width === undefined) return widths;
  let excess = totalWidth(widths) - width;
  // First down to each column's comfortable minimum; on very narrow terminals, further, to a stub.
  for (const floor of [(index: number) => COLUMNS[index]?.min ?? 0, () => 4]) {
    for (const index of SHRINK_ORDER) {
      if (excess <= 0) break;
      const current = widths[index] ?? 0;
      const cut = Math.min(excess, Math.max(0, current - floor(index)));
      widths[index] = current - cut;
      excess -= cut;
    }
  }
  return widths;
};

const totalWidth = (widths: readonly number[]): number =>
  INDENT.length + widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);

/**
 * Whole key ids are what an operator pastes into the CLI: they stay when squeezing the note and owner
 * columns is enough to fit `width`.
 */
const fitsWithFullKeys = (rows: readonly Row[], width: number): boolean => {
  const natural = columnWidths([HEADER_ROW, ...rows], undefined);
  const squeezed = natural.map((w, i) =>
    SHRINK_BEFORE_KEYS.includes(i) ? Math.min(w, COLUMNS[i]?.min ?? w) : w,
  );
  return totalWidth(squeezed) <= width;
};

const paint = (text: string, code: string, color: boolean): string =>
  color ? `${code}${text}${RESET}` : text;

const formatRow = (row: Row, widths: readonly number[], color: boolean): string => {
  const cells = row.cells.map((cell, i) => padDisplay(truncateDisplay(cell, widths[i] ?? 0), widths[i] ?? 0));
  if (row.severity !== null && !row.exempt && color) {
    cells[0] = paint(cells[0] ?? '', SEVERITY_COLOUR[row.severity], true);
  }
  const line = (INDENT + cells.join(GAP)).trimEnd();
  return row.exempt ? paint(line, DIM, color) : line;
};

/** Renders the report for a terminal. */
export const renderTable = (report: Report, options: TableOptions): string => {
  const { color, width } = options;
  const groups = groupByAccount(report, options);
  const findings = groups.flatMap((g) => [...g.findings, ...g.exempt]);
  const rowsWith = (fullKeys: boolean): Map<Finding, Row> =>
    new Map(findings.map((f) => [f, findingRow(f, report, options, fullKeys)]));
  const fullRows = rowsWith(true);
  const rows =
    width === undefined || fitsWithFullKeys([...fullRows.values()], width) ? fullRows : rowsWith(false);
  const widths = columnWidths([HEADER_ROW, ...rows.values()], width);
  const text = (line: string, indent = ''): string[] =>
    width === undefined
      ? [indent + oneLine(line)]
      : wrap(line, { width, indent: `${indent}  `, firstIndent: indent });

  const kind = options.kind ?? 'report';
  const title =
    kind === 'alert'
      ? `key-audit ALERT as of ${formatDateTime(report.asOf)}: findings ${describeNew(options)}`
      : `key-audit report as of ${formatDateTime(report.asOf)}`;
  const lines: string[] = [paint(title, BOLD, color), ...text(`Policy: ${describePolicy(report.policy)}.`)];
  if (report.incomplete !== undefined) {
    lines.push(
      ...text(describeIncomplete(report.incomplete)).map((l) => paint(l, SEVERITY_COLOUR.high, color)),
    );
  }

  for (const group of groups) {
    lines.push('');
    const status = statusLine(group);
    const failed = group.status?.status === 'failed';
    lines.push(...text(status).map((l) => paint(l, failed ? SEVERITY_COLOUR.high : BOLD, color)));
    if (group.findings.length + group.exempt.length === 0) {
      lines.push(`${INDENT}no findings`);
      continue;
    }
    lines.push(formatRow(HEADER_ROW, widths, false));
    const rowOf = (finding: Finding): string => {
      const row = rows.get(finding);
      return row === undefined ? '' : formatRow(row, widths, color);
    };
    lines.push(...group.findings.map(rowOf));
    if (group.exempt.length > 0) {
      lines.push(paint(`${INDENT}Exempt (not counted as violations):`, DIM, color));
      lines.push(...group.exempt.map(rowOf));
    }
  }

  lines.push('');
  const omission = omissionNotice(options.omitted);
  if (omission !== null) {
    lines.push(...text(omission.lead), ...omission.accounts.flatMap((l) => text(l, INDENT)), '');
  }
  const failed = failedAccounts(report);
  lines.push(
    ...text(`Summary: ${describeCounts(report.summary)}; ${describeScope(report.summary)}.`).map((l) =>
      paint(l, BOLD, color),
    ),
  );
  if (failed.length > 0) {
    lines.push(
      ...text(
        `${plural(failed.length, 'account')} could not be scanned (keys unknown): ${failed.map((a) => a.accountId).join(', ')}.`,
      ).map((l) => paint(l, SEVERITY_COLOUR.high, color)),
    );
  }
  return `${lines.join('\n')}\n`;
};
