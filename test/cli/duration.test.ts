import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../bin/cli/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['24h', 24 * 3_600_000],
    ['7d', 7 * 86_400_000],
    ['30m', 30 * 60_000],
    ['2w', 14 * 86_400_000],
    ['P1D', 86_400_000],
    ['PT12H', 12 * 3_600_000],
    ['P1DT6H', 30 * 3_600_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text, '--alert-since')).toBe(ms);
  });

  it.each(['', '0h', '-1d', '1y', 'P', 'PT', 'soon', '1.5h'])('refuses "%s" naming the flag', (text) => {
    expect(() => parseDuration(text, '--alert-since')).toThrow(/^--alert-since: ".*" is not a duration/);
  });
});
