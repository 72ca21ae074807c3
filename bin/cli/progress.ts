import type { ScanProgress } from '../../lambda/scan/scan-accounts.ts';

/** Something like process.stderr: a progress line is drawn only on a TTY. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** One line, rewritten in place: accounts done / total, users read, elapsed time. */
export const formatProgress = (p: ScanProgress): string =>
  `key-audit: accounts ${p.accountsDone}/${p.accountsTotal} · users ${p.users.toLocaleString('en-GB')} · ${Math.round(p.elapsedMs / 1000)}s`;

/**
 * A progress reporter for stderr. It stays silent when stderr is not a TTY (logs and CI) or with
 * `--quiet`, so that stdout (JSON, Markdown) and redirected stderr stay clean.
 */
export const createProgress = (
  stream: ProgressStream,
  quiet: boolean,
): { readonly update: (p: ScanProgress) => void; readonly done: () => void } => {
  if (quiet || stream.isTTY !== true) return { update: () => {}, done: () => {} };
  let drawn = false;
  return {
    update: (p) => {
      stream.write(`\r\x1b[2K${formatProgress(p)}`);
      drawn = true;
    },
    done: () => {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
};
