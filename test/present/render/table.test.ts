import { describe, expect, it } from 'vitest';
import { reactivateCommand } from '../../../lambda/domain/enforcement/undo.ts';
import { DAY_MS } from '../../../lambda/domain/policy.ts';
import type { Report } from '../../../lambda/domain/report.ts';
import { userLabel } from '../../../lambda/domain/wording.ts';
import { PRODUCTION_LEGEND } from '../../../lambda/present/render/describe-finding.ts';
import { FIRST_RUN_TREND } from '../../../lambda/present/render/headline.ts';
import { renderTable } from '../../../lambda/present/render/table.ts';
import { displayWidth, stripAnsi } from '../../../lambda/present/render/text.ts';
import { demoReport } from '../../../scripts/render-examples.ts';
import {
  AS_OF,
  BROKEN,
  DEV,
  everyAction,
  everyRuleReport,
  inProduction,
  keyTooOld,
  keyUnused,
  makeReport,
  PROD,
  scanned,
  withTrend,
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

  it.each([155, 160])('does shorten key ids to keep the columns at %i columns', (width) => {
    const out = renderTable(report, { color: false, width });
    expect(out).toContain('  SEVERITY  RULE');
    expect(out).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(out).toContain('AKIA…MPLE');
  });

  it('does keep whole key ids when the width allows', () => {
    expect(renderTable(report, { color: false, width: 400 })).toContain('AKIAIOSFODNN7EXAMPLE');
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

/** The longest user name IAM allows (64 characters). */
const LONGEST_USER = `svc-${'x'.repeat(56)}-max`;

describe('renderTable at a terminal width', async () => {
  const base = everyRuleReport();
  const alice = base.findings.find((f) => f.userName === 'alice');
  const rich: Report = {
    ...withTrend(makeReport([...base.findings, keyUnused({ userName: LONGEST_USER, accountId: DEV })]), {
      new: [alice?.id ?? ''],
      previousViolations: 9,
    }),
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
  };
  const demo = await demoReport();
  const cases = [80, 100, 160].flatMap((width) => [
    ['every rule, trend and actions', width, rich] as const,
    ['the demo', width, demo] as const,
  ]);

  it.each(cases)('does keep %s within %i columns, with every user name whole', (_, width, subject) => {
    const out = stripAnsi(renderTable(subject, { color: true, width }));
    const lines = out.split('\n');
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    for (const finding of subject.findings) {
      const user = userLabel(finding);
      if (user !== null)
        expect(
          lines.some((l) => l.includes(user)),
          user,
        ).toBe(true);
    }
    expect(out).not.toMatch(/\b(key|svc|202)…/);
  });

  it('does give each finding two lines under the rule at 80 columns, whole key ids included', () => {
    const out = renderTable(demo, { color: false, width: 80 });
    expect(out).not.toContain('SEVERITY  RULE');
    expect(out).toContain(
      '  CRITICAL  key-too-old      svc-orders-api\n' +
        '            slot 1, 199 days old, overdue by 109 days, last used 2026-11-22 via\n' +
        '            dynamodb in eu-west-2\n',
    );
    const wide = renderTable(rich, { color: false, width: 80 });
    expect(wide).toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('does start the facts with a user name too long for the first line', () => {
    const out = renderTable(rich, { color: false, width: 80 });
    expect(out).toContain(`  MEDIUM    key-unused\n            ${LONGEST_USER},\n`);
  });

  it('does keep the columns at 160 for the demo, with whole user names', () => {
    const out = renderTable(demo, { color: false, width: 160 });
    expect(out).toContain('  SEVERITY  RULE             USER ');
    expect(out).toContain('contractor+acme@example.com');
  });

  it('does colour the severity and dim exempt findings in the two-line layout too, with the same text', () => {
    const coloured = renderTable(rich, { color: true, width: 80 });
    expect(coloured).toContain('\u001b[1;31mCRITICAL\u001b[0m  root-access-key');
    expect(stripAnsi(coloured)).toBe(renderTable(rich, { color: false, width: 80 }));
    const vendor = coloured.split('\n').filter((l) => l.includes('vendor-sync') && l.includes('key-too-old'));
    expect(vendor[0]?.startsWith('\u001b[2m')).toBe(true);
  });
});

describe('renderTable with a history and enforcement', () => {
  const base = everyRuleReport();
  const alice = base.findings.find((f) => f.userName === 'alice');

  it('does give the trend under the title, and mark new findings', () => {
    const out = renderTable(
      withTrend(base, { new: [alice?.id ?? ''], resolved: ['gone'], previousViolations: 9 }),
      {
        color: false,
      },
    );
    expect(out.split('\n')[1]).toBe('Trend: 7 violations (9 on 2026-11-08): 1 new, 1 resolved.');
    expect(
      out
        .split('\n')
        .find((l) => l.includes(' alice '))
        ?.trimEnd()
        .endsWith('NEW'),
    ).toBe(true);
    expect(out).toContain('  NEW: not in the report of 2026-11-08.');
  });

  it('does say the first run with a history has nothing to compare with, and no trend without a history', () => {
    expect(renderTable(withTrend(base, 'first-run'), { color: false })).toContain(
      `Trend: 7 violations (${FIRST_RUN_TREND}).`,
    );
    expect(renderTable(base, { color: false })).not.toContain('Trend:');
    expect(renderTable(base, { color: false })).not.toMatch(/ NEW$/m);
  });

  it('does list every action, failed first, a deactivation with its undo command', () => {
    const out = renderTable({ ...base, actions: everyAction() }, { color: false });
    const section = out.slice(out.indexOf('Actions: 1 failed, 2 done, 2 planned, 1 skipped'));
    const statuses = section
      .split('\n')
      .filter((l) => /^ {2}[A-Z]+ (deactivate|delete) /.test(l))
      .map((l) => l.trim().split(' ')[0]);
    expect(statuses).toEqual(['FAILED', 'DONE', 'DONE', 'PLANNED', 'PLANNED', 'SKIPPED']);
    expect(section).toContain(`    Undo: ${reactivateCommand('ci-deployer', 'AKIAJUNUSEDKEY000001')}`);
    expect(section.split('Undo: ').length - 1).toBe(3);
  });

  it('does break undo commands into pasteable lines at 80 columns', () => {
    const out = renderTable({ ...base, actions: everyAction() }, { color: false, width: 80 });
    expect(out.replace(/ \\\n +/g, ' ')).toContain(
      `Undo: ${reactivateCommand('later-user', 'AKIAPLANNEDLATER0001')}`,
    );
  });

  it('does list exemptions new since the last report', () => {
    const out = renderTable(
      {
        ...base,
        newExemptions: [
          {
            accountId: DEV,
            userName: 'vendor-sync',
            until: '2026-12-31',
            reason: 'vendor integration',
            source: 'tag',
          },
        ],
      },
      { color: false },
    );
    expect(out).toContain(
      'New exemptions since the last report: 1\n  vendor-sync in 222222222222: exempt until 2026-12-31 (tag): vendor integration',
    );
  });

  it("does give each rule's next step once, and tell 2nd line first only with production keys", () => {
    const out = renderTable(base, { color: false });
    expect(out).toContain('Next steps:\n  root-access-key: Find where the root key is used');
    expect(out.split('key-too-old: Rotate:').length - 1).toBe(1);
    expect(out).not.toContain(PRODUCTION_LEGEND);
    const prod = renderTable(makeReport([inProduction(keyTooOld()), keyUnused({ accountId: DEV })]), {
      color: false,
    });
    expect(prod).toContain(`  ${PRODUCTION_LEGEND}`);
    expect(
      prod
        .split('\n')
        .find((l) => l.includes(' alice '))
        ?.trimEnd()
        .endsWith('production'),
    ).toBe(true);
  });

  it('does say where the complete report is', () => {
    const out = renderTable({ ...base, storedAt: { uri: 's3://history/x.json' } }, { color: false });
    expect(out.trimEnd().endsWith('The complete report: s3://history/x.json')).toBe(true);
  });
});
