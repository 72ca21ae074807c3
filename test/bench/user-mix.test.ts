import { describe, expect, it } from 'vitest';
import {
  benchUserSpec,
  FLAGGED_SHAPES,
  flaggedUserCount,
  isFlaggedUser,
  seededKeyCount,
} from '../../bench/user-mix.ts';

const flaggedIndexes = (users: number, share: number): number[] =>
  Array.from({ length: users }, (_, i) => i).filter((i) => isFlaggedUser(i, share));

describe('isFlaggedUser', () => {
  it.each([
    [200, 0.1, 20],
    [5000, 0.1, 500],
    [30, 0.1, 3],
    [7, 0.5, 3],
    [10, 0, 0],
    [10, 1, 10],
  ])('flags floor(users x share) of %i users at share %f, i.e. %i', (users, share, expected) => {
    expect(flaggedIndexes(users, share)).toHaveLength(expected);
    expect(flaggedUserCount(users, share)).toBe(expected);
  });

  it('spreads flagged users evenly when the share is 10%', () => {
    // One in every ten, the tenth of each run of ten.
    expect(flaggedIndexes(40, 0.1)).toEqual([9, 19, 29, 39]);
  });
});

describe('benchUserSpec', () => {
  it('gives a compliant user exactly one active key', () => {
    expect(benchUserSpec(0, 0.1).keys).toEqual([{ status: 'Active', used: false }]);
    expect(benchUserSpec(5, 0.1).keys).toEqual([{ status: 'Active', used: true }]);
  });

  it('cycles flagged users through two active keys, active and inactive, and inactive only', () => {
    const shapes = flaggedIndexes(60, 0.1).map((i) => benchUserSpec(i, 0.1).keys.map((k) => k.status));
    expect(shapes).toEqual([
      ['Active', 'Active'],
      ['Active', 'Inactive'],
      ['Inactive'],
      ['Active', 'Active'],
      ['Active', 'Inactive'],
      ['Inactive'],
    ]);
    expect(FLAGGED_SHAPES).toHaveLength(3);
  });

  it('gives every user one or two keys and unique names', () => {
    const specs = Array.from({ length: 300 }, (_, i) => benchUserSpec(i, 0.1));
    expect(specs.every((s) => s.keys.length >= 1 && s.keys.length <= 2)).toBe(true);
    expect(new Set(specs.map((s) => s.userName)).size).toBe(300);
  });

  it('tags every other user with an owner', () => {
    expect(benchUserSpec(2, 0.1).tags).toEqual({ 'key-audit:owner': 'user-00002@example.com' });
    expect(benchUserSpec(3, 0.1).tags).toBeUndefined();
  });
});

describe('seededKeyCount', () => {
  it('counts one key per compliant user and the flagged shapes keys', () => {
    // 200 users, 20 flagged: 7 two-active (2 keys), 7 active+inactive (2 keys), 6 inactive-only (1 key).
    expect(seededKeyCount(200, 0.1)).toBe(180 + 7 * 2 + 7 * 2 + 6);
  });
});
