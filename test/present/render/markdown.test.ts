import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../lambda/domain/catalogue.ts';
import { reactivateCommand } from '../../../lambda/domain/enforcement/undo.ts';
import { PRODUCTION_LEGEND } from '../../../lambda/present/render/describe-finding.ts';
import { FIRST_RUN_TREND } from '../../../lambda/present/render/headline.ts';
import { escapeMarkdown, renderMarkdown } from '../../../lambda/present/render/markdown.ts';
import {
  BROKEN,
  DEV,
  everyAction,
  everyRuleReport,
  inProduction,
  keyTooOld,
  keyUnused,
  makeReport,
  PROD,
  withTrend,
} from './report-factory.ts';

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

describe('renderMarkdown with a history and enforcement', () => {
  const alice = report.findings.find((f) => f.userName === 'alice');
  const rich = renderMarkdown({
    ...withTrend(report, { new: [alice?.id ?? ''], resolved: ['gone'], previousViolations: 9 }),
    actions: everyAction(),
    newExemptions: [
      {
        accountId: DEV,
        userName: 'vendor-sync',
        until: '2026-12-31',
        reason: 'vendor integration',
        source: 'tag',
      },
    ],
    storedAt: { uri: 's3://history/x.json', consoleUrl: 'https://console.example/x' },
  });
  const richLines = rich.split('\n');

  it('does give the trend in the headline and a line of its own', () => {
    expect(richLines[0]).toMatch(/^# key-audit: 7 violations \(9 on 2026-11-08\): 1 new, 1 resolved; /);
    expect(rich).toContain('\nTrend: 7 violations (9 on 2026-11-08): 1 new, 1 resolved.\n');
    expect(md).not.toContain('Trend:');
    expect(renderMarkdown(withTrend(report, 'first-run'))).toContain(
      `Trend: 7 violations (${FIRST_RUN_TREND}).`,
    );
  });

  it('does mark new findings in a Note column, and say what new means', () => {
    const row = richLines.find((l) => l.includes('| alice |'));
    expect(row?.endsWith('| new |')).toBe(true);
    expect(rich).toContain('New: not in the report of 2026-11-08.');
    expect(lines.some((l) => l.startsWith('| Rule |') && l.includes('Note'))).toBe(false);
  });

  it('does list every action in a table, failed first, deactivations with their undo command', () => {
    const start = richLines.indexOf('## Actions (1 failed, 2 done, 2 planned, 1 skipped)');
    expect(start).toBeGreaterThan(-1);
    const rows = richLines.slice(start + 4, start + 10).map((l) => cells(l).map((c) => c.trim()));
    expect(rows.map((r) => r[0])).toEqual(['FAILED', 'DONE', 'DONE', 'PLANNED', 'PLANNED', 'SKIPPED']);
    expect(rows[1]?.at(-1)).toBe(`\`${reactivateCommand('ci-deployer', 'AKIAJUNUSEDKEY000001')}\``);
    expect(rows[2]?.at(-1)).toBe('-');
    expect(rows.find((r) => r.includes('later-user'))?.[4]).toBe(`\`${PROD}\` (production)`);
    expect(renderMarkdown({ ...report, actions: [] })).toContain(
      '## Actions (none)\n\nNo key was deactivated or deleted, and none is announced.',
    );
    expect(md).not.toContain('## Actions');
  });

  it('does list new exemptions and say where the complete report is', () => {
    expect(rich).toContain(
      '## New exemptions since the last report (1)\n\n- vendor-sync in 222222222222: exempt until 2026-12-31 (tag): vendor integration',
    );
    expect(rich).toContain(
      'The complete report: `s3://history/x.json` ([S3 console](<https://console.example/x>)).',
    );
  });

  it('does mark production keys and tell 2nd line first once, only when there are any', () => {
    const prod = renderMarkdown(makeReport([inProduction(keyTooOld()), keyUnused({ accountId: DEV })]));
    expect(
      prod
        .split('\n')
        .find((l) => l.includes('| alice |'))
        ?.endsWith('| production |'),
    ).toBe(true);
    expect(prod.split(PRODUCTION_LEGEND).length - 1).toBe(1);
    expect(md).not.toContain(PRODUCTION_LEGEND);
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
