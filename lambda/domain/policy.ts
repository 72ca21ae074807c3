/**
 * The rotation policy: thresholds (names carry their unit) and exemptions. Every threshold has a default
 * that matches the runbook: rotate every 90 days, at most one active key per user outside a rotation.
 */

/** An exemption from configuration: a user (or glob of users) excused until a date, for a reason. */
export interface ConfiguredExemption {
  /** 12-digit account id, or `*` for every account. @default '*' */
  readonly accountId?: string;
  /** User name or glob (`*` matches any run of characters, `?` one character). */
  readonly userName: string;
  /** Last exempt day, `YYYY-MM-DD` (UTC, inclusive). */
  readonly until: string;
  /** Why; required, so that every exemption can be audited. */
  readonly reason: string;
}

export interface Policy {
  /** Keys older than this many days (more than N x 24 h since creation) must be rotated. @default 90 */
  readonly maxKeyAgeDays: number;
  /** Warn this many days before a key reaches `maxKeyAgeDays`. @default 14 */
  readonly warnDays: number;
  /** A key unused (or never used) for this many days should be removed. @default 45 */
  readonly unusedDays: number;
  /** Two active keys are a rotation in progress while the newer key is younger than this. @default 7 */
  readonly rotationGraceDays: number;
  /** `key-too-old` becomes critical beyond this multiple of `maxKeyAgeDays`. @default 2 */
  readonly criticalAgeMultiplier: number;
  /** Exemptions from configuration (tags on users are read as well). @default [] */
  readonly exemptions: readonly ConfiguredExemption[];
}

export const DEFAULT_POLICY: Policy = Object.freeze({
  maxKeyAgeDays: 90,
  warnDays: 14,
  unusedDays: 45,
  rotationGraceDays: 7,
  criticalAgeMultiplier: 2,
  exemptions: Object.freeze([]) as readonly ConfiguredExemption[],
});

/** Milliseconds in a day; ages are counted in whole 24-hour periods. */
export const DAY_MS = 86_400_000;

/** The instant `days` days after `from`. */
export const addDays = (from: Date, days: number): Date => new Date(from.getTime() + days * DAY_MS);

/** Age in whole days (floor) between `from` and `asOf`. */
export const ageInDays = (from: Date, asOf: Date): number =>
  Math.floor((asOf.getTime() - from.getTime()) / DAY_MS);
