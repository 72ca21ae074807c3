import { formatCount, plural } from '../../lambda/domain/wording.ts';
import type { ScanProgress } from '../../lambda/scan/scan-accounts.ts';

/** Something like process.stderr: a progress line is drawn only on a TTY. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Users read inside an account redraw the line at most this often: an account of 5,000 users reports
 * every user, and a terminal needs no more than a few frames a second.
 */
export const USER_PROGRESS_INTERVAL_MS = 200;

/** One line, rewritten in place: `key-audit: scanning 3/20 accounts, 1,250 users read · 12s`. */
export const formatProgress = (p: ScanProgress): string =>
  `key-audit: scanning ${formatCount(p.accountsDone)}/${plural(p.accountsTotal, 'account')}, ` +
  `${plural(p.users, 'user')} read · ${Math.round(p.elapsedMs / 1000)}s`;

/**
 * A progress reporter for stderr. It stays silent when stderr is not a TTY (logs and CI) or with
 * `--quiet`, so that stdout (JSON, Markdown) and redirected stderr stay clean. The scan's start and every
 * finished account are drawn; users read inside an account at most every `USER_PROGRESS_INTERVAL_MS`
 * (by `now`, a milliseconds clock).
 */
export const createProgress = (
  stream: ProgressStream,
  quiet: boolean,
  now: () => number = Date.now,
): { readonly update: (p: ScanProgress) => void; readonly done: () => void } => {
  if (quiet || stream.isTTY !== true) return { update: () => {}, done: () => {} };
  let drawnAt: number | undefined;
  return {
    update: (p) => {
      const at = now();
      if (p.event === 'users' && drawnAt !== undefined && at - drawnAt < USER_PROGRESS_INTERVAL_MS) return;
      stream.write(`\r\x1b[2K${formatProgress(p)}`);
      drawnAt = at;
    },
    done: () => {
      if (drawnAt !== undefined) stream.write('\r\x1b[2K');
    },
  };
};
