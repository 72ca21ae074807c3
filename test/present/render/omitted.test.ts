import { describe, expect, it } from 'vitest';
import { describeDropped, omissionNotice, omittedCounts } from '../../../lambda/present/render/omitted.ts';
import { everyRuleReport, PROD } from './report-factory.ts';

describe('describeDropped', () => {
  it('does count per account by severity and rule, exempt apart, in account order', () => {
    const report = everyRuleReport();
    const result = describeDropped(report, report.findings, 'test');
    expect(result.byAccount.map((a) => a.accountId)).toEqual(report.accounts.map((a) => a.accountId));
    const prod = result.byAccount.find((a) => a.accountId === PROD);
    expect(prod?.bySeverity).toEqual({ critical: 2, high: 1, medium: 3, low: 0, info: 0 });
    expect(prod?.byRule['key-too-old']).toBe(2);
    expect(result.byAccount.reduce((sum, a) => sum + a.exempt, 0)).toBe(report.summary.exempt);
  });
});

describe('omissionNotice', () => {
  it.each([
    ['absent', undefined],
    ['null', null],
    ['empty', { total: 0, byAccount: [], reason: 'the scanned accounts are not listed' }],
  ])('does say nothing when the omission is %s', (_label, omitted) => {
    expect(omissionNotice(omitted)).toBeNull();
  });

  it('does lead with the total and reason, then one line per account', () => {
    const report = everyRuleReport();
    const omitted = describeDropped(report, report.findings, 'to fit 262,144 bytes');
    const notice = omissionNotice(omitted);
    expect(notice?.lead).toBe(
      `${report.findings.length} findings not shown to fit 262,144 bytes (counted in the summary):`,
    );
    expect(notice?.accounts).toHaveLength(omitted.byAccount.length);
    expect(notice?.accounts[0]).toMatch(new RegExp(`^${omitted.byAccount[0]?.accountId}: \\d+ critical`));
  });
});

describe('omittedCounts', () => {
  it('does add every account together', () => {
    const report = everyRuleReport();
    const counts = omittedCounts(describeDropped(report, report.findings, 'test'));
    expect(counts.total).toBe(report.findings.length);
    expect(counts.exempt).toBe(report.summary.exempt);
  });

  it('does count nothing when nothing was left out', () => {
    expect(omittedCounts(null).total).toBe(0);
  });
});
