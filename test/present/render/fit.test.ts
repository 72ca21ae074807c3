import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../lambda/domain/finding.ts';
import type { Report } from '../../../lambda/domain/report.ts';
import { severityRank } from '../../../lambda/domain/severity.ts';
import { renderEmail } from '../../../lambda/present/render/email.ts';
import { fitToBytes, SNS_MAX_BYTES } from '../../../lambda/present/render/fit.ts';
import { type JsonReport, renderJson } from '../../../lambda/present/render/json.ts';
import { renderMarkdown } from '../../../lambda/present/render/markdown.ts';
import type { OmittedFindings } from '../../../lambda/present/render/options.ts';
import { utf8Bytes } from '../../../lambda/present/render/text.ts';
import { everyRuleReport, keyDueSoon, largeReport, makeReport } from './report-factory.ts';

const huge = largeReport(5_000);
const json = (maxBytes: number) =>
  fitToBytes((report, omitted) => renderJson(report, { omitted }), huge, maxBytes);
const fitted = json(SNS_MAX_BYTES);
const parsed = JSON.parse(fitted.text) as JsonReport;
const keptIds = new Set(parsed.findings.map((f) => f.id));
const dropped = huge.findings.filter((f) => !keptIds.has(f.id));

describe('fitToBytes', () => {
  it('does return the rendering unchanged when it fits', () => {
    const report = everyRuleReport();
    const result = fitToBytes((r) => renderJson(r), report, SNS_MAX_BYTES);
    expect(result).toEqual({
      text: renderJson(report),
      bytes: utf8Bytes(renderJson(report)),
      omitted: null,
      fits: true,
    });
  });

  it('does fit a 5,000-finding report into the SNS limit in UTF-8 bytes', () => {
    expect(utf8Bytes(renderJson(huge))).toBeGreaterThan(SNS_MAX_BYTES);
    expect(fitted.fits).toBe(true);
    expect(fitted.bytes).toBe(Buffer.byteLength(fitted.text, 'utf8'));
    expect(fitted.bytes).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(parsed.findings.length).toBeGreaterThan(0);
  });

  it('does keep every account, every critical finding and every unreachable account', () => {
    expect(parsed.accounts.map((a) => a.accountId)).toEqual(huge.accounts.map((a) => a.accountId));
    const emergencies = huge.findings.filter(
      (f) => !f.exempt && (f.severity === 'critical' || f.rule === 'account-unreachable'),
    );
    expect(emergencies.length).toBeGreaterThan(10);
    for (const f of emergencies) expect(keptIds.has(f.id)).toBe(true);
  });

  it('does drop exempt findings first, then the lowest severities', () => {
    const rank = (f: Finding): number => (f.exempt ? -1 : severityRank(f.severity));
    const lowestKept = Math.min(...huge.findings.filter((f) => keptIds.has(f.id)).map(rank));
    const highestDropped = Math.max(...dropped.map(rank));
    expect(highestDropped).toBeLessThanOrEqual(lowestKept);
    expect(dropped.some((f) => f.exempt)).toBe(true);
  });

  it('does count what it left out per account, adding up to what is missing', () => {
    const omitted = fitted.omitted;
    expect(omitted?.total).toBe(dropped.length);
    expect(omitted?.total).toBe(huge.findings.length - parsed.findings.length);
    expect(omitted?.byAccount.reduce((sum, a) => sum + a.total, 0)).toBe(dropped.length);
    for (const account of omitted?.byAccount ?? []) {
      expect(account.total).toBe(dropped.filter((f) => f.accountId === account.accountId).length);
    }
    expect(parsed.omitted).toEqual(omitted);
    expect(omitted?.reason).toBe('to fit 262,144 bytes');
  });

  it('does keep the whole run in the summary', () => {
    expect(parsed.summary.violations).toBe(huge.summary.violations);
  });

  it('does count bytes, not characters, when names are multi-byte', () => {
    const report = makeReport(
      Array.from({ length: 40 }, (_, i) =>
        keyDueSoon({
          userName: `zoë-${i}`,
          owner: 'Zoë Brontë 🚀🚀🚀',
          accessKeyId: `AKIAZOE${String(i).padStart(13, '0')}`,
        }),
      ),
    );
    const render = (r: Report, omitted: OmittedFindings | null): string => renderMarkdown(r, { omitted });
    const full = render(report, null);
    expect(utf8Bytes(full)).toBeGreaterThan(full.length);
    // A budget the text meets in characters but not in bytes.
    const result = fitToBytes(render, report, full.length);
    expect(result.omitted).not.toBeNull();
    expect(result.bytes).toBeLessThanOrEqual(full.length);
    expect(result.text).toContain('Zoë Brontë 🚀🚀🚀');
    expect(result.text).toContain('not shown to fit');
  });

  it('does never cut an alert email mid-finding and says per account what it left out', () => {
    const result = fitToBytes(
      (r, omitted) => renderEmail(r, { kind: 'alert', omitted }).body,
      huge,
      SNS_MAX_BYTES,
    );
    expect(result.bytes).toBeLessThanOrEqual(SNS_MAX_BYTES);
    const blocks = result.text.split('\n\n').filter((b) => /^\d+\. /.test(b));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(block).toMatch(/Next step: /);
    const notShown = result.text.slice(result.text.indexOf('NOT SHOWN'));
    for (const account of result.omitted?.byAccount ?? [])
      expect(notShown).toContain(`- ${account.accountId}: `);
    expect(result.text.trimEnd().endsWith('findings are never alerted.')).toBe(true);
  });

  it('does give every finding kept in a weekly email its whole line, and count the rest', () => {
    const result = fitToBytes((r, omitted) => renderEmail(r, { omitted }).body, huge, SNS_MAX_BYTES);
    expect(result.bytes).toBeLessThanOrEqual(SNS_MAX_BYTES);
    const lines = result.text.split('\n').filter((l) => /^ {2}- (CRITICAL|HIGH|MEDIUM|LOW|INFO) /.test(l));
    const kept = huge.findings.length - (result.omitted?.total ?? 0);
    const keptExempt =
      huge.summary.exempt - (result.omitted?.byAccount ?? []).reduce((n, a) => n + a.exempt, 0);
    // One line per kept finding, but the unreachable account (said up front) and exempt ones (apart).
    expect(lines).toHaveLength(kept - keptExempt - 1);
    expect(result.text).toContain('NOT SHOWN');
    expect(result.text.trimEnd().endsWith('findings are never alerted.')).toBe(true);
  });

  it('does return the smallest rendering, flagged, when even no findings exceed the budget', () => {
    const result = json(500);
    expect(result.fits).toBe(false);
    expect(result.text.length).toBeGreaterThan(0);
    const smallest = JSON.parse(result.text) as JsonReport;
    expect(smallest.findings).toEqual([]);
    expect(smallest.accounts).toHaveLength(huge.accounts.length);
    expect(result.omitted?.total).toBe(huge.findings.length);
  });

  it.each([0, -1, Number.NaN])('does refuse a budget of %d bytes', (maxBytes) => {
    expect(() => json(maxBytes)).toThrow(RangeError);
  });
});
