/**
 * The inventory model: what key-audit knows about IAM users and their access keys, whatever the source
 * (a credential report or the live IAM API). Pure data; no AWS SDK types leak in here.
 */
import type { FailureStep } from './unreachable-cause.ts';

/** Key status as IAM reports it. `unknown` keeps statuses newer than this code (e.g. `Expired`) visible. */
export type KeyStatus = 'active' | 'inactive' | 'unknown';

/** One IAM access key. A user holds at most two. */
export interface AccessKey {
  /** The key id (AKIA...), or null when only the slot is known (credential reports carry no ids). */
  readonly accessKeyId: string | null;
  /** Credential-report slot 1 or 2, or null when the key came from the IAM API. */
  readonly slot: 1 | 2 | null;
  readonly status: KeyStatus;
  /** When the key was created (the report's `last_rotated`). */
  readonly createdAt: Date;
  /** Last use, or null when never used (or used before IAM began tracking, April 2015). */
  readonly lastUsedAt: Date | null;
  /** The service of the last use (e.g. `s3`), or null when unknown. */
  readonly lastUsedService: string | null;
  /** The region of the last use, or null when unknown or global. */
  readonly lastUsedRegion: string | null;
}

/** One IAM user. */
export interface IamUser {
  readonly userName: string;
  readonly arn: string;
  /** IAM path, e.g. `/` or `/service/`. */
  readonly path: string;
  /** Tags by key; empty when the source has none (credential reports do not carry tags). */
  readonly tags: Readonly<Record<string, string>>;
  readonly accessKeys: readonly AccessKey[];
}

/** What is known of the root user's access keys. */
export interface RootUser {
  /** Keys as the credential report lists them; empty when only their presence is known (IAM API). */
  readonly accessKeys: readonly AccessKey[];
  /** True when the root user has an active access key (the API's AccountAccessKeysPresent counts as active). */
  readonly hasActiveAccessKey: boolean;
}

/** Where an account's data came from. */
export type InventorySource = 'credential-report' | 'api';

/**
 * The chosen source could not deliver and another stood in: a credential report that did not complete in
 * time, replaced by the IAM API for that account.
 */
export interface SourceFallback {
  /** The source that was chosen and could not deliver. */
  readonly from: InventorySource;
  /** Why, in one line (e.g. the report's timeout error). */
  readonly reason: string;
}

/** An account that was read. */
export interface ScannedAccount {
  readonly accountId: string;
  readonly status: 'scanned';
  readonly source: InventorySource;
  /** The credential report's GeneratedTime, when the data came from one (it can be 4 hours old). */
  readonly reportGeneratedAt?: Date;
  /** Set when `source` stood in for the chosen source (see `SourceFallback`). */
  readonly fallback?: SourceFallback;
  readonly users: readonly IamUser[];
  /** The root user, or null when the source did not say (e.g. moto's report has no root row). */
  readonly root: RootUser | null;
}

/** An account that could not be read. It is never dropped: it becomes an `account-unreachable` finding. */
export interface FailedAccount {
  readonly accountId: string;
  readonly status: 'failed';
  /** The AWS error code (e.g. `AccessDenied`) or a key-audit code. */
  readonly errorCode: string;
  readonly errorMessage: string;
  /** Where it failed; decides what a denied request means (see `unreachableCause`). @default 'read' */
  readonly step?: FailureStep;
}

export type AccountScan = ScannedAccount | FailedAccount;

/** Everything one run read, account by account. */
export interface Inventory {
  readonly accounts: readonly AccountScan[];
}

/** True for keys that can sign requests now. */
export const isActive = (key: AccessKey): boolean => key.status === 'active';
