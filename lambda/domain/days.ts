/** Whole days, the unit of every threshold: ages are counted in whole 24-hour periods. */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** The instant `days` days after `from`. */
export const addDays = (from: Date, days: number): Date => new Date(from.getTime() + days * DAY_MS);

/** Age in whole days (floor) between `from` and `asOf`. */
export const ageInDays = (from: Date, asOf: Date): number =>
  Math.floor((asOf.getTime() - from.getTime()) / DAY_MS);
