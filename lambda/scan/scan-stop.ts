/**
 * When a scan stops early, and why. A soft stop (the deadline) lets running accounts finish; a hard stop
 * (the abort signal) abandons them too. Once a reason is recorded it stays, except that an abort always
 * wins over the deadline: accounts abandoned mid-read make the stop a hard one.
 */

/** Why a scan stopped before every account was attempted. */
export type StopReason = 'deadline' | 'aborted';

/** What can stop a scan. */
export interface StopConditions {
  /** Soft stop: no account starts at or after this instant. */
  readonly deadline?: Date | undefined;
  /** Hard stop: no account starts, running accounts are abandoned. */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds clock for the deadline. */
  readonly now: () => number;
}

/** The stop state of one scan. */
export class ScanStop {
  readonly #conditions: StopConditions;
  #reason: StopReason | null = null;

  constructor(conditions: StopConditions) {
    this.#conditions = conditions;
  }

  /** Why the scan stopped, or null while it has not. */
  get reason(): StopReason | null {
    return this.#reason;
  }

  /** True when the signal has aborted (recording `aborted`): an account that failed now was abandoned. */
  aborted(): boolean {
    if (this.#conditions.signal?.aborted) this.#reason = 'aborted';
    return this.#reason === 'aborted';
  }

  /** True when no further account may start: aborted, or the deadline has come (recording which). */
  shouldStop(): boolean {
    if (this.aborted()) return true;
    const { deadline, now } = this.#conditions;
    if (deadline !== undefined && now() >= deadline.getTime()) this.#reason ??= 'deadline';
    return this.#reason !== null;
  }
}
