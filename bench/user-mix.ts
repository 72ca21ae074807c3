/**
 * The users the benchmark seeds. moto cannot back-date a key's CreateDate, so every key is minutes old
 * and age or unused-days rules cannot make a user "flagged". Flagged users come from key shapes instead:
 * two active keys, or an inactive key. Evaluated at now + 30 days with the default policy (rotate at 90,
 * warn 14 days before, unused after 45), a single fresh active key is compliant whether or not it was
 * used (30 + 1 day of margin < 45 and < 76), so exactly the shaped users are flagged.
 */
import type { UserSpec } from '../test/integration/seed-organisation.ts';

/** How far past the seeding instant the scans evaluate (see the module comment). */
export const AS_OF_OFFSET_DAYS = 30;

/** Absorbs binary rounding in `index x share` (0.1 x 30 = 3.0000000000000004). */
const EPSILON = 1e-9;

/**
 * True when user `userIndex` is one of the flagged users: spreads `share` evenly so that any run of
 * users holds about `share` of them, and the first `n` users hold `floor(n x share)`.
 */
export const isFlaggedUser = (userIndex: number, share: number): boolean =>
  Math.floor((userIndex + 1) * share + EPSILON) > Math.floor(userIndex * share + EPSILON);

/** How many of `users` users are flagged. */
export const flaggedUserCount = (users: number, share: number): number => Math.floor(users * share + EPSILON);

/** The flagged shapes, in rotation: each raises a finding the report source must verify live. */
export const FLAGGED_SHAPES = ['two-active-keys', 'active-and-inactive', 'inactive-only'] as const;

/**
 * User `userIndex` of an account. Flagged users cycle through `FLAGGED_SHAPES`; the others hold one
 * active key. Only some keys sign a request (moto then records a last use): whether a key was used changes
 * no call count (GetAccessKeyLastUsed is called per key either way), and each use costs a request while
 * seeding. Every other user carries an owner tag, as teams that tag owners do.
 */
export const benchUserSpec = (userIndex: number, share: number): UserSpec => {
  const userName = `user-${String(userIndex).padStart(5, '0')}`;
  const tags = userIndex % 2 === 0 ? { tags: { 'key-audit:owner': `${userName}@example.com` } } : {};
  if (!isFlaggedUser(userIndex, share)) {
    return { userName, ...tags, keys: [{ status: 'Active', used: userIndex % 10 === 5 }] };
  }
  const shape = FLAGGED_SHAPES[flaggedUserCount(userIndex, share) % FLAGGED_SHAPES.length];
  switch (shape) {
    case 'two-active-keys':
      return {
        userName,
        ...tags,
        keys: [
          { status: 'Active', used: true },
          { status: 'Active', used: false },
        ],
      };
    case 'active-and-inactive':
      return {
        userName,
        ...tags,
        keys: [
          { status: 'Active', used: false },
          { status: 'Inactive', used: false },
        ],
      };
    default:
      return { userName, ...tags, keys: [{ status: 'Inactive', used: false }] };
  }
};

/** Keys seeded for `users` users of one account. */
export const seededKeyCount = (users: number, share: number): number => {
  let keys = 0;
  for (let index = 0; index < users; index += 1) keys += benchUserSpec(index, share).keys.length;
  return keys;
};
