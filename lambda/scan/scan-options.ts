/**
 * What a scan can be told, its defaults, and their validation (before any AWS call).
 */
import type { AwsClients } from '../aws/client-factory.ts';
import type { ReportPollingOptions } from '../aws/credential-report-source.ts';
import { DEFAULT_USER_CONCURRENCY } from '../aws/iam-inventory.ts';
import { validateExternalId, validateRoleName } from '../aws/sts-sessions.ts';
import { InputError } from '../domain/errors.ts';
import type { InventorySource } from '../domain/inventory.ts';
import type { Policy } from '../domain/policy.ts';
import type { ScanProgress } from './scan-progress.ts';

/** Accounts scanned at a time. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 4;

/**
 * Credential reports started ahead at a time. Starting one is an AssumeRole and one IAM call in that
 * account, so this runs well ahead of the scan without loading any one account's throttling bucket.
 */
export const REPORT_HEAD_START_CONCURRENCY = 8;

/** How to scan. */
export interface ScanOptions {
  /** The instant findings will be evaluated at (the report source flags users relative to it). */
  readonly asOf: Date;
  readonly policy: Policy;
  /** `report`: credential report + live check of flagged users; `api`: everything live. @default 'report' */
  readonly source?: 'report' | 'api';
  /** @default createAwsClients() */
  readonly clients?: AwsClients;
  /** Member role name. @default DEFAULT_ROLE_NAME */
  readonly roleName?: string;
  readonly externalId?: string;
  /**
   * When AssumeRole into the caller's own account fails with AccessDenied/NoSuchEntity, scan it with the
   * caller's own credentials instead of failing it. @default true
   */
  readonly ownAccountFallback?: boolean;
  /** @default DEFAULT_ACCOUNT_CONCURRENCY */
  readonly concurrency?: number;
  /** @default DEFAULT_USER_CONCURRENCY */
  readonly userConcurrency?: number;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Soft stop: no account starts after this instant; accounts already running finish. */
  readonly deadline?: Date;
  /** Hard stop: no account starts, running accounts stop at the next user and count as not scanned. */
  readonly signal?: AbortSignal;
  /** Milliseconds clock for the deadline and progress. @default Date.now */
  readonly now?: () => number;
  /** Credential report polling (max wait, delays, sleep). */
  readonly reportPolling?: Omit<ReportPollingOptions, 'signal'>;
}

/** The options a scan runs with once defaults are applied and every value is checked. */
export interface ScanSettings {
  readonly source: InventorySource;
  readonly concurrency: number;
  readonly userConcurrency: number;
  readonly ownAccountFallback: boolean;
  readonly now: () => number;
}

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value < 1)
    throw new InputError(`${name} must be a positive integer, got ${value}`);
  return value;
};

/**
 * `options` with their defaults.
 * @throws InputError naming the first bad option (concurrency, user concurrency, role name, external id).
 */
export const scanSettings = (options: ScanOptions): ScanSettings => {
  const concurrency = positiveInteger('concurrency', options.concurrency ?? DEFAULT_ACCOUNT_CONCURRENCY);
  const userConcurrency = positiveInteger(
    'userConcurrency',
    options.userConcurrency ?? DEFAULT_USER_CONCURRENCY,
  );
  if (options.roleName !== undefined) validateRoleName(options.roleName);
  if (options.externalId !== undefined) validateExternalId(options.externalId);
  return {
    source: options.source === 'api' ? 'api' : 'credential-report',
    concurrency,
    userConcurrency,
    ownAccountFallback: options.ownAccountFallback ?? true,
    now: options.now ?? Date.now,
  };
};
