/** The README's rules table, generated from the catalogue so that documentation and code cannot drift. */
import { RULES, type RuleMetadata } from './catalogue.ts';

const HEADER = ['Rule', 'Severity', 'When', 'What to do', 'CIS / Security Hub'] as const;

/** A Markdown table cell: pipes escaped and line breaks flattened, so a cell cannot break the table. */
const cell = (text: string): string => text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');

const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;

const severity = (rule: RuleMetadata): string =>
  rule.severityNote === undefined ? rule.defaultSeverity : `${rule.defaultSeverity}; ${rule.severityNote}`;

/** A Markdown table of every rule in catalogue order: id, severity, when, what to do, controls. */
export const renderRulesTable = (): string =>
  [
    row(HEADER),
    row(HEADER.map(() => '---')),
    ...RULES.map((rule) =>
      row([
        `\`${rule.id}\``,
        severity(rule),
        rule.when,
        rule.remediation,
        rule.controls.length === 0 ? '-' : rule.controls.join(', '),
      ]),
    ),
  ].join('\n');
