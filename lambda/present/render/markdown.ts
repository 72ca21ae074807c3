/**
 * Markdown (GitHub-flavoured) for issues, wikis and files: a heading per account, a table per severity,
 * exempt findings apart, the summary, and the rules the findings refer to with their remediation.
 */
import { CATALOGUE, ROTATION_STEPS } from '../../domain/catalogue.ts';
import type { Finding, RuleId } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import { SEVERITIES } from '../../domain/severity.ts';
import {
  describeLastUsed,
  formatAge,
  formatCount,
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
  ownerLabel,
  runbookSteps,
  SECOND_LINE_NOTICE,
} from './describe-finding.ts';
import { groupByAccount } from './group.ts';
import {
  describeIncomplete,
  describeNew,
  describePolicy,
  type HeadlineOptions,
  headline,
  isNew,
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

const findingCells = (finding: Finding, report: Report, options: RenderOptions): string[] => {
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
  return options.kind === 'alert' ? [...cells, isNew(finding, options) ? 'new' : 'standing'] : cells;
};

const FINDING_HEADER = ['Rule', 'User', 'Key', 'Age', 'Deadline', 'Last used', 'Owner'];

/** Renders the report as Markdown. */
export const renderMarkdown = (report: Report, options: MarkdownOptions = {}): string => {
  const kind = options.kind ?? 'report';
  const { summary } = report;
  const out: string[] = [`# ${escapeMarkdown(headline(report, { ...options, maxLength: 200 }))}`, ''];
  out.push(
    `As of ${formatDateTime(report.asOf)}${kind === 'alert' ? `; findings ${describeNew(options)} and standing emergencies` : ''}.`,
    '',
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

  const header = kind === 'alert' ? [...FINDING_HEADER, 'New'] : FINDING_HEADER;
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
          findings.map((f) => findingCells(f, report, options)),
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
    out.push(`${SECOND_LINE_NOTICE}`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
};
