/** What every rule module provides, and the shared pieces rules build their findings from. */
import type { RuleMetadata } from '../catalogue.ts';
import type { Finding } from '../finding.ts';
import type { AccessKey, AccountScan, IamUser } from '../inventory.ts';
import { ageInDays, type Policy } from '../policy.ts';
import type { Severity } from '../severity.ts';

/** What a rule may look at besides the account: the evaluation instant and the thresholds. */
export interface RuleContext {
  readonly asOf: Date;
  readonly policy: Policy;
}

/**
 * What a rule decides about one key, user or account: the subject's fields, since when, the message, and
 * a severity or remediation only where it decides otherwise than its catalogue entry. `evaluate` stamps the
 * rule id and the catalogue's defaults (`applyRule`), then the user's owner, any exemption and whether the
 * account is production.
 */
export type RuleHit = Omit<
  Finding,
  'rule' | 'severity' | 'remediation' | 'owner' | 'exempt' | 'exemption' | 'production'
> & {
  /** Only when the rule departs from its `defaultSeverity` (an escalation, a rotation still in grace). */
  readonly severity?: Severity;
  /** Only when the next step differs from the catalogue's (e.g. the old key is already idle). */
  readonly remediation?: string;
};

/** One rule: its catalogue entry, whether exemptions can excuse it, and its check. */
export interface Rule {
  readonly metadata: RuleMetadata;
  /** False for findings an exemption must never hide (root keys, unreachable accounts, bad exemptions). */
  readonly exemptible: boolean;
  readonly check: (account: AccountScan, context: RuleContext) => readonly RuleHit[];
}

/** A key together with the user holding it and its 1-based position in the user's key list. */
export interface KeyOfUser {
  readonly user: IamUser;
  readonly key: AccessKey;
  readonly position: number;
}

/** Every IAM user key of a scanned account (none for a failed one); the root user's keys are not included. */
export const keysOf = (account: AccountScan): KeyOfUser[] =>
  account.status === 'scanned'
    ? account.users.flatMap((user) =>
        user.accessKeys.map((key, index) => ({ user, key, position: index + 1 })),
      )
    : [];

/** The fields every finding about one key of one user shares. */
export type KeyFields = Pick<
  RuleHit,
  | 'accountId'
  | 'userName'
  | 'userArn'
  | 'accessKeyId'
  | 'keySlot'
  | 'lastUsedAt'
  | 'lastUsedService'
  | 'lastUsedRegion'
> & { readonly ageDays: number };

/** The fields of a finding about `key` of `user`, with its age at `asOf`. */
export const keyFields = (account: AccountScan, { user, key }: KeyOfUser, asOf: Date): KeyFields => ({
  accountId: account.accountId,
  userName: user.userName,
  userArn: user.arn,
  accessKeyId: key.accessKeyId,
  keySlot: key.slot,
  ageDays: ageInDays(key.createdAt, asOf),
  lastUsedAt: key.lastUsedAt,
  lastUsedService: key.lastUsedService,
  lastUsedRegion: key.lastUsedRegion,
});

/** The key fields of a finding about a user or an account rather than one key. */
export const NO_KEY_FIELDS = {
  accessKeyId: null,
  keySlot: null,
  ageDays: null,
  overdueDays: null,
  lastUsedAt: null,
  lastUsedService: null,
  lastUsedRegion: null,
} as const;
