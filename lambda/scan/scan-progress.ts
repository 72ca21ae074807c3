/**
 * Progress of a scan as it goes, for the CLI's progress line: reported once before the first account, as
 * users are read inside accounts (one account of 5,000 users can take minutes), and after every account
 * that finishes.
 */
import type { AccountScan } from '../domain/inventory.ts';

/** What just happened: the scan started, users were read inside an account, or an account finished. */
export type ScanProgressEvent = 'started' | 'users' | 'account';

/** Reported at every event (see `ScanProgressEvent`). */
export interface ScanProgress {
  readonly event: ScanProgressEvent;
  /** Accounts finished, scanned or failed. */
  readonly accountsDone: number;
  readonly accountsTotal: number;
  /** IAM users read so far: all of the finished accounts' and those read yet in accounts still running. */
  readonly users: number;
  readonly elapsedMs: number;
  /** The account the event is about: whose users were read, or which finished; absent when `started`. */
  readonly accountId?: string;
}

/** Counts finished accounts and users read, and tells `onProgress` (a no-op without one). */
export class ProgressCounter {
  readonly #accountsTotal: number;
  readonly #now: () => number;
  readonly #startedAt: number;
  readonly #onProgress: ((progress: ScanProgress) => void) | undefined;
  #accountsDone = 0;
  /** Users of finished (scanned) accounts. */
  #usersDone = 0;
  /** Users read so far in accounts still running, by account. */
  readonly #usersRunning = new Map<string, number>();

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
    this.#report('started');
  }

  /** Counts `count` users just read in `accountId`, which is still running, and reports. */
  usersRead(accountId: string, count: number): void {
    this.#usersRunning.set(accountId, (this.#usersRunning.get(accountId) ?? 0) + count);
    this.#report('users', accountId);
  }

  /**
   * Counts `account` as finished and reports. Its users count as the inventory holds them (users deleted
   * mid-scan drop out); a failed account's users read so far drop out too, since the report has none.
   */
  finished(account: AccountScan): void {
    this.#accountsDone += 1;
    this.#usersRunning.delete(account.accountId);
    if (account.status === 'scanned') this.#usersDone += account.users.length;
    this.#report('account', account.accountId);
  }

  #report(event: ScanProgressEvent, accountId?: string): void {
    if (this.#onProgress === undefined) return;
    let users = this.#usersDone;
    for (const running of this.#usersRunning.values()) users += running;
    this.#onProgress({
      event,
      accountsDone: this.#accountsDone,
      accountsTotal: this.#accountsTotal,
      users,
      elapsedMs: this.#now() - this.#startedAt,
      ...(accountId === undefined ? {} : { accountId }),
    });
  }
}
