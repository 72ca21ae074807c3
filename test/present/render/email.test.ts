import { describe, expect, it } from 'vitest';
import { CATALOGUE, ROTATION_STEPS } from '../../../lambda/domain/catalogue.ts';
import { reactivateCommand } from '../../../lambda/domain/enforcement/undo.ts';
import type { Finding } from '../../../lambda/domain/finding.ts';
import { DAY_MS } from '../../../lambda/domain/policy.ts';
import { describeLastUsed, formatAge, keyLabel, userLabel } from '../../../lambda/domain/wording.ts';
import { describeDeadline, TELL_SECOND_LINE } from '../../../lambda/present/render/describe-finding.ts';
import { FINDING_BULLET, renderEmail } from '../../../lambda/present/render/email.ts';
import { FIRST_RUN_TREND } from '../../../lambda/present/render/headline.ts';
import { describeDropped } from '../../../lambda/present/render/omitted.ts';
import {
  AS_OF,
  BROKEN,
  DEV,
  everyAction,
  everyRuleReport,
  inProduction,
  keyDueSoon,
  keyTooOld,
  keyUnused,
  largeReport,
  makeReport,
  PROD,
  reportedAction,
  scanned,
  tagExemption,
  twoActiveKeys,
  withTrend,
} from './report-factory.ts';

const report = everyRuleReport();
const { subject, body } = renderEmail(report);
const lines = body.split('\n');

/** The finding lines of a weekly report body. */
const findingLines = (text: string): string[] =>
  text.split('\n').filter((l) => /^ {2}- (NEW )?(CRITICAL|HIGH|MEDIUM|LOW|INFO) /.test(l));

/** The one finding line naming `finding`'s rule, user and key. */
const lineOf = (text: string, finding: Finding): string | undefined =>
  findingLines(text).find(
    (l) =>
      l.includes(` ${finding.rule}: `) &&
      l.includes(`: ${userLabel(finding) ?? finding.accountId}`) &&
      l.includes(keyLabel(finding.accessKeyId, finding.keySlot) ?? ''),
  );

/** The numbered finding blocks of an alert body: from `N. ` at the start of a line to the next blank line. */
const blocks = (text: string): string[] =>
  text
    .split('\n\n')
    .filter((chunk) => /^\d+\. /.test(chunk))
    .map((chunk) => chunk.replace(/\n {15}/g, ' '));

const blockOf = (text: string, finding: Finding): string | undefined =>
  blocks(text).find(
    (b) => b.includes(`Account:    ${finding.accountId}`) && b.includes(`User:       ${userLabel(finding)}`),
  );

/** Occurrences of `part` in `text`. */
const count = (text: string, part: string): number => text.split(part).length - 1;

/** `text` with shell continuation lines joined back into one command. */
const joinContinuations = (text: string): string => text.replace(/ \\\n +/g, ' ');

describe('renderEmail subject', () => {
  it('does give the counts in under 100 characters', () => {
    expect(subject).toBe('key-audit: 7 violations (2 critical), 2 warnings in 3 accounts, 1 failed');
  });

  it('does lead with the trend when the report has one', () => {
    const trended = withTrend(report, {
      new: ['a', 'b'],
      resolved: ['c', 'd', 'e', 'f'],
      previousViolations: 9,
    });
    expect(renderEmail(trended).subject).toBe(
      'key-audit: 7 violations (9 on 2026-11-08): 2 new, 4 resolved; 2 critical in 3 accounts, 1 failed',
    );
  });

  it('does keep the subject of today on the first run with a history', () => {
    expect(renderEmail(withTrend(report, 'first-run')).subject).toBe(subject);
  });

  it.each([
    ['a long prefix', { prefix: 'x'.repeat(150) }],
    ['an emoji prefix', { prefix: '🔑'.repeat(60) }],
    ['an alert with a long prefix', { kind: 'alert' as const, prefix: 'y'.repeat(99) }],
  ])('does stay under 100 characters with %s', (_, options) => {
    expect(renderEmail(largeReport(600), options).subject.length).toBeLessThan(100);
    expect(
      renderEmail(withTrend(largeReport(600), { new: ['x'], previousViolations: 12_345 }), options).subject
        .length,
    ).toBeLessThan(100);
  });
});

describe('renderEmail weekly report', () => {
  it('does lead with the deadlines', () => {
    const first = body.split('\n\n')[1] ?? '';
    expect(first.startsWith('DEADLINES')).toBe(true);
    expect(first).toContain('2 keys overdue for rotation (the worst overdue by 200 days)');
    expect(first).toContain('1 key due for rotation within 14 days (the first due in 5 days)');
  });

  it('does put unscanned accounts before the findings, with the error and the next step', () => {
    const failed = body.indexOf('!! 1 ACCOUNT COULD NOT BE SCANNED');
    expect(failed).toBeGreaterThan(-1);
    expect(failed).toBeLessThan(body.indexOf('FINDINGS BY'));
    expect(body.slice(failed)).toMatch(new RegExp(`- ${BROKEN}: AccessDenied`));
    expect(body.slice(failed)).toContain('Next step: Fix the cause the finding names');
  });

  const actionable = report.findings.filter((f) => !f.exempt && f.rule !== 'account-unreachable');

  it('does give each finding exactly one line', () => {
    expect(findingLines(body)).toHaveLength(actionable.length);
  });

  it.each(actionable.map((f) => [f.rule, userLabel(f), f] as const))(
    'does give severity, rule, user, key, deadline and last use on the line of %s of %s',
    (_, __, finding) => {
      const line = lineOf(body, finding);
      expect(line).toBeDefined();
      expect(line).toContain(`${finding.severity.toUpperCase()} ${finding.rule}: `);
      const deadline = describeDeadline(finding, report.asOf, report.policy);
      if (deadline !== null) expect(line).toContain(deadline);
      if (finding.accessKeyId !== null || finding.keySlot !== null) {
        expect(line).toContain(finding.lastUsedAt === null ? 'never used' : describeLastUsed(finding));
      } else {
        expect(line).toContain(finding.message);
      }
    },
  );

  it('does give the age where a finding has no deadline', () => {
    const unused = report.findings.find((f) => f.rule === 'key-unused') as Finding;
    expect(lineOf(body, unused)).toContain(`${formatAge(unused.ageDays)} old, never used`);
  });

  it('does group by owner where users carry an owner tag, naming the account, and by account for the rest', () => {
    const owner = lines.indexOf('  Owner team-payments@example.com: 1 critical, 1 high, 2 medium, 1 low');
    expect(owner).toBeGreaterThan(-1);
    const alice = report.findings.find((f) => f.userName === 'alice') as Finding;
    expect(lineOf(body, alice)).toContain(`in ${PROD}`);
    expect(lines.indexOf(`  Account ${PROD}, no owner tag: 1 critical, 1 medium`)).toBeGreaterThan(owner);
    const root = report.findings.find((f) => f.rule === 'root-access-key') as Finding;
    expect(lineOf(body, root)).not.toContain(`in ${PROD}`);
  });

  it('does group by account alone when no user has an owner tag', () => {
    const text = renderEmail(
      makeReport([keyTooOld({ owner: null }), keyUnused({ owner: null, accountId: DEV })]),
    ).body;
    expect(text).toContain('FINDINGS BY ACCOUNT\n');
    expect(text).toContain(`\n  Account ${PROD}: 1 high\n`);
    expect(text).toContain(`\n  Account ${DEV}: 1 medium\n`);
    expect(text).not.toContain('no owner tag');
  });

  it("does say each rule's next step once, and the runbook once", () => {
    for (const rule of new Set(actionable.map((f) => f.rule))) {
      expect(count(body, CATALOGUE[rule].remediation.slice(0, 40)), rule).toBe(1);
    }
    expect(count(body, 'ROTATION RUNBOOK')).toBe(1);
    expect(count(body, ROTATION_STEPS[0] ?? '')).toBe(1);
    expect(body).toContain(`  - key-too-old (2): ${CATALOGUE['key-too-old'].remediation.slice(0, 30)}`);
  });

  it('does grow by one line per finding, whatever the number of findings', () => {
    const many = (n: number) =>
      renderEmail(
        makeReport(
          Array.from({ length: n }, (_, i) =>
            keyTooOld({ userName: `user-${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}` }),
          ),
        ),
      ).body.split('\n').length;
    expect(many(300) - many(10)).toBe(290);
  });

  it('does mark findings new since the previous report, and say what NEW means', () => {
    const alice = report.findings.find((f) => f.userName === 'alice') as Finding;
    const text = renderEmail(withTrend(report, { new: [alice.id], previousViolations: 5 })).body;
    expect(lineOf(text, alice)?.startsWith(`${FINDING_BULLET}NEW HIGH key-too-old: alice`)).toBe(true);
    expect(findingLines(text).filter((l) => l.startsWith(`${FINDING_BULLET}NEW `))).toHaveLength(1);
    expect(text.replace(/\n\s+/g, ' ')).toContain('NEW: not in the report of 2026-11-08.');
    expect(text.replace(/\n/g, ' ')).toMatch(
      /^key-audit report as of 2026-11-15 06:00 UTC: 7 violations \(5 on 2026-11-08\): 1 new, 0 resolved\. /,
    );
  });

  it.each([
    ['no trend', report],
    ['the first run with a history', withTrend(report, 'first-run')],
  ])('does mark nothing new with %s', (_, subjectReport) => {
    const text = renderEmail(subjectReport).body;
    expect(findingLines(text).some((l) => l.includes('- NEW '))).toBe(false);
    expect(text).not.toContain('NEW:');
  });

  it('does say the first run with a history has nothing to compare with yet', () => {
    const text = renderEmail(withTrend(report, 'first-run')).body.replace(/\n/g, ' ');
    expect(text).toContain(`7 violations (${FIRST_RUN_TREND})`);
  });

  it('does mark production keys and say once to tell 2nd line first, only when there are any', () => {
    const prod = inProduction(keyTooOld());
    const text = renderEmail(makeReport([prod, keyUnused({ accountId: DEV, owner: null })])).body;
    expect(lineOf(text, prod)?.endsWith(', production')).toBe(true);
    expect(count(text, TELL_SECOND_LINE)).toBe(1);
    expect(text).toContain(`  Production keys: ${TELL_SECOND_LINE}`);
    expect(body).not.toContain(TELL_SECOND_LINE);
    expect(findingLines(body).some((l) => l.endsWith('production'))).toBe(false);
  });

  it('does list exempt findings once per exemption, with its end, source and reason, not as findings', () => {
    const exemption = tagExemption('2027-01-31', 'partner bridge');
    const text = renderEmail(
      makeReport([
        keyTooOld({ userName: 'ftp-a', accessKeyId: 'AKIAFTPA000000000001', exemption }),
        keyUnused({ userName: 'ftp-a', accessKeyId: 'AKIAFTPA000000000001', exemption }),
        keyTooOld({ userName: 'ftp-b', accessKeyId: 'AKIAFTPB000000000001', exemption }),
      ]),
    ).body;
    const section = text.slice(text.indexOf('EXEMPT (3 findings, not counted as violations)'));
    expect(count(section, 'partner bridge')).toBe(1);
    expect(section.replace(/\n\s+/g, ' ')).toContain(
      `Exempt until 2027-01-31 (tag): partner bridge. ftp-a in ${PROD} (AKIAFTPA000000000001): key-too-old, key-unused; ` +
        `ftp-b in ${PROD} (AKIAFTPB000000000001): key-too-old`,
    );
    expect(findingLines(text)).toEqual([]);
  });

  it.each([60, 78, 100])(
    'does wrap lines to %i columns except finding lines and unbreakable tokens',
    (wrapWidth) => {
      const hostile = makeReport([
        ...report.findings,
        keyTooOld({
          userName: 'svc-with-a-rather-long-name-for-an-iam-user-that-goes-on-and-on-and-on-and-on',
          owner: `platform team ${'https://wiki.example.com/teams/platform/runbooks/'.repeat(3)}`,
        }),
      ]);
      const text = renderEmail({ ...hostile, actions: everyAction() }, { wrapWidth }).body;
      const findings = new Set(findingLines(text));
      for (const line of text.split('\n')) {
        if ([...line].length > wrapWidth && !findings.has(line)) {
          // Only a label and one token (URL, ARN, id) may run past the width.
          expect(
            line
              .trim()
              .replace(/^[A-Za-z ]+: +/, '')
              .replace(/^- /, ''),
          ).not.toContain(' ');
        }
      }
    },
  );

  it('does say there is nothing to act on when the report is clean', () => {
    const clean = renderEmail(makeReport([], { accounts: [scanned(PROD)] }));
    expect(clean.subject).toBe('key-audit: no violations in 1 account');
    expect(clean.body).toContain('No rotation deadline has passed or is near.');
    expect(clean.body).toContain('Nothing to act on.');
    expect(clean.body).not.toContain('ROTATION RUNBOOK');
    expect(clean.body).not.toContain('NEXT STEPS');
  });

  it('does say when the run is incomplete', () => {
    const partial = makeReport(report.findings, {
      incomplete: { reason: 'stopped before the Lambda timeout', accountsNotScanned: ['444444444444'] },
    });
    const text = renderEmail(partial).body;
    expect(text).toContain('!! INCOMPLETE RUN');
    expect(text).toContain('444444444444');
  });
});

describe('renderEmail actions', () => {
  const withActions = renderEmail({ ...report, actions: everyAction() }).body;
  const section = joinContinuations(
    withActions.slice(withActions.indexOf('ACTIONS ('), withActions.indexOf('FINDINGS BY')),
  );
  const items = section.split('\n').filter((l) => l.startsWith('  - '));

  it('does count the actions by status in the heading', () => {
    expect(section.startsWith('ACTIONS (1 failed, 2 done, 2 planned, 1 skipped)')).toBe(true);
  });

  it('does list failed actions first, then done, planned (soonest first) and skipped', () => {
    expect(items.map((l) => l.split(' ')[3])).toEqual([
      'FAILED',
      'DONE',
      'DONE',
      'PLANNED',
      'PLANNED',
      'SKIPPED',
    ]);
    expect(section.indexOf('plan-mode-user')).toBeLessThan(section.indexOf('later-user'));
  });

  it('does give the exact undo command of a deactivation done or planned, and none otherwise', () => {
    for (const user of ['ci-deployer', 'later-user', 'plan-mode-user']) {
      const action = everyAction().find((a) => a.userName === user);
      expect(section).toContain(`Undo: ${reactivateCommand(user, action?.accessKeyId ?? '')}`);
    }
    expect(section).toContain(
      'Undo: aws iam update-access-key --user-name ci-deployer --access-key-id AKIAJUNUSEDKEY000001 --status Active',
    );
    expect(count(section, 'Undo: ')).toBe(3);
  });

  it('does say when an action is due, and when a planned one will happen', () => {
    expect(section).toContain('PLANNED deactivate AKIAPLANNEDLATER0001 of later-user in');
    expect(section.replace(/\n\s+/g, ' ')).toContain('(production), on or after 2026-11-22:');
    expect(section.replace(/\n\s+/g, ' ')).toContain(
      'FAILED deactivate AKIAFAILEDKEY0000001 of denied-user in 111111111111, due 2026-11-15: AccessDenied',
    );
  });

  it('does say when enforcement had nothing to do, and nothing without enforcement', () => {
    expect(renderEmail({ ...report, actions: [] }).body).toContain(
      'ACTIONS\n  No key was deactivated or deleted, and none is announced.',
    );
    expect(body).not.toContain('ACTIONS');
  });

  it('does keep an undo command pasteable at any width', () => {
    const narrow = renderEmail({ ...report, actions: [reportedAction()] }, { wrapWidth: 40 }).body;
    const undo = narrow.split('\n').filter((l) => /^ {4}Undo: | {6}--/.test(l));
    expect(undo.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
    expect(joinContinuations(narrow)).toContain(reactivateCommand('ci-deployer', 'AKIAJUNUSEDKEY000001'));
  });
});

describe('renderEmail history', () => {
  it('does list exemptions new since the last report', () => {
    const text = renderEmail({
      ...report,
      newExemptions: [
        {
          accountId: DEV,
          userName: 'vendor-sync',
          until: '2026-12-31',
          reason: 'vendor integration',
          source: 'tag',
        },
      ],
    }).body;
    expect(text).toContain(
      'NEW EXEMPTIONS SINCE THE LAST REPORT (1)\n  - vendor-sync in 222222222222: exempt until 2026-12-31 (tag):',
    );
    expect(body).not.toContain('NEW EXEMPTIONS');
  });

  it('does say where the complete report is, near the top', () => {
    const text = renderEmail({
      ...report,
      storedAt: { uri: 's3://history/reports/report/x.json', consoleUrl: 'https://console.example/x' },
    }).body;
    expect(text).toContain('\nThe complete report: s3://history/reports/report/x.json\n');
    expect(text).toContain('\nIn the S3 console: https://console.example/x\n');
    expect(text.indexOf('s3://history')).toBeLessThan(text.indexOf('DEADLINES'));
  });
});

describe('renderEmail alert', () => {
  const newSince = new Date(AS_OF.getTime() - DAY_MS);
  const alertOf = (findings: readonly Finding[]) =>
    renderEmail(makeReport(findings), { kind: 'alert', newSince });
  const actionable = report.findings.filter((f) => !f.exempt && f.rule !== 'account-unreachable');
  const alertBody = alertOf(report.findings).body;

  it.each(actionable.map((f) => [f.rule, userLabel(f), f] as const))(
    'does give user, account, key, age, deadline, last use, owner and next step for %s of %s',
    (_, __, finding) => {
      const block = blockOf(alertBody, finding);
      expect(block).toBeDefined();
      const key = keyLabel(finding.accessKeyId, finding.keySlot);
      if (key !== null) {
        expect(block).toContain(`Key:        ${key}`);
        expect(block).toContain(`Age:        ${formatAge(finding.ageDays)}`);
        expect(block).toContain(`Last used:  ${describeLastUsed(finding)}`);
      }
      const deadline = describeDeadline(finding, report.asOf, report.policy);
      if (deadline !== null) expect(block).toContain(`Deadline:   ${deadline}`);
      expect(block).toContain(`Owner:      ${finding.owner ?? 'unknown (no key-audit:owner tag)'}`);
      expect(block).toContain(`Next step:  ${finding.remediation}`);
    },
  );

  it('does tell 2nd line first in the next step of a production key only', () => {
    const prod = inProduction(keyTooOld());
    const other = keyDueSoon({ accountId: DEV });
    const text = alertOf([prod, other]).body;
    expect(blockOf(text, prod)).toContain(`${prod.remediation} ${TELL_SECOND_LINE}`);
    expect(blockOf(text, other)).not.toContain(TELL_SECOND_LINE);
  });

  it('does quote the next runbook step for keys to rotate', () => {
    const old = report.findings.find((f) => f.userName === 'alice');
    expect(old && blockOf(alertBody, old)).toContain(
      'Runbook:    next is step 1 of 4: Find where the key is used',
    );
    expect(alertBody).toContain('ROTATION RUNBOOK');
  });

  it.each([
    [true, 'still in use', 'Runbook:    next is step 2 of 4'],
    [false, 'safe to deactivate the old key', 'Runbook:    next is step 4 of 4'],
  ])('does say whether the old key is in use (%s) and where it was last used', (inUse, words, step) => {
    const finding = twoActiveKeys({ oldKeyUsedSinceNewKey: inUse, lastUsedService: 'sqs' });
    const block = blockOf(alertOf([finding]).body, finding);
    expect(block).toContain(words);
    expect(block).toContain('last used 2026-10-02 via sqs in eu-west-2');
    expect(block).toContain(step);
  });

  it('does order findings by severity, then the most overdue first', () => {
    const severities = blocks(alertBody).map((b) => b.match(/^\d+\. ([A-Z]+):/)?.[1]);
    expect(severities).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW']);
    expect(blocks(alertBody)[0]).toContain('overdue by 200 days');
  });

  it('does mark new and standing findings', () => {
    const fresh = keyTooOld({ ageDays: 90 });
    const alert = alertOf([fresh, ...report.findings.filter((f) => f.severity === 'critical')]);
    expect(alert.subject).toMatch(/^key-audit ALERT: 1 new high, 2 critical in /);
    expect(blockOf(alert.body, fresh)).toContain('Status:     new since 2026-11-14 06:00 UTC');
    expect(alert.body).toContain('standing, alerted on every run');
  });
});

describe('renderEmail when every finding was left out to fit', () => {
  it('points to NOT SHOWN instead of saying there is nothing to act on', () => {
    const full = everyRuleReport();
    const trimmed = { ...full, findings: [] };
    const omitted = describeDropped(full, full.findings, 'to fit 262,144 bytes');
    const { body: text } = renderEmail(trimmed, { omitted });
    expect(text).not.toContain('Nothing to act on.');
    expect(text).not.toContain('No rotation deadline has passed or is near.');
    expect(text).toContain(
      `See NOT SHOWN below: ${full.findings.length} findings did not fit in this message.`,
    );
    expect(text).toContain('Every finding is counted under NOT SHOWN below.');
    expect(text).toMatch(/^NOT SHOWN$/m);
  });

  it('says there is nothing to act on when the report really is empty', () => {
    const { body: text } = renderEmail(makeReport([]));
    expect(text).toContain('Nothing to act on.');
    expect(text).toContain('No rotation deadline has passed or is near.');
  });
});
