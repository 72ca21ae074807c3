import { describe, expect, it } from 'vitest';
import { verdictLines } from '../../bench/results.ts';
import { results } from './results-fixture.ts';

describe('verdictLines', () => {
  it('does give one line per budget and check with its verdict', () => {
    expect(verdictLines(results())).toEqual([
      'PASS  calls within the limit: ok',
      'FAIL  fast enough: too slow',
      'SKIP  big account RSS: not run (--skip-big)',
      'PASS  check: read every user: 200 of 200 users',
    ]);
  });
});
