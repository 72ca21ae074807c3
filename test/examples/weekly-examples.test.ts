import { describe, expect, it } from 'vitest';
import { renderExamples } from '../../scripts/render-examples.ts';

/** The rendered examples, as docs/examples holds them. */
const examples = await renderExamples();
const email = examples['report-email.txt'] ?? '';
const json = JSON.parse(examples['report.json'] ?? '{}') as {
  findings: { id: string; accountId: string; exempt: boolean; production: boolean }[];
  trend: { previousAsOf: string; new: string[]; resolved: string[] } | null;
  actions: { status: string; undoCommand: string | null }[] | null;
  storedAt: { uri: string } | null;
};

describe('the weekly report examples', () => {
  it('does show a week-on-week trend whose new findings are in the report', () => {
    expect(json.trend?.previousAsOf).toBe('2026-11-16T09:00:00.000Z');
    const ids = new Set(json.findings.map((f) => f.id));
    expect(json.trend?.new.length).toBeGreaterThan(0);
    for (const id of json.trend?.new ?? []) expect(ids.has(id)).toBe(true);
    for (const id of json.trend?.resolved ?? []) expect(ids.has(id)).toBe(false);
    expect(email.split('\n')[0]).toMatch(
      /^Subject: key-audit: \d+ violations \(\d+ on 2026-11-16\): \d+ new, \d+ resolved/,
    );
  });

  it('does show one action done and one planned, each deactivation with its undo command', () => {
    expect(json.actions?.map((a) => a.status)).toEqual(['done', 'planned']);
    for (const action of json.actions ?? []) expect(action.undoCommand).toMatch(/ --status Active$/);
    expect(email).toContain('ACTIONS (1 done, 1 planned)');
  });

  it('does mark the production account as production, and only it', () => {
    const production = new Set(json.findings.filter((f) => f.production).map((f) => f.accountId));
    expect([...production]).toEqual(['111111111111']);
  });

  it('does give the email one line per finding to act on, and say where the complete report is', () => {
    const lines = email.split('\n').filter((l) => /^ {2}- (NEW )?(CRITICAL|HIGH|MEDIUM|LOW|INFO) /.test(l));
    expect(lines).toHaveLength(json.findings.filter((f) => !f.exempt).length);
    expect(email).toContain(json.storedAt?.uri ?? 'no stored report');
    expect(email.split('\n').length).toBeLessThan(120);
  });
});
