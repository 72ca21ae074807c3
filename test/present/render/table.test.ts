import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../lambda/domain/policy.ts';
import { renderTable } from '../../../lambda/present/render/table.ts';
import { displayWidth, stripAnsi } from '../../../lambda/present/render/text.ts';
import {
  AS_OF,
  BROKEN,
  DEV,
  everyRuleReport,
  keyTooOld,
  keyUnused,
  makeReport,
  PROD,
  scanned,
} from './report-factory.ts';

const ESC = '\u001b';
const report = everyRuleReport();
const plain = renderTable(report, { color: false });
const lines = plain.split('\n');
const headerLines = lines.filter((l) => l.trimStart().startsWith('SEVERITY'));

describe('renderTable', () => {
  it('does open with the as-of instant and the policy limits', () => {
    expect(lines[0]).toContain('2026-11-15 06:00 UTC');
    expect(plain).toContain('rotate keys within 90 days');
    expect(plain).toContain('unused for 45 days');
  });

  it('does give every account its scan status, failed ones with their error', () => {
    expect(plain).toContain(
      `Account ${PROD}: scanned 12 users, 15 active keys from the credential report generated`,
    );
    expect(plain).toContain(`Account ${BROKEN}: FAILED: AccessDenied`);
    expect(plain.indexOf(`Account ${PROD}`)).toBeLessThan(plain.indexOf(`Account ${DEV}`));
  });

  it('does show every field of a finding on its row', () => {
    const row = lines.find((l) => l.includes(' alice '));
    for (const value of ['HIGH', 'key-too-old', 'AKIAIOSFODNN7EXAMPLE', '134 days', 'overdue by 44 days']) {
      expect(row).toContain(value);
    }
    expect(row).toContain('2026-10-02 via s3 in eu-west-2');
    expect(row).toContain('team-payments@example.com');
    expect(lines.find((l) => l.includes('root user'))).toContain('slot 1');
    expect(lines.find((l) => l.includes('ci-deployer'))).toContain('never used');
  });

  it('does align every column across accounts, multi-byte names included', () => {
    const header = headerLines[0] ?? '';
    // Splits a line at a terminal column (zoë and 🚀 are narrower/wider than their UTF-16 length).
    const splitAt = (line: string, column: number): [string, string] => {
      let used = 0;
      let index = 0;
      for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(line)) {
        if (used >= column) break;
        used += displayWidth(segment);
        index += segment.length;
      }
      return [line.slice(0, index), line.slice(index)];
    };
    const findingRows = lines.filter((l) => /^ {2}(CRITICAL|HIGH|MEDIUM|LOW|INFO) /.test(l));
    expect(findingRows.length).toBe(report.findings.length);
    for (const row of findingRows) {
      for (const title of ['RULE', 'USER', 'KEY', 'AGE', 'DEADLINE', 'LAST USED', 'OWNER']) {
        const [before, from] = splitAt(row, header.indexOf(title));
        expect(before.endsWith('  ')).toBe(true);
        expect(from.startsWith(' ')).toBe(false);
      }
    }
    expect(new Set(headerLines).size).toBe(1);
  });

  it('does pad by terminal columns when an owner has emoji before the note column', () => {
    const exemption = { reason: 'vendor', until: '2026-12-31', source: 'config' as const };
    const out = renderTable(
      makeReport([
        keyTooOld({ owner: 'Zoë 🚀🚀', exemption }),
        keyTooOld({ userName: 'bob', accessKeyId: 'AKIABOBBOBBOBBOB0001', owner: 'plain-owner', exemption }),
      ]),
      { color: false },
    );
    const noteColumns = out
      .split('\n')
      .filter((l) => l.includes('EXEMPT until'))
      .map((l) => displayWidth(l.slice(0, l.indexOf('EXEMPT until'))));
    expect(noteColumns).toHaveLength(2);
    expect(noteColumns[0]).toBe(noteColumns[1]);
  });

  it('does list exempt findings apart with their end date and not count them as violations', () => {
    const exemptHeading = lines.findIndex((l) => l.includes('Exempt (not counted as violations)'));
    const exemptRow = lines.findIndex((l) => l.includes('vendor-sync'));
    expect(exemptHeading).toBeGreaterThan(-1);
    expect(exemptRow).toBeGreaterThan(exemptHeading);
    expect(lines[exemptRow]).toContain('EXEMPT until 2026-12-31');
    expect(plain).toContain(`${report.summary.violations} violations`);
    expect(plain).toContain('1 exempt');
  });

  it('does end with the summary and the failed accounts', () => {
    const tail = lines.slice(-4).join('\n');
    expect(tail).toContain('Summary: 7 violations (2 critical, 2 high, 3 medium), 2 warnings, 1 exempt');
    expect(tail).toContain(`could not be scanned (keys unknown): ${BROKEN}`);
  });

  it('does emit no escape sequence when color is false', () => {
    expect(plain).not.toContain(ESC);
  });

  it('does colour severities and dim exempt rows when color is true, with the same text', () => {
    const coloured = renderTable(report, { color: true });
    expect(coloured).toContain(`${ESC}[1;31mCRITICAL`);
    expect(coloured).toContain(`${ESC}[31mHIGH`);
    expect(coloured).toContain(`${ESC}[33mMEDIUM`);
    expect(
      coloured
        .split('\n')
        .find((l) => l.includes('vendor-sync'))
        ?.startsWith(`${ESC}[2m`),
    ).toBe(true);
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it('does keep values from repainting the terminal when tags carry control characters', () => {
    const hostile = makeReport([keyTooOld({ owner: `evil${ESC}[2J\nowner` })]);
    const out = renderTable(hostile, { color: false });
    expect(out).not.toContain(ESC);
    expect(out.split('\n').find((l) => l.includes('alice'))).toContain('evil [2J owner');
  });

  it.each([100, 120, 160])('does fit rows into %i columns when a width is given', (width) => {
    const out = renderTable(report, { color: true, width });
    for (const line of out.split('\n')) {
      const visible = stripAnsi(line);
      if (displayWidth(visible) > width) expect(visible.trim()).not.toContain(' ');
    }
  });

  it('does keep whole key ids when the width allows, shortened ones when it does not', () => {
    expect(renderTable(report, { color: false, width: 400 })).toContain('AKIAIOSFODNN7EXAMPLE');
    const narrow = renderTable(report, { color: false, width: 100 });
    expect(narrow).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(narrow).toContain('AKIA…MPLE');
  });

  it('does say so when an account has no findings', () => {
    const clean = makeReport([keyUnused({ accountId: PROD })], { accounts: [scanned(PROD), scanned(DEV)] });
    expect(renderTable(clean, { color: false })).toMatch(new RegExp(`Account ${DEV}: .*\\n {2}no findings`));
  });

  it('does title alerts, mark new findings and leave out accounts without findings when alerting', () => {
    const alert = makeReport([keyTooOld({ ageDays: 90 })], { accounts: [scanned(PROD), scanned(DEV)] });
    const out = renderTable(alert, {
      color: false,
      kind: 'alert',
      newSince: new Date(AS_OF.getTime() - DAY_MS),
    });
    expect(out.split('\n')[0]).toContain('key-audit ALERT');
    expect(out).toContain('new since 2026-11-14 06:00 UTC');
    expect(
      out
        .split('\n')
        .find((l) => l.includes('alice'))
        ?.trimEnd()
        .endsWith('NEW'),
    ).toBe(true);
    expect(out).not.toContain(`Account ${DEV}`);
  });

  it('does report what a size limit left out, per account', () => {
    const out = renderTable(report, {
      color: false,
      omitted: {
        total: 12,
        reason: 'to fit 262,144 bytes',
        byAccount: [
          {
            accountId: DEV,
            total: 12,
            exempt: 2,
            byRule: { 'key-unused': 10 },
            bySeverity: { critical: 0, high: 0, medium: 10, low: 0, info: 0 },
          },
        ],
      },
    });
    expect(out).toContain('12 findings not shown to fit 262,144 bytes');
    expect(out).toContain(`${DEV}: 10 medium, 2 exempt`);
  });

  it('does warn when the run is incomplete', () => {
    const partial = makeReport([keyUnused()], {
      incomplete: { reason: 'stopped 60 s before the Lambda timeout', accountsNotScanned: ['444444444444'] },
    });
    expect(renderTable(partial, { color: false })).toContain(
      'Incomplete: stopped 60 s before the Lambda timeout. Not scanned (1): 444444444444.',
    );
  });
});
