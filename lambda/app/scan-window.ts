/**
 * How long a scheduled run may scan. A run stops starting accounts `DEADLINE_MARGIN_MS` before the Lambda
 * timeout and aborts accounts still running `ABORT_MARGIN_MS` before it, so that there is always time to
 * evaluate and publish what was scanned. 90 seconds covers evaluating (well under a second for thousands
 * of keys), rendering and fitting the message (seconds for 5,000 findings) and a publish that the SDK
 * retries with back-off; 30 seconds before the end, running accounts are abandoned for the same reason.
 */

/** Stop starting accounts this long before the Lambda timeout (or at half the time left, if less). */
export const DEADLINE_MARGIN_MS = 90_000;
/** Abort accounts still running this long before the timeout (or at a quarter of the time left, if less). */
export const ABORT_MARGIN_MS = 30_000;

/** The soft deadline and hard stop of a run with `remainingMs` left, in ms from now. */
export const scanWindow = (
  remainingMs: number,
): { readonly deadlineMs: number; readonly abortMs: number } => {
  const left = Math.max(0, remainingMs);
  return {
    deadlineMs: left - Math.min(DEADLINE_MARGIN_MS, left / 2),
    abortMs: left - Math.min(ABORT_MARGIN_MS, left / 4),
  };
};

/**
 * Runs `task` with a signal that aborts `abortMs` from now; the timer is cleared once `task` settles, so
 * nothing fires (or keeps the process alive) after it.
 */
export const withAbortAfter = async <T>(
  abortMs: number,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), abortMs);
  try {
    return await task(controller.signal);
  } finally {
    clearTimeout(timer);
  }
};
