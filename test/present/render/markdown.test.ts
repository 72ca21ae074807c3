import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../lambda/domain/catalogue.ts';
import { escapeMarkdown, renderMarkdown } from '../../../lambda/present/render/markdown.ts';
import { BROKEN, DEV, everyRuleReport, keyTooOld, keyUnused, makeReport, PROD } from './report-factory.ts';

const report = everyRuleReport();
const md = renderMarkdown(report);
const lines = md.split('\n');

/** Cells of a table row: split on pipes that are not escaped. */
const cells = (row: string): string[] =>
  row
    .trim()
    .slice(1, -1)
    .split(/(?<!\\)\|/);

describe('renderMarkdown', () => {
  it('does open with the headline and the as-of instant', () => {
    expect(lines[0]).toBe('# key-audit: 7 violations (2 critical), 2 warnings in 3 accounts, 1 failed');
    expect(md).toContain('As of 2026-11-15 06:00 UTC.');
  });

  it('does give every account a heading, the failed one its error', () => {
    for (const id of [PROD, DEV, BROKEN])
      expect(lines).toContain(`## Account \`${id}\`${id === BROKEN ? ' (failed)' : ''}`);
    expect(md).toContain('**Could not be scanned; its keys are unknown:** AccessDenied');
  });

  it('does give each severity of an account its own table', () => {
    const prod = md.slice(md.indexOf(`## Account \`${PROD}\``), md.indexOf(`## Account \`${DEV}\``));
    expect(prod).toContain('### Critical (2)');
    expect(prod).toContain('### High (1)');
    expect(prod).toContain('### Medium (3)');
    expect(prod).not.toContain('### Low');
  });

  it('does keep every table row as wide as its header', () => {
    let width = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        width = 0;
      } else if (width === 0) {
        width = cells(line).length;
      } else {
        expect(cells(line)).toHaveLength(width);
      }
    }
  });

  it('does escape Markdown in values so that a pipe or underscore cannot break a table', () => {
    const hostile = renderMarkdown(
      makeReport([keyTooOld({ userName: 'svc_a|b', owner: '*boss* <script>' })]),
    );
    const row = hostile.split('\n').find((l) => l.includes('svc'));
    expect(row).toContain('svc\\_a\\|b');
    expect(row).toContain('\\*boss\\* \\<script\\>');
    expect(cells(row ?? '')).toHaveLength(7);
  });

  it('does list exempt findings in their own table with reason and end date', () => {
    const start = lines.indexOf('### Exempt (1, not counted)');
    expect(start).toBeGreaterThan(-1);
    const row = lines.slice(start).find((l) => l.includes('vendor-sync'));
    expect(row).toContain('2026-12-31');
    expect(row).toContain('vendor integration');
  });

  it('does show the summary counts', () => {
    const header = lines.findIndex((l) => l.startsWith('| Violations'));
    const values = cells(lines[header + 2] ?? '').map((c) => c.trim());
    const names = cells(lines[header] ?? '').map((c) => c.trim());
    expect(values[names.indexOf('Violations')]).toBe(String(report.summary.violations));
    expect(values[names.indexOf('Failed')]).toBe('1');
    expect(values[names.indexOf('Exempt')]).toBe('1');
  });

  it('does describe the rules referenced, and only those', () => {
    const only = renderMarkdown(makeReport([keyUnused()]));
    const section = only.slice(only.indexOf('## Rules referenced'));
    expect(section).toContain(`\`key-unused\`, medium (CIS 1.12, IAM.22): ${CATALOGUE['key-unused'].title}`);
    expect(section).toContain(CATALOGUE['key-unused'].remediation);
    expect(section).not.toContain('key-too-old');
    expect(section).not.toContain('Rotation runbook');
    const all = md.slice(md.indexOf('## Rules referenced'));
    for (const rule of new Set(report.findings.map((f) => f.rule))) expect(all).toContain(`\`${rule}\``);
    expect(all).toContain('### Rotation runbook');
  });

  it('does describe rotations in progress', () => {
    expect(md).toContain('## Rotations in progress');
    expect(md).toContain('still in use');
  });

  it('does mark findings new or standing when alerting', () => {
    const alert = renderMarkdown(report, { kind: 'alert' });
    expect(alert.split('\n')[0]).toContain('ALERT');
    const row = alert.split('\n').find((l) => l.includes('| alice |'));
    expect(row?.endsWith('| new |')).toBe(true);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['zoë_1', 'zoë\\_1'],
    ['[x](y)', '\\[x\\](y)'],
    ['line\nbreak', 'line break'],
  ])('does escape %j as %j', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });
});
