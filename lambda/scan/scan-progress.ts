/**
 * Progress of a scan as it goes, for the CLI's progress line: reported once before the first account and
 * after every account that finishes.
 */
import type { AccountScan } from '../domain/inventory.ts';

/** Reported after every account (and once before the first). */
export interface ScanProgress {
  /** Accounts finished, scanned or failed. */
  readonly accountsDone: number;
  readonly accountsTotal: number;
  /** IAM users read so far. */
  readonly users: number;
  readonly elapsedMs: number;
  /** The account just finished; absent in the first report. */
  readonly accountId?: string;
}

/** Counts finished accounts and users read, and tells `onProgress` (a no-op without one). */
export class ProgressCounter {
  readonly #accountsTotal: number;
  readonly #now: () => number;
  readonly #startedAt: number;
  readonly #onProgress: ((progress: ScanProgress) => void) | undefined;
  #accountsDone = 0;
  #users = 0;

  constructor(options: {
    readonly accountsTotal: number;
    /** Milliseconds clock. */
    readonly now: () => number;
    /** When the scan started (elapsed time counts from here). */
    readonly startedAt: number;
    readonly onProgress?: ((progress: ScanProgress) => void) | undefined;
  }) {
    this.#accountsTotal = options.accountsTotal;
    this.#now = options.now;
    this.#startedAt = options.startedAt;
    this.#onProgress = options.onProgress;
  }

  /** Reports the state before any account has finished. */
  started(): void {
    this.#report();
  }

  /** Counts `account` (its users when it was scanned) and reports. */
  finished(account: AccountScan): void {
    this.#accountsDone += 1;
    if (account.status === 'scanned') this.#users += account.users.length;
    this.#report(account.accountId);
  }

  #report(accountId?: string): void {
    this.#onProgress?.({
      accountsDone: this.#accountsDone,
      accountsTotal: this.#accountsTotal,
      users: this.#users,
      elapsedMs: this.#now() - this.#startedAt,
      ...(accountId === undefined ? {} : { accountId }),
    });
  }
}
