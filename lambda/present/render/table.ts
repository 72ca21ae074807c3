/**
 * Terminal output: a header (with the trend), then account by account its scan status and its findings
 * (most severe first, exempt ones apart and dimmed), then what enforcement did, new exemptions, each rule's
 * next step once, and a summary. Colour and width are parameters so that the caller (CLI) decides from the
 * terminal, and tests stay deterministic.
 *
 * Findings are aligned columns where the terminal is wide enough to show them with user names and key ids
 * whole (only the note, owner and last-use columns give way); on a narrower terminal (80 columns) each
 * finding takes two lines instead: severity, rule and user, then its facts wrapped beneath.
 */
import type { Finding, RuleId } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import type { Severity } from '../../domain/severity.ts';
import {
  describeLastUsed,
  formatAge,
  formatDateTime,
  keyLabel,
  oneLine,
  plural,
  usedPhrase,
  userLabel,
} from '../../domain/wording.ts';
import {
  describeDeadline,
  isAboutKey,
  isProductionKey,
  ownerLabel,
  PRODUCTION_LEGEND,
  PRODUCTION_MARK,
  remediationOf,
  severityLabel,
} from './describe-finding.ts';
import {
  actionStatusLabel,
  describeAction,
  describeActionCounts,
  describeNewExemption,
  describeStoredAt,
  orderActions,
  undoOf,
} from './describe-run.ts';
import { type AccountGroup, failedAccounts, groupByAccount, mostSevereFirst } from './group.ts';
import {
  describeCounts,
  describeIncomplete,
  describeNew,
  describeNewMark,
  describePolicy,
  describeScope,
  describeTrend,
  isNew,
  newFindingIds,
} from './headline.ts';
import { omissionNotice } from './omitted.ts';
import type { RenderOptions } from './options.ts';
import { displayWidth, padDisplay, truncateDisplay, wrap, wrapCommand } from './text.ts';

/** Options of `renderTable`. */
export interface TableOptions extends RenderOptions {
  /** Emit ANSI colours (by severity; exempt rows dimmed). The caller decides (TTY, NO_COLOR, --no-color). */
  readonly color: boolean;
  /**
   * Terminal width in columns: no line is wider (but for a single unbreakable word). Columns shrink (values
   * end in `…`) where that keeps user names and key ids whole, else findings take two lines each.
   * Unlimited when absent.
   */
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
/** Width of the severity column: the longest label, `CRITICAL`. */
const SEVERITY_WIDTH = 8;

interface Column {
  readonly title: string;
  /** Narrowest the column may shrink to when the terminal is too narrow. */
  readonly min: number;
}

// Order matters: the cells of a row follow it.
const COLUMNS: readonly Column[] = [
  { title: 'SEVERITY', min: SEVERITY_WIDTH },
  { title: 'RULE', min: 12 },
  { title: 'USER', min: 10 },
  { title: 'KEY', min: 9 },
  { title: 'AGE', min: 8 },
  { title: 'DEADLINE', min: 19 },
  // Room for the date and the service: the region is what gives way first.
  { title: 'LAST USED', min: 24 },
  { title: 'OWNER', min: 6 },
  // Room for `EXEMPT until YYYY-MM-DD` and the `…` after it: an exemption's end date is the point of the marker.
  { title: 'NOTE', min: 24 },
];
// The columns that may shrink in the column layout, first to give way first; the others stay whole.
const SHRINKABLE = [8, 7, 6];

interface Row {
  readonly cells: readonly string[];
  readonly severity: Severity | null;
  readonly exempt: boolean;
}

/** Marks of a finding: its exemption, else `NEW` (alerts: new in the window; reports: per the trend), production. */
const noteOf = (finding: Finding, options: RenderOptions, fresh: ReadonlySet<string>): string => {
  if (finding.exemption !== null) {
    return `EXEMPT until ${oneLine(finding.exemption.until)}: ${oneLine(finding.exemption.reason)}`;
  }
  if (finding.exempt) return 'EXEMPT';
  const marks = [
    ...((options.kind === 'alert' ? isNew(finding, options) : fresh.has(finding.id)) ? ['NEW'] : []),
    ...(isProductionKey(finding) ? [PRODUCTION_MARK] : []),
  ];
  return marks.join(', ');
};

const findingRow = (
  finding: Finding,
  report: Report,
  options: RenderOptions,
  fresh: ReadonlySet<string>,
  fullKeys: boolean,
): Row => {
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
      noteOf(finding, options, fresh),
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

const naturalWidths = (rows: readonly Row[]): number[] =>
  COLUMNS.map((_, i) => Math.max(...rows.map((r) => displayWidth(r.cells[i] ?? ''))));

const totalWidth = (widths: readonly number[]): number =>
  INDENT.length + widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);

/**
 * Column widths for `rows` within `width`, shrinking only the note, owner and last-use columns (down to
 * their minimum); null when that is not enough, i.e. the column layout would cut user names or key ids.
 */
const columnWidths = (rows: readonly Row[], width: number | undefined): number[] | null => {
  const widths = naturalWidths([HEADER_ROW, ...rows]);
  if (width === undefined) return widths;
  let excess = totalWidth(widths) - width;
  for (const index of SHRINKABLE) {
    if (excess <= 0) break;
    const current = widths[index] ?? 0;
    const cut = Math.min(excess, Math.max(0, current - (COLUMNS[index]?.min ?? 0)));
    widths[index] = current - cut;
    excess -= cut;
  }
  return excess <= 0 ? widths : null;
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

/** Where the facts of a finding start in the two-line layout: under the rule. */
const STACK_INDENT = ' '.repeat(INDENT.length + SEVERITY_WIDTH + GAP.length);

/**
 * A finding in two (or more) lines for narrow terminals: severity, rule and the whole user name; then the
 * whole key id, age, deadline, last use, owner and note, wrapped under the rule. A user name too long for
 * the first line opens the second.
 */
const stackedLines = (
  finding: Finding,
  report: Report,
  note: string,
  layout: { readonly ruleWidth: number; readonly width: number; readonly color: boolean },
): string[] => {
  const { ruleWidth, width, color } = layout;
  const severity = severityLabel(finding.severity);
  const user = userLabel(finding) ?? '-';
  const lead = (label: string): string =>
    `${INDENT}${padDisplay(label, SEVERITY_WIDTH)}${GAP}${padDisplay(finding.rule, ruleWidth)}`;
  const userFits = displayWidth(lead(severity)) + GAP.length + displayWidth(user) <= width;
  const aboutKey = isAboutKey(finding);
  const facts = [
    ...(userFits ? [] : [user]),
    keyLabel(finding.accessKeyId, finding.keySlot),
    aboutKey ? `${formatAge(finding.ageDays)} old` : null,
    describeDeadline(finding, report.asOf, report.policy),
    aboutKey ? usedPhrase(finding) : null,
    ownerLabel(finding) === null ? null : `owner ${ownerLabel(finding)}`,
    note === '' ? null : note,
  ].filter((fact): fact is string => fact !== null);
  const painted =
    !finding.exempt && color ? paint(severity, SEVERITY_COLOUR[finding.severity], true) : severity;
  const first = (userFits ? `${lead(painted)}${GAP}${user}` : lead(painted)).trimEnd();
  const lines = [
    first,
    ...(facts.length === 0 ? [] : wrap(facts.join(', '), { width, indent: STACK_INDENT })),
  ];
  return finding.exempt ? lines.map((l) => paint(l, DIM, color)) : lines;
};

/** Renders the report for a terminal. */
export const renderTable = (report: Report, options: TableOptions): string => {
  const { color, width } = options;
  const kind = options.kind ?? 'report';
  const fresh = newFindingIds(report);
  const groups = groupByAccount(report, options);
  const findings = groups.flatMap((g) => [...g.findings, ...g.exempt]);
  const rowsWith = (fullKeys: boolean): Map<Finding, Row> =>
    new Map(findings.map((f) => [f, findingRow(f, report, options, fresh, fullKeys)]));
  // Whole key ids are what an operator pastes into the CLI: shortened only when that saves the columns.
  const fullRows = rowsWith(true);
  const shortRows = rowsWith(false);
  const fullWidths = columnWidths([...fullRows.values()], width);
  const shortWidths = fullWidths === null ? columnWidths([...shortRows.values()], width) : null;
  const layout =
    fullWidths !== null
      ? { rows: fullRows, widths: fullWidths }
      : shortWidths !== null
        ? { rows: shortRows, widths: shortWidths }
        : { rows: fullRows, widths: null };
  const ruleWidth = Math.max(0, ...findings.map((f) => displayWidth(f.rule)));
  const text = (line: string, indent = ''): string[] =>
    width === undefined
      ? [indent + oneLine(line)]
      : wrap(line, { width, indent: `${indent}  `, firstIndent: indent });

  const title =
    kind === 'alert'
      ? `key-audit ALERT as of ${formatDateTime(report.asOf)}: findings ${describeNew(options)}`
      : `key-audit report as of ${formatDateTime(report.asOf)}`;
  const trend = kind === 'report' ? describeTrend(report) : null;
  const lines: string[] = [
    ...text(title).map((l) => paint(l, BOLD, color)),
    ...(trend === null ? [] : text(`Trend: ${trend}.`)),
    ...text(`Policy: ${describePolicy(report.policy)}.`),
  ];
  if (report.incomplete !== undefined) {
    lines.push(
      ...text(describeIncomplete(report.incomplete)).map((l) => paint(l, SEVERITY_COLOUR.high, color)),
    );
  }

  const rowLines = (finding: Finding): string[] => {
    const row = layout.rows.get(finding);
    if (row === undefined) return [];
    return layout.widths === null
      ? stackedLines(finding, report, noteOf(finding, options, fresh), {
          ruleWidth,
          width: width ?? Number.POSITIVE_INFINITY,
          color,
        })
      : [formatRow(row, layout.widths, color)];
  };
  for (const group of groups) {
    lines.push('');
    const status = statusLine(group);
    const failed = group.status?.status === 'failed';
    lines.push(...text(status).map((l) => paint(l, failed ? SEVERITY_COLOUR.high : BOLD, color)));
    if (group.findings.length + group.exempt.length === 0) {
      lines.push(`${INDENT}no findings`);
      continue;
    }
    if (layout.widths !== null) lines.push(formatRow(HEADER_ROW, layout.widths, false));
    lines.push(...group.findings.flatMap(rowLines));
    if (group.exempt.length > 0) {
      lines.push(paint(`${INDENT}Exempt (not counted as violations):`, DIM, color));
      lines.push(...group.exempt.flatMap(rowLines));
    }
  }

  lines.push(...runSections(report, text, width));
  lines.push(...nextSteps(report, findings, fresh, text));

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
  if (report.storedAt !== undefined) lines.push(...describeStoredAt(report.storedAt).flatMap((l) => text(l)));
  return `${lines.join('\n')}\n`;
};

type TextLines = (line: string, indent?: string) => string[];

/** What enforcement did (with undo commands) and the exemptions new since the last report. */
const runSections = (report: Report, text: TextLines, width: number | undefined): string[] => {
  const lines: string[] = [];
  const actions = report.actions;
  if (actions !== undefined) {
    lines.push('', `Actions: ${describeActionCounts(actions)}`);
    for (const action of orderActions(actions)) {
      lines.push(
        ...text(`${actionStatusLabel(action.status)} ${describeAction(action, report.asOf)}`, INDENT),
      );
      const undo = undoOf(action);
      if (undo !== null) {
        lines.push(
          ...(width === undefined
            ? [`${INDENT}${INDENT}Undo: ${undo}`]
            : wrapCommand(undo, {
                width,
                firstIndent: `${INDENT}${INDENT}Undo: `,
                indent: `${INDENT.repeat(3)}`,
              })),
        );
      }
    }
  }
  const fresh = report.newExemptions ?? [];
  if (fresh.length > 0) {
    lines.push('', `New exemptions since the last report: ${fresh.length}`);
    for (const exemption of fresh) lines.push(...text(describeNewExemption(exemption), INDENT));
  }
  return lines;
};

/** Each rule's next step once (most severe rule first), and what the marks mean. */
const nextSteps = (
  report: Report,
  findings: readonly Finding[],
  fresh: ReadonlySet<string>,
  text: TextLines,
): string[] => {
  const active = findings.filter((f) => !f.exempt);
  if (active.length === 0) return [];
  const first = new Map<RuleId, Finding>();
  for (const finding of mostSevereFirst(active)) {
    if (!first.has(finding.rule)) first.set(finding.rule, finding);
  }
  const newMark = describeNewMark(report);
  return [
    '',
    'Next steps:',
    ...[...first].flatMap(([rule, finding]) => text(`${rule}: ${remediationOf(finding)}`, INDENT)),
    ...(newMark !== null && active.some((f) => fresh.has(f.id)) ? text(`NEW: ${newMark}.`, INDENT) : []),
    ...(active.some(isProductionKey) ? text(PRODUCTION_LEGEND, INDENT) : []),
  ];
};
