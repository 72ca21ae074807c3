import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ABORT_MARGIN_MS,
  DEADLINE_MARGIN_MS,
  scanWindow,
  withAbortAfter,
} from '../../lambda/app/scan-window.ts';

describe('scanWindow', () => {
  it.each([
    [900_000, 900_000 - DEADLINE_MARGIN_MS, 900_000 - ABORT_MARGIN_MS],
    [120_000, 60_000, 90_000],
    [60_000, 30_000, 45_000],
    [0, 0, 0],
    [-5, 0, 0],
  ])('does stop starting accounts and abort them in time with %i ms left', (remaining, deadline, abort) => {
    expect(scanWindow(remaining)).toEqual({ deadlineMs: deadline, abortMs: abort });
  });
});

describe('withAbortAfter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does abort the signal once the time is up while the task still runs', async () => {
    let seen: AbortSignal | undefined;
    const run = withAbortAfter(1_000, (signal) => {
      seen = signal;
      return new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('stopped')));
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(run).resolves.toBe('stopped');
    expect(seen?.aborted).toBe(true);
  });

  it.each([
    ['resolves', async () => 'done'],
    [
      'rejects',
      async () => {
        throw new Error('failed');
      },
    ],
  ])('does clear its timer when the task %s before the time is up', async (_, outcome) => {
    let seen: AbortSignal | undefined;
    const run = withAbortAfter(1_000, (signal) => {
      seen = signal;
      return outcome();
    });
    await run.catch(() => undefined);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(seen?.aborted).toBe(false);
  });

  it('does pass on what the task resolves or rejects with', async () => {
    await expect(withAbortAfter(1_000, async () => 42)).resolves.toBe(42);
    const failure = new Error('failed');
    await expect(
      withAbortAfter(1_000, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });
});
