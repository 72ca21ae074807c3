/**
 * Markdown (GitHub-flavoured) for issues, wikis and files: the summary and trend, enforcement actions and
 * new exemptions, a heading per account with a table per severity (new and production keys marked),
 * exempt findings apart, and the rules the findings refer to with their next step, said once.
 */
import { CATALOGUE, ROTATION_STEPS } from '../../domain/catalogue.ts';
import type { Finding, RuleId } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import { SEVERITIES } from '../../domain/severity.ts';
import {
  describeLastUsed,
  formatAge,
  formatCount,
  formatDate,
  formatDateTime,
  keyLabel,
  oneLine,
  plural,
  userLabel,
} from '../../domain/wording.ts';
import {
  describeDeadline,
  describeRotation,
  isAboutKey,
  isProductionKey,
  ownerLabel,
  PRODUCTION_LEGEND,
  PRODUCTION_MARK,
  runbookSteps,
} from './describe-finding.ts';
import {
  actionStatusLabel,
  describeActionCounts,
  describeNewExemption,
  orderActions,
  undoOf,
} from './describe-run.ts';
import { groupByAccount } from './group.ts';
import {
  describeIncomplete,
  describeNew,
  describeNewMark,
  describePolicy,
  describeTrend,
  type HeadlineOptions,
  headline,
  isNew,
  newFindingIds,
} from './headline.ts';
import { omissionNotice } from './omitted.ts';
import type { RenderOptions } from './options.ts';

/** Options of `renderMarkdown`. */
export interface MarkdownOptions extends RenderOptions, Pick<HeadlineOptions, 'prefix'> {}

/** `text` with Markdown syntax characters escaped, on one line (safe in a table cell). */
export const escapeMarkdown = (text: string): string => oneLine(text).replace(/[\\`*_[\]<>|~#]/g, '\\$&');

/** `text` as inline code; identifiers never contain backticks, but a fence that fits is chosen anyway. */
const code = (text: string): string => {
  const value = oneLine(text);
  return value.includes('`') ? `\`\` ${value} \`\`` : `\`${value}\``;
};

const tableRow = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  tableRow(header),
  tableRow(header.map(() => '---')),
  ...rows.map(tableRow),
];

/** `new`, `production`: what the Note column of a report says about a finding. */
const notesOf = (finding: Finding, fresh: ReadonlySet<string>): string =>
  [...(fresh.has(finding.id) ? ['new'] : []), ...(isProductionKey(finding) ? [PRODUCTION_MARK] : [])].join(
    ', ',
  );

const findingCells = (
  finding: Finding,
  report: Report,
  options: RenderOptions,
  notes: ReadonlySet<string> | null,
): string[] => {
  const aboutKey = isAboutKey(finding);
  const cells = [
    code(finding.rule),
    escapeMarkdown(userLabel(finding) ?? '-'),
    escapeMarkdown(keyLabel(finding.accessKeyId, finding.keySlot, { short: true }) ?? '-'),
    aboutKey ? formatAge(finding.ageDays) : '-',
    describeDeadline(finding, report.asOf, report.policy) ?? '-',
    aboutKey ? escapeMarkdown(describeLastUsed(finding)) : '-',
    escapeMarkdown(ownerLabel(finding) ?? '-'),
  ];
  if (options.kind === 'alert') return [...cells, isNew(finding, options) ? 'new' : 'standing'];
  return notes === null ? cells : [...cells, notesOf(finding, notes) || '-'];
};

/** The actions of the run as a table, a deactivation with the command that undoes it. */
const actionsSection = (report: Report): string[] => {
  const actions = report.actions;
  if (actions === undefined) return [];
  const out = [`## Actions (${describeActionCounts(actions)})`, ''];
  if (actions.length === 0) return [...out, 'No key was deactivated or deleted, and none is announced.', ''];
  return [
    ...out,
    ...table(
      ['Status', 'Action', 'Key', 'User', 'Account', 'Due', 'Reason', 'Undo'],
      orderActions(actions).map((action) => {
        const undo = undoOf(action);
        return [
          actionStatusLabel(action.status),
          action.type,
          action.accessKeyId === null ? '-' : code(action.accessKeyId),
          escapeMarkdown(action.userName),
          `${code(action.accountId)}${action.production ? ` (${PRODUCTION_MARK})` : ''}`,
          formatDate(action.dueAt),
          escapeMarkdown(action.reason),
          undo === null ? '-' : code(undo),
        ];
      }),
    ),
    '',
  ];
};

const FINDING_HEADER = ['Rule', 'User', 'Key', 'Age', 'Deadline', 'Last used', 'Owner'];

/** Renders the report as Markdown. */
export const renderMarkdown = (report: Report, options: MarkdownOptions = {}): string => {
  const kind = options.kind ?? 'report';
  const { summary } = report;
  const out: string[] = [`# ${escapeMarkdown(headline(report, { ...options, maxLength: 200 }))}`, ''];
  const trend = kind === 'report' ? describeTrend(report) : null;
  out.push(
    `As of ${formatDateTime(report.asOf)}${kind === 'alert' ? `; findings ${describeNew(options)} and standing emergencies` : ''}.`,
    '',
    ...(trend === null ? [] : [`Trend: ${escapeMarkdown(trend)}.`, '']),
    `Policy: ${escapeMarkdown(describePolicy(report.policy))}.`,
    '',
  );
  if (report.incomplete !== undefined)
    out.push(`> **${escapeMarkdown(describeIncomplete(report.incomplete))}**`, '');

  out.push('## Summary', '');
  out.push(
    ...table(
      [
        'Violations',
        ...SEVERITIES.map((s) => s[0]?.toUpperCase() + s.slice(1)),
        'Warnings',
        'Exempt',
        'Accounts',
        'Failed',
        'Users',
        'Active keys',
      ],
      [
        [
          summary.violations,
          ...SEVERITIES.map((s) => summary.bySeverity[s]),
          summary.warnings,
          summary.exempt,
          summary.accounts,
          summary.failedAccounts,
          summary.users,
          summary.activeKeys,
        ].map(formatCount),
      ],
    ),
    '',
    'Violations are non-exempt findings of medium severity or above; warnings are low and info.',
    '',
  );
  if (report.storedAt !== undefined) {
    const { uri, consoleUrl } = report.storedAt;
    out.push(
      `The complete report: ${code(uri)}${consoleUrl === undefined ? '' : ` ([S3 console](<${oneLine(consoleUrl)}>))`}.`,
      '',
    );
  }

  out.push(...actionsSection(report));
  const fresh = report.newExemptions ?? [];
  if (fresh.length > 0) {
    out.push(
      `## New exemptions since the last report (${formatCount(fresh.length)})`,
      '',
      ...fresh.map((e) => `- ${escapeMarkdown(describeNewExemption(e))}`),
      '',
    );
  }

  // Reports mark new findings (with a trend) and production keys in a Note column, only when any is.
  const newIds = newFindingIds(report);
  const notes =
    kind === 'report' && report.findings.some((f) => !f.exempt && (newIds.has(f.id) || isProductionKey(f)))
      ? newIds
      : null;
  const header =
    kind === 'alert'
      ? [...FINDING_HEADER, 'New']
      : notes === null
        ? FINDING_HEADER
        : [...FINDING_HEADER, 'Note'];
  const rotations: Finding[] = [];
  for (const group of groupByAccount(report, options)) {
    const status = group.status;
    out.push(`## Account ${code(group.accountId)}${status?.status === 'failed' ? ' (failed)' : ''}`, '');
    if (status === null) out.push('Not in the scanned account list.', '');
    else if (status.status === 'failed') {
      out.push(`**Could not be scanned; its keys are unknown:** ${escapeMarkdown(status.error)}`, '');
    } else {
      const source =
        status.source === 'api'
          ? 'the IAM API'
          : `the credential report${status.reportGeneratedAt === undefined ? '' : ` generated ${formatDateTime(status.reportGeneratedAt)}`}`;
      out.push(
        `Scanned ${plural(status.users, 'user')} and ${plural(status.activeKeys, 'active key')} from ${source}.`,
        '',
      );
    }
    if (group.findings.length + group.exempt.length === 0) out.push('No findings.', '');
    for (const severity of SEVERITIES) {
      const findings = group.findings.filter((f) => f.severity === severity);
      if (findings.length === 0) continue;
      out.push(`### ${severity[0]?.toUpperCase()}${severity.slice(1)} (${formatCount(findings.length)})`, '');
      out.push(
        ...table(
          header,
          findings.map((f) => findingCells(f, report, options, notes)),
        ),
        '',
      );
      rotations.push(...findings.filter((f) => f.rotation !== undefined));
    }
    if (group.exempt.length > 0) {
      out.push(`### Exempt (${formatCount(group.exempt.length)}, not counted)`, '');
      out.push(
        ...table(
          ['Rule', 'Severity', 'User', 'Key', 'Until', 'Reason', 'Declared in'],
          group.exempt.map((f) => [
            code(f.rule),
            f.severity,
            escapeMarkdown(userLabel(f) ?? '-'),
            escapeMarkdown(keyLabel(f.accessKeyId, f.keySlot, { short: true }) ?? '-'),
            escapeMarkdown(f.exemption?.until ?? '-'),
            escapeMarkdown(f.exemption?.reason ?? '-'),
            f.exemption?.source ?? '-',
          ]),
        ),
        '',
      );
    }
  }

  if (rotations.length > 0) {
    out.push('## Rotations in progress', '');
    for (const f of rotations) {
      out.push(
        `- ${code(f.accountId)} ${escapeMarkdown(userLabel(f) ?? '-')}: ${escapeMarkdown(describeRotation(f) ?? '')}`,
      );
    }
    out.push('');
  }

  const omission = omissionNotice(options.omitted);
  if (omission !== null) {
    out.push(
      '## Not shown',
      '',
      escapeMarkdown(omission.lead),
      '',
      ...omission.accounts.map((l) => `- ${escapeMarkdown(l)}`),
      '',
    );
  }

  const referenced = new Set<RuleId>(report.findings.map((f) => f.rule));
  if (referenced.size > 0) {
    out.push('## Rules referenced', '');
    for (const rule of Object.values(CATALOGUE).filter((r) => referenced.has(r.id))) {
      const controls = rule.controls.length > 0 ? ` (${rule.controls.join(', ')})` : '';
      out.push(
        // Catalogue text is ours and written as Markdown (`maxKeyAgeDays` in backticks): not escaped.
        `- ${code(rule.id)}, ${rule.defaultSeverity}${controls}: ${rule.title}. ${rule.when} **Next step:** ${rule.remediation}`,
      );
    }
    out.push('');
    if (report.findings.some((f) => runbookSteps(f).length > 0)) {
      out.push('### Rotation runbook', '', ...ROTATION_STEPS.map((step, i) => `${i + 1}. ${step}`), '');
    }
    const legend = [
      ...(notes !== null && describeNewMark(report) !== null ? [`New: ${describeNewMark(report)}.`] : []),
      ...(report.findings.some((f) => !f.exempt && isProductionKey(f)) ? [PRODUCTION_LEGEND] : []),
    ];
    if (legend.length > 0) out.push(legend.join(' '), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
};
