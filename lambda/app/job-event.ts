/**
 * The event a schedule invokes the scanner Lambda with: `{"job": "report"}` or `{"job": "alerts"}`.
 */
import { InputError } from '../domain/errors.ts';

/** The jobs a schedule can name in its event. */
export const JOBS = ['report', 'alerts'] as const;

/** A job the handler runs. */
export type Job = (typeof JOBS)[number];

const isJob = (value: unknown): value is Job => (JOBS as readonly unknown[]).includes(value);

/**
 * The job an invocation event names (other fields are ignored).
 * @throws InputError naming the `job` field of the event and what it should be.
 */
export const parseJobEvent = (event: unknown): Job => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InputError(
      `event: expected {"job": "report"} or {"job": "alerts"}, got ${JSON.stringify(event) ?? String(event)}`,
    );
  }
  const job = (event as { job?: unknown }).job;
  if (isJob(job)) return job;
  throw new InputError(
    `event.job: ${job === undefined ? 'missing' : `${JSON.stringify(job)} is not a job`}: expected "report" or "alerts"`,
  );
};
