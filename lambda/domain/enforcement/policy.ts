/**
 * The enforcement policy: whether and when key-audit acts on keys itself (deactivates, then deletes) after
 * telling their owners. Off by default; `plan` computes and reports what would happen without changing
 * anything. Names carry their unit; `null` means "never".
 */

/** What enforcement does: nothing, compute and report only, or act. */
export const ENFORCEMENT_MODES = ['off', 'plan', 'apply'] as const;

/** `off` | `plan` | `apply`. */
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

export interface EnforcementPolicy {
  /** `off`: nothing; `plan`: compute and report, change nothing; `apply`: notices and actions. @default 'off' */
  readonly mode: EnforcementMode;
  /** Deactivate an active key unused (or never used) for this many days. @default 90 */
  readonly deactivateUnusedAfterDays: number;
  /**
   * Deactivate an active key this many days past its rotation deadline (`maxKeyAgeDays`), even when it was
   * in use before its notice. Null: a key in use is never deactivated just for its age. @default null
   */
  readonly deactivateOverdueAfterDays: number | null;
  /** Days between a key's notice and the action. @default 7 */
  readonly noticeDays: number;
  /** Days between a notice and the action for keys in production accounts. @default 14 */
  readonly productionNoticeDays: number;
  /**
   * Delete a key this many days after key-audit deactivated it, when it stayed inactive and unused since.
   * Null: never delete. @default null
   */
  readonly deleteAfterDays: number | null;
  /** At most this many deactivations and deletions per run; the rest wait for the next run. @default 10 */
  readonly maxActionsPerRun: number;
}

export const DEFAULT_ENFORCEMENT: EnforcementPolicy = Object.freeze({
  mode: 'off',
  deactivateUnusedAfterDays: 90,
  deactivateOverdueAfterDays: null,
  noticeDays: 7,
  productionNoticeDays: 14,
  deleteAfterDays: null,
  maxActionsPerRun: 10,
});

/** The notice period of a key: `productionNoticeDays` in production accounts, else `noticeDays`. */
export const noticeDaysFor = (
  enforcement: Pick<EnforcementPolicy, 'noticeDays' | 'productionNoticeDays'>,
  production: boolean,
): number => (production ? enforcement.productionNoticeDays : enforcement.noticeDays);
