import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../lambda/domain/finding.ts';
import { DAY_MS } from '../../../lambda/domain/policy.ts';
import { describeLastUsed, formatAge, keyLabel, userLabel } from '../../../lambda/domain/wording.ts';
import { describeDeadline } from '../../../lambda/present/render/describe-finding.ts';
import { renderEmail } from '../../../lambda/present/render/email.ts';
import { describeDropped } from '../../../lambda/present/render/omitted.ts';
import {
  AS_OF,
  BROKEN,
  everyRuleReport,
  keyTooOld,
  largeReport,
  makeReport,
  PROD,
  scanned,
  twoActiveKeys,
} from './report-factory.ts';

const report = everyRuleReport();
const { subject, body } = renderEmail(report);

/** The numbered finding blocks of a body: from `N. ` at the start of a line to the next blank line. */
const blocks = (text: string): string[] =>
  text
    .split('\n\n')
    .filter((chunk) => /^\d+\. /.test(chunk))
    .map((chunk) => chunk.replace(/\n {15}/g, ' '));

const blockOf = (text: string, finding: Finding): string | undefined =>
  blocks(text).find(
    (b) => b.includes(`Account:    ${finding.accountId}`) && b.includes(`User:       ${userLabel(finding)}`),
  );

describe('renderEmail subject', () => {
  it('does give the counts in under 100 characters', () => {
    expect(subject).toBe('key-audit: 7 violations (2 critical), 2 warnings in 3 accounts, 1 failed');
  });

  it.each([
    ['a long prefix', { prefix: 'x'.repeat(150) }],
    ['an emoji prefix', { prefix: '🔑'.repeat(60) }],
    ['an alert with a long prefix', { kind: 'alert' as const, prefix: 'y'.repeat(99) }],
  ])('does stay under 100 characters with %s', (_, options) => {
    expect(renderEmail(largeReport(600), options).subject.length).toBeLessThan(100);
  });
});

describe('renderEmail body', () => {
  it('does lead with the deadlines', () => {
    const first = body.split('\n\n')[1] ?? '';
    expect(first.startsWith('DEADLINES')).toBe(true);
    expect(first).toContain('2 keys overdue for rotation (the worst overdue by 200 days)');
    expect(first).toContain('1 key due for rotation within 14 days (the first due in 5 days)');
  });

  it('does put unscanned accounts before the findings, with the error and the next step', () => {
    const failed = body.indexOf('!! 1 ACCOUNT COULD NOT BE SCANNED');
    expect(failed).toBeGreaterThan(-1);
    expect(failed).toBeLessThan(body.indexOf('FINDINGS, MOST URGENT FIRST'));
    expect(body.slice(failed)).toMatch(new RegExp(`- ${BROKEN}: AccessDenied`));
    expect(body.slice(failed)).toContain('Next step: Fix the cause the finding names');
  });

  it('does tell to inform 2nd line for production before any finding', () => {
    const notice = body.indexOf('tell 2nd line before deactivating or deleting any');
    expect(notice).toBeGreaterThan(-1);
    expect(notice).toBeLessThan(body.indexOf('\n1. '));
  });

  const actionable = report.findings.filter((f) => !f.exempt && f.rule !== 'account-unreachable');

  it.each(actionable.map((f) => [f.rule, userLabel(f), f] as const))(
    'does give user, account, key, age, deadline, last use, owner and next step for %s of %s',
    (_, __, finding) => {
      const block = blockOf(body, finding);
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

  it('does say never used for a key that never was', () => {
    const unused = report.findings.find((f) => f.rule === 'key-unused');
    expect(unused && blockOf(body, unused)).toContain('Last used:  never used');
  });

  it('does quote the next runbook step for keys to rotate', () => {
    const old = report.findings.find((f) => f.userName === 'alice');
    expect(old && blockOf(body, old)).toContain(
      'Runbook:    next is step 1 of 4: Find where the key is used',
    );
    expect(body).toContain('ROTATION RUNBOOK');
  });

  it.each([
    [true, 'still in use', 'Runbook:    next is step 2 of 4'],
    [false, 'safe to deactivate the old key', 'Runbook:    next is step 4 of 4'],
  ])('does say whether the old key is in use (%s) and where it was last used', (inUse, words, step) => {
    const finding = twoActiveKeys({ oldKeyUsedSinceNewKey: inUse, lastUsedService: 'sqs' });
    const block = blockOf(renderEmail(makeReport([finding])).body, finding);
    expect(block).toContain(words);
    expect(block).toContain('last used 2026-10-02 via sqs in eu-west-2');
    expect(block).toContain(step);
  });

  it('does list exempt findings in their own section with reason and end date, not as findings', () => {
    const section = body.slice(body.indexOf('EXEMPT (1 finding, not counted as violations)'));
    expect(section.replace(/\n\s+/g, ' ')).toContain(
      'vendor-sync in 222222222222 (AKIAEXEMPTVENDOR0001), key-too-old: exempt until 2026-12-31 (tag): vendor integration',
    );
    expect(blocks(body).some((b) => b.includes('vendor-sync'))).toBe(false);
  });

  it('does order findings by severity, then the most overdue first', () => {
    const severities = blocks(body).map((b) => b.match(/^\d+\. ([A-Z]+):/)?.[1]);
    expect(severities).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW']);
    expect(blocks(body)[0]).toContain('overdue by 200 days');
  });

  it.each([60, 78, 100])('does wrap lines to %i columns except unbreakable tokens', (wrapWidth) => {
    const hostile = makeReport([
      ...report.findings,
      keyTooOld({
        userName: 'svc-with-a-rather-long-name-for-an-iam-user-that-goes-on-and-on-and-on-and-on',
        owner: `platform team ${'https://wiki.example.com/teams/platform/runbooks/'.repeat(3)}`,
      }),
    ]);
    for (const line of renderEmail(hostile, { wrapWidth }).body.split('\n')) {
      if ([...line].length > wrapWidth) {
        // Only a label and one token (URL, ARN, id) may run past the width.
        expect(
          line
            .trim()
            .replace(/^[A-Za-z ]+: +/, '')
            .replace(/^- /, ''),
        ).not.toContain(' ');
      }
    }
  });

  it('does mark new and standing findings when alerting', () => {
    const newSince = new Date(AS_OF.getTime() - DAY_MS);
    const fresh = keyTooOld({ ageDays: 90 });
    const alert = renderEmail(
      makeReport([fresh, ...report.findings.filter((f) => f.severity === 'critical')]),
      {
        kind: 'alert',
        newSince,
      },
    );
    expect(alert.subject).toMatch(/^key-audit ALERT: 1 new high, 2 critical in /);
    expect(blockOf(alert.body, fresh)).toContain('Status:     new since 2026-11-14 06:00 UTC');
    expect(alert.body).toContain('standing, alerted on every run');
  });

  it('does say there is nothing to act on when the report is clean', () => {
    const clean = renderEmail(makeReport([], { accounts: [scanned(PROD)] }));
    expect(clean.subject).toBe('key-audit: no violations in 1 account');
    expect(clean.body).toContain('No rotation deadline has passed or is near.');
    expect(clean.body).toContain('Nothing to act on.');
    expect(clean.body).not.toContain('ROTATION RUNBOOK');
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
