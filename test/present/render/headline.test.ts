import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../lambda/domain/policy.ts';
import type { Report, Summary } from '../../../lambda/domain/report.ts';
import {
  describeNewMark,
  describeTrend,
  FIRST_RUN_TREND,
  headline,
  MAX_HEADLINE_LENGTH,
  newFindingIds,
} from '../../../lambda/present/render/headline.ts';
import {
  AS_OF,
  accountUnreachable,
  BROKEN,
  DEV,
  everyRuleReport,
  keyTooOld,
  makeReport,
  PROD,
  rootAccessKey,
  withTrend,
} from './report-factory.ts';

const withSummary = (report: Report, summary: Partial<Summary>): Report => ({
  ...report,
  summary: {
    ...report.summary,
    ...summary,
    bySeverity: { ...report.summary.bySeverity, ...summary.bySeverity },
  },
});

const sevenViolations = withSummary(everyRuleReport(), {
  violations: 7,
  warnings: 0,
  accounts: 3,
  failedAccounts: 1,
  bySeverity: { critical: 2, high: 2, medium: 3, low: 0, info: 0 },
});

describe('headline (report)', () => {
  it('does give violations, criticals, accounts and failures when reporting', () => {
    expect(headline(sevenViolations)).toBe('key-audit: 7 violations (2 critical) in 3 accounts, 1 failed');
  });

  it('does mention warnings when there are any and no violations when there are none', () => {
    const report = withSummary(sevenViolations, {
      violations: 0,
      warnings: 3,
      failedAccounts: 0,
      bySeverity: { critical: 0, high: 0, medium: 0, low: 3, info: 0 },
    });
    expect(headline(report)).toBe('key-audit: no violations, 3 warnings in 3 accounts');
  });

  it('does flag an incomplete run', () => {
    const report = {
      ...sevenViolations,
      incomplete: { reason: 'Lambda timeout near', accountsNotScanned: [DEV] },
    };
    expect(headline(report)).toContain(', incomplete');
  });

  const huge = Number.MAX_SAFE_INTEGER;
  const counts: [string, Partial<Summary>][] = [
    ['zero', { violations: 0, warnings: 0, accounts: 0, failedAccounts: 0 }],
    ['typical', {}],
    [
      'huge',
      {
        violations: huge,
        warnings: huge,
        accounts: huge,
        failedAccounts: huge,
        bySeverity: { critical: huge, high: huge, medium: huge, low: huge, info: huge },
      },
    ],
  ];
  const prefixes = [
    'key-audit',
    '[prod-org] key-audit',
    'x'.repeat(200),
    '🚀'.repeat(80),
    'line\nbreak\u001b[31m',
  ];
  const cases = counts.flatMap(([name, summary]) =>
    prefixes.map((prefix) => [name, prefix, summary] as const),
  );

  it.each(cases)('does stay under 100 characters with %s counts and prefix %j', (_, prefix, summary) => {
    const report = {
      ...withSummary(sevenViolations, summary),
      incomplete: { reason: 'r', accountsNotScanned: [] },
    };
    const subject = headline(report, { prefix });
    expect(subject.length).toBeLessThan(100);
    expect([...subject].some((c) => (c.codePointAt(0) ?? 0) < 0x20)).toBe(false);
    // The violation count is the point of the subject: it survives any prefix.
    expect(subject).toMatch(/violations?/);
  });

  it.each([
    [0, true],
    [1, false],
  ])('does keep every part when the subject is exactly 99 characters (+%i)', (extra, whole) => {
    const natural = headline(sevenViolations);
    const prefix = 'p'.repeat('key-audit'.length + MAX_HEADLINE_LENGTH - natural.length + extra);
    const subject = headline(sevenViolations, { prefix });
    expect(subject.length).toBeLessThanOrEqual(MAX_HEADLINE_LENGTH);
    expect(subject === `${prefix}: ${natural.slice('key-audit: '.length)}`).toBe(whole);
    // One character too many costs the least important part (the account count), never the failures.
    expect(subject).toContain('1 failed');
  });

  it('does honour a smaller maxLength', () => {
    expect(headline(sevenViolations, { maxLength: 40 }).length).toBeLessThanOrEqual(40);
  });
});

describe('headline (alert)', () => {
  const newSince = new Date(AS_OF.getTime() - DAY_MS);
  // Two keys crossed the 90-day deadline within the last day (age 90 days + 3 h): new. The root key is old news.
  const alert = makeReport([
    keyTooOld({ ageDays: 90, userName: 'alice' }),
    keyTooOld({ ageDays: 90, userName: 'bob', accessKeyId: 'AKIABOBBOBBOBBOB0001' }),
    rootAccessKey(),
  ]);

  it('does count new findings apart from standing ones when alerting', () => {
    expect(headline(alert, { kind: 'alert', newSince })).toBe(
      `key-audit ALERT: 2 new high, 1 critical in ${PROD}`,
    );
  });

  it('does count unreachable accounts and name how many accounts when there are several', () => {
    const report = makeReport([keyTooOld({ ageDays: 90, accountId: DEV }), accountUnreachable(BROKEN)]);
    expect(headline(report, { kind: 'alert', newSince })).toBe(
      'key-audit ALERT: 1 new high, 1 account unreachable in 2 accounts',
    );
  });

  it('does treat critical findings as standing when no window start is given', () => {
    expect(headline(alert, { kind: 'alert' })).toBe(`key-audit ALERT: 2 new high, 1 critical in ${PROD}`);
  });

  it('does ignore exempt findings and say so when nothing is left', () => {
    const report = makeReport([
      keyTooOld({ exemption: { reason: 'r', until: '2027-01-01', source: 'config' } }),
    ]);
    expect(headline(report, { kind: 'alert', newSince })).toBe('key-audit ALERT: nothing new');
  });

  it('does stay under 100 characters with a long prefix and every severity', () => {
    const subject = headline(everyRuleReport(), { kind: 'alert', prefix: 'p'.repeat(120), newSince });
    expect(subject.length).toBeLessThan(100);
    expect(subject).toContain('ALERT');
  });
});

describe('describeTrend', () => {
  it('does say the violations now and then, and how many findings are new and resolved', () => {
    const report = withTrend(sevenViolations, {
      new: ['a', 'b', 'c'],
      resolved: ['d'],
      previousViolations: 20,
    });
    expect(describeTrend(report)).toBe('7 violations (20 on 2026-11-08): 3 new, 1 resolved');
  });

  it('does say no violations when none are left', () => {
    const clean = withTrend(withSummary(sevenViolations, { violations: 0 }), {
      resolved: ['a'],
      previousViolations: 1,
    });
    expect(describeTrend(clean)).toBe('no violations (1 on 2026-11-08): 0 new, 1 resolved');
  });

  it('does say there is nothing to compare with on the first run with a history, and nothing without one', () => {
    expect(describeTrend(withTrend(sevenViolations, 'first-run'))).toBe(`7 violations (${FIRST_RUN_TREND})`);
    expect(describeTrend(sevenViolations)).toBeNull();
  });
});

describe('newFindingIds and describeNewMark', () => {
  it('does name the new findings and what new means only when there is a previous report', () => {
    const report = withTrend(sevenViolations, { new: ['a'] });
    expect([...newFindingIds(report)]).toEqual(['a']);
    expect(describeNewMark(report)).toBe('not in the report of 2026-11-08');
    expect(newFindingIds(withTrend(sevenViolations, 'first-run')).size).toBe(0);
    expect(describeNewMark(withTrend(sevenViolations, 'first-run'))).toBeNull();
    expect(describeNewMark(sevenViolations)).toBeNull();
  });
});

describe('headline (report with a trend)', () => {
  const trended = withTrend(sevenViolations, { new: ['a', 'b'], resolved: ['c'], previousViolations: 6 });

  it('does lead with the trend, then the criticals, accounts and failures', () => {
    expect(headline(trended)).toBe(
      'key-audit: 7 violations (6 on 2026-11-08): 2 new, 1 resolved; 2 critical in 3 accounts, 1 failed',
    );
  });

  it('does follow the trend with warnings when there is no critical finding', () => {
    const report = withTrend(
      withSummary(sevenViolations, {
        warnings: 2,
        failedAccounts: 0,
        bySeverity: { critical: 0, high: 4, medium: 3, low: 2, info: 0 },
      }),
      { new: ['a'], previousViolations: 7 },
    );
    expect(headline(report)).toBe(
      'key-audit: 7 violations (7 on 2026-11-08): 1 new, 0 resolved; 2 warnings in 3 accounts',
    );
  });

  it('does keep the headline of a run without a history on the first run with one', () => {
    expect(headline(withTrend(sevenViolations, 'first-run'))).toBe(headline(sevenViolations));
  });

  it.each(['key-audit', '[prod-org] key-audit', 'x'.repeat(200), '🚀'.repeat(80)])(
    'does stay under 100 characters with prefix %j',
    (prefix) => {
      const huge = Number.MAX_SAFE_INTEGER;
      const report = withTrend(
        withSummary(sevenViolations, { violations: huge, warnings: huge, accounts: huge }),
        { new: ['a'], previousViolations: huge },
      );
      const subject = headline(report, { prefix });
      expect(subject.length).toBeLessThan(100);
      expect(subject).toMatch(/violations?/);
    },
  );

  it('does leave the trend out of alert headlines', () => {
    expect(headline(trended, { kind: 'alert' })).not.toContain('resolved');
  });
});
