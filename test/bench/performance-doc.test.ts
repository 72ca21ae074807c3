import { describe, expect, it } from 'vitest';
import { PERFORMANCE_SECTIONS, updatePerformanceDoc } from '../../bench/performance-doc.ts';
import { results } from './results-fixture.ts';

/** A document with every generated section, holding `filler`, between hand-written prose. */
const doc = (filler = 'stale'): string =>
  [
    '# Performance',
    ...Object.keys(PERFORMANCE_SECTIONS).flatMap((name) => [
      `Prose before ${name}.`,
      `<!-- generated:${name} -->`,
      filler,
      `<!-- /generated:${name} -->`,
    ]),
    'Closing prose.',
    '',
  ].join('\n');

describe('updatePerformanceDoc', () => {
  it('does rewrite every generated section and keep the prose around them', () => {
    const updated = updatePerformanceDoc(doc(), results());
    expect(updated).not.toContain('stale');
    for (const name of Object.keys(PERFORMANCE_SECTIONS)) expect(updated).toContain(`Prose before ${name}.`);
    expect(updated).toContain('Closing prose.');
    expect(updatePerformanceDoc(updated, results())).toBe(updated);
  });

  it('does give every budget and check its verdict', () => {
    const updated = updatePerformanceDoc(doc(), results());
    expect(updated).toContain('| calls within the limit | PASS | ok |');
    expect(updated).toContain('| fast enough | FAIL | too slow |');
    expect(updated).toContain('| big account RSS | SKIP | not run (--skip-big) |');
    expect(updated).toContain('| read every user | PASS | 200 of 200 users |');
  });

  it('does say when importing the bundle failed', () => {
    const lambda = { ...results().lambda, init: { runsMs: [], medianMs: null, error: 'boom' } };
    expect(updatePerformanceDoc(doc(), results({ lambda }))).toContain('import failed: boom');
  });

  it('does name a generated section the document lacks', () => {
    const without = doc().replace(
      /<!-- generated:bench-bundle -->[\s\S]*?<!-- \/generated:bench-bundle -->/,
      '',
    );
    expect(() => updatePerformanceDoc(without, results())).toThrow(
      'marker <!-- generated:bench-bundle --> not found',
    );
  });
});
