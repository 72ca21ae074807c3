import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../bin/cli/instant.ts';

describe('parseInstant', () => {
  it.each([
    ['2026-11-23', '2026-11-23T00:00:00.000Z'],
    ['2026-11-23T09:00:00Z', '2026-11-23T09:00:00.000Z'],
    ['2026-11-23T09:00Z', '2026-11-23T09:00:00.000Z'],
    ['2026-11-23T10:00:00+01:00', '2026-11-23T09:00:00.000Z'],
    ['2026-11-23T09:00:00.250Z', '2026-11-23T09:00:00.250Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseInstant(text, '--as-of').toISOString()).toBe(iso);
  });

  it.each(['yesterday', '2026-11-23T09:00:00', '23/11/2026', '2026-13-01', '2026-02-30', ''])(
    'refuses "%s" with a message naming the flag',
    (text) => {
      expect(() => parseInstant(text, '--as-of')).toThrow(/^--as-of: ".*" is not/);
    },
  );
});
