/** Wording shared by rule messages, so that every finding names keys, dates and durations the same way. */
import type { AccessKey } from './inventory.ts';

/** A key as messages name it: its id, else its credential-report slot (`slot 1`). */
export const keyLabel = (key: Pick<AccessKey, 'accessKeyId' | 'slot'>, position: number): string =>
  key.accessKeyId ?? `slot ${key.slot ?? position}`;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export const day = (instant: Date): string => instant.toISOString().slice(0, 10);

/** `1 day`, `5 days`. */
export const days = (count: number): string => `${count} ${count === 1 ? 'day' : 'days'}`;

/** Where a key was last used, e.g. `2025-05-03 (s3, eu-west-1)`; `never` when it was not. */
export const lastUse = (
  key: Pick<AccessKey, 'lastUsedAt' | 'lastUsedService' | 'lastUsedRegion'>,
): string => {
  if (key.lastUsedAt === null) return 'never';
  const where = [key.lastUsedService, key.lastUsedRegion].filter((part) => part !== null && part !== '');
  return where.length === 0 ? day(key.lastUsedAt) : `${day(key.lastUsedAt)} (${where.join(', ')})`;
};
