import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../lambda/domain/did-you-mean.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['warnDays', 'warnDays', 0],
    ['warnDay', 'warnDays', 1],
    ['wranDays', 'warnDays', 2],
    ['kitten', 'sitting', 3],
  ])('measures %s -> %s as %d edits', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });
});

describe('didYouMean', () => {
  const known = ['maxKeyAgeDays', 'warnDays', 'unusedDays', 'KEY_AUDIT_SOURCE'];

  it.each([
    ['maxKeyAge', 'maxKeyAgeDays'],
    ['warndays', 'warnDays'],
    ['unusedDayz', 'unusedDays'],
    ['KEY_AUDIT_SORCE', 'KEY_AUDIT_SOURCE'],
  ])('suggests the known name when %s is close to it', (typo, expected) => {
    expect(didYouMean(typo, known)).toBe(expected);
  });

  it.each([
    ['formt', ['org', 'format'], 'format'],
    ['stat', ['stats', 'state'], 'stats'],
    ['acounts', ['account', 'accounts'], 'accounts'],
  ])('suggests the closest of several names for %s', (typo, names, expected) => {
    expect(didYouMean(typo, names)).toBe(expected);
  });

  it.each(['colour', 'exemption', 'KEY_AUDIT_TIMEOUT', 'x'])(
    'suggests nothing when %s is far from every name',
    (name) => {
      expect(didYouMean(name, [...known, 'org'])).toBeUndefined();
    },
  );
});
