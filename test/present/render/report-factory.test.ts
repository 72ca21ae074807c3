import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../../lambda/domain/finding.ts';
import { everyRuleReport, largeReport } from './report-factory.ts';

// The factory stands in for the rules engine in renderer tests, so its reports must be self-consistent.
describe('report factory', () => {
  it('does build a finding of every rule, exempt ones and a failed account', () => {
    const report = everyRuleReport();
    // `new-exemption` is found against the memory and alerted, never evaluated into a report.
    const evaluated = RULE_IDS.filter((rule) => rule !== 'new-exemption');
    expect(new Set(report.findings.map((f) => f.rule))).toEqual(new Set(evaluated));
    expect(report.findings.some((f) => f.exempt)).toBe(true);
    expect(report.accounts.some((a) => a.status === 'failed')).toBe(true);
  });

  it.each([
    ['every rule', everyRuleReport()],
    ['5,000 findings', largeReport(5_000)],
  ])('does count the summary from the findings (%s)', (_, report) => {
    const active = report.findings.filter((f) => !f.exempt);
    const { summary } = report;
    expect(summary.violations + summary.warnings).toBe(active.length);
    expect(summary.exempt).toBe(report.findings.length - active.length);
    expect(Object.values(summary.bySeverity).reduce((a, b) => a + b, 0)).toBe(active.length);
    expect(summary.failedAccounts).toBe(report.accounts.filter((a) => a.status === 'failed').length);
  });

  it('does keep findings most severe first and ids unique', () => {
    const report = largeReport(5_000);
    expect(new Set(report.findings.map((f) => f.id)).size).toBe(5_000);
    const ranks = report.findings.map((f) =>
      ['info', 'low', 'medium', 'high', 'critical'].indexOf(f.severity),
    );
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  });
});
