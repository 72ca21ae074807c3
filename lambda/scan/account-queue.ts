/**
 * The scan's scheduling, apart from AWS: accounts run `concurrency` at a time in target order, optional
 * work for every account is started ahead of its turn, and a stop (deadline or abort) leaves the rest out.
 */
import { boundedMap } from '../aws/bounded-map.ts';
import type { ScanStop } from './scan-stop.ts';

/** Work started for every account ahead of its turn, `concurrency` at a time; it must not reject. */
export interface HeadStart {
  readonly concurrency: number;
  readonly start: (accountId: string) => Promise<void>;
}

/** How to run the accounts. */
export interface AccountQueueOptions<T> {
  /** At most this many accounts run at once. */
  readonly concurrency: number;
  readonly stop: ScanStop;
  /** Reads one account. */
  readonly run: (accountId: string) => Promise<T>;
  /** What a rejection of `run` means for the account (e.g. a failed account); rethrow what is a bug. */
  readonly onError: (accountId: string, error: unknown) => T;
  /** Called as each account finishes, scanned or failed. */
  readonly onDone?: (accountId: string, result: T) => void;
  readonly headStart?: HeadStart;
}

/** The accounts that ran, and those left out by a stop, each in target order. */
export interface AccountQueueResult<T> {
  readonly done: T[];
  readonly notScanned: string[];
}

const NOT_SCANNED = Symbol('not scanned');

/**
 * Runs every account of `accountIds` (see the module comment). An account starts only while `stop` allows;
 * one whose `run` rejects after an abort counts as not scanned rather than as an error. The head start is
 * skipped for accounts reached after a stop and settles before this resolves.
 * @throws whatever `onError` throws (the first such error; no further account starts).
 */
export const runAccountQueue = async <T>(
  accountIds: readonly string[],
  options: AccountQueueOptions<T>,
): Promise<AccountQueueResult<T>> => {
  const { stop, headStart } = options;
  const ahead =
    headStart === undefined
      ? Promise.resolve([])
      : boundedMap(accountIds, headStart.concurrency, async (accountId) => {
          if (!stop.shouldStop()) await headStart.start(accountId);
        });
  const one = async (accountId: string): Promise<T | typeof NOT_SCANNED> => {
    if (stop.shouldStop()) return NOT_SCANNED;
    let result: T;
    try {
      result = await options.run(accountId);
    } catch (error) {
      if (stop.aborted()) return NOT_SCANNED;
      result = options.onError(accountId, error);
    }
    options.onDone?.(accountId, result);
    return result;
  };
  const results = await boundedMap(accountIds, options.concurrency, one);
  await ahead;
  const done: T[] = [];
  const notScanned: string[] = [];
  results.forEach((result, index) => {
    if (result === NOT_SCANNED) notScanned.push(accountIds[index] ?? '');
    else done.push(result);
  });
  return { done, notScanned };
};
