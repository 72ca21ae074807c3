import type { Severity } from './severity.ts';

/** Every rule key-audit knows. The catalogue (`catalogue.ts`) describes each. */
export const RULE_IDS = [
  'root-access-key',
  'account-unreachable',
  'key-too-old',
  'two-active-keys',
  'key-unused',
  'key-due-soon',
  'inactive-key',
  'invalid-exemption',
  'new-exemption',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** An exemption that applied to a finding. */
export interface AppliedExemption {
  readonly reason: string;
  /** Last exempt day, `YYYY-MM-DD` (UTC, inclusive). */
  readonly until: string;
  /** Where it was declared: a user tag or the configuration. */
  readonly source: 'tag' | 'config';
}

/** State of a rotation in progress (two active keys), from last-used data. */
export interface RotationState {
  /**
   * True when the old key was used after the new key was created (or the new key is unused): usages of the
   * old key remain. False: the new key is in use and the old key idle since, so it is safe to deactivate.
   */
  readonly oldKeyUsedSinceNewKey: boolean;
  readonly oldAccessKeyId: string | null;
  readonly oldKeySlot: 1 | 2 | null;
  readonly newAccessKeyId: string | null;
  readonly newKeySlot: 1 | 2 | null;
  readonly newKeyCreatedAt: Date;
  readonly newKeyLastUsedAt: Date | null;
}

/** One thing that needs doing, about one key, user or account. */
export interface Finding {
  /** Stable across runs: `rule:accountId:accessKeyId` (user name / slot where no id is known). */
  readonly id: string;
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly accountId: string;
  /** Null for account-level findings (`account-unreachable`); `<root_account>` for the root user. */
  readonly userName: string | null;
  readonly userArn: string | null;
  readonly accessKeyId: string | null;
  readonly keySlot: 1 | 2 | null;
  /** Age of the key in whole days at `asOf`, when the finding is about a key. */
  readonly ageDays: number | null;
  /** The instant the finding became true (e.g. createdAt + maxKeyAgeDays); null when unknown. */
  readonly since: Date | null;
  /**
   * When the finding reached its current severity, where that is later than `since` (an escalation, e.g.
   * two active keys past the rotation grace). Alerts treat an escalation as new.
   */
  readonly severitySince?: Date;
  /** Whole days the key is past its rotation deadline (key-too-old only), else null. */
  readonly overdueDays: number | null;
  readonly lastUsedAt: Date | null;
  readonly lastUsedService: string | null;
  readonly lastUsedRegion: string | null;
  /** From the `key-audit:owner` tag (falling back to `owner` / `Owner`). */
  readonly owner: string | null;
  /** Exempt findings stay in the report but never count as violations and are never alerted. */
  readonly exempt: boolean;
  readonly exemption: AppliedExemption | null;
  /** One sentence: what is wrong, since when. */
  readonly message: string;
  /** The next step, from the runbook. */
  readonly remediation: string;
  readonly rotation?: RotationState;
}
