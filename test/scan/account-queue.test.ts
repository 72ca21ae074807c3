import { describe, expect, it } from 'vitest';
import { type AccountQueueOptions, runAccountQueue } from '../../lambda/scan/account-queue.ts';
import { ScanStop } from '../../lambda/scan/scan-stop.ts';

const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Tracks how many tasks run at once. */
const gauge = () => {
  let running = 0;
  const state = { peak: 0 };
  const during = async <T>(work: () => T, ticks = 2): Promise<T> => {
    running += 1;
    state.peak = Math.max(state.peak, running);
    for (let i = 0; i < ticks; i += 1) await tick();
    running -= 1;
    return work();
  };
  return { state, during };
};

const noStop = () => new ScanStop({ now: () => 0 });

const options = (extra: Partial<AccountQueueOptions<string>> = {}): AccountQueueOptions<string> => ({
  concurrency: 2,
  stop: noStop(),
  run: async (id) => `scanned ${id}`,
  onError: (id) => `failed ${id}`,
  ...extra,
});

describe('runAccountQueue', () => {
  it.each([1, 2, 3, 6, 10])('does never run more than %i accounts at once', async (limit) => {
    const { state, during } = gauge();
    const result = await runAccountQueue(
      IDS,
      options({ concurrency: limit, run: (id) => during(() => `scanned ${id}`, 1 + (id.charCodeAt(0) % 3)) }),
    );
    expect(state.peak).toBe(Math.min(limit, IDS.length));
    expect(result.done).toEqual(IDS.map((id) => `scanned ${id}`));
    expect(result.notScanned).toEqual([]);
  });

  it('does keep target order whatever order accounts finish in', async () => {
    const result = await runAccountQueue(
      ['slow', 'fast'],
      options({
        run: async (id) => {
          if (id === 'slow') for (let i = 0; i < 5; i += 1) await tick();
          return id;
        },
      }),
    );
    expect(result.done).toEqual(['slow', 'fast']);
  });

  it('does tell onDone of every finished account, scanned or failed', async () => {
    const finished: [string, string][] = [];
    await runAccountQueue(
      ['a', 'b'],
      options({
        run: async (id) => {
          if (id === 'b') throw new Error('denied');
          return `scanned ${id}`;
        },
        onDone: (id, result) => finished.push([id, result]),
      }),
    );
    expect(finished).toEqual([
      ['a', 'scanned a'],
      ['b', 'failed b'],
    ]);
  });

  it('does make a failed account of a rejection through onError when not aborted', async () => {
    const failure = new Error('denied');
    const seen: unknown[] = [];
    const result = await runAccountQueue(
      ['a', 'b'],
      options({
        run: async (id) => {
          if (id === 'a') throw failure;
          return `scanned ${id}`;
        },
        onError: (id, error) => {
          seen.push(error);
          return `failed ${id}`;
        },
      }),
    );
    expect(result.done).toEqual(['failed a', 'scanned b']);
    expect(seen).toEqual([failure]);
  });

  it('does reject with what onError throws and start no further account', async () => {
    const started: string[] = [];
    const bug = new TypeError('bug');
    const run = runAccountQueue(
      IDS,
      options({
        concurrency: 1,
        run: async (id) => {
          started.push(id);
          if (id === 'b') throw bug;
          return id;
        },
        onError: (_, error) => {
          throw error;
        },
      }),
    );
    await expect(run).rejects.toBe(bug);
    expect(started).toEqual(['a', 'b']);
  });

  it('does start no account once the deadline has passed and lists the rest as not scanned in order', async () => {
    let now = 0;
    const started: string[] = [];
    const result = await runAccountQueue(
      ['a', 'b', 'c'],
      options({
        concurrency: 1,
        stop: new ScanStop({ deadline: new Date(1_000), now: () => now }),
        run: async (id) => {
          started.push(id);
          now = 2_000;
          return id;
        },
      }),
    );
    expect(started).toEqual(['a']);
    expect(result).toEqual({ done: ['a'], notScanned: ['b', 'c'] });
  });

  it('does count running accounts that reject after an abort as not scanned, without onError', async () => {
    const controller = new AbortController();
    const errors: string[] = [];
    const stop = new ScanStop({ signal: controller.signal, now: () => 0 });
    const result = await runAccountQueue(
      ['a', 'b', 'c'],
      options({
        concurrency: 2,
        stop,
        run: async (id) => {
          if (id === 'a') return id;
          controller.abort();
          throw new Error('aborted mid-read');
        },
        onError: (id) => {
          errors.push(id);
          return id;
        },
      }),
    );
    expect(result).toEqual({ done: ['a'], notScanned: ['b', 'c'] });
    expect(errors).toEqual([]);
    expect(stop.reason).toBe('aborted');
  });

  it("does start every account's head start before the first account finishes", async () => {
    const order: string[] = [];
    await runAccountQueue(
      ['a', 'b', 'c'],
      options({
        concurrency: 1,
        run: async (id) => {
          await tick();
          order.push(`run ${id}`);
          return id;
        },
        headStart: { concurrency: 8, start: async (id) => void order.push(`ahead ${id}`) },
      }),
    );
    expect(order).toEqual(['ahead a', 'ahead b', 'ahead c', 'run a', 'run b', 'run c']);
  });

  it('does run head starts at most their own concurrency at once and settle them before resolving', async () => {
    const { state, during } = gauge();
    const settled: string[] = [];
    const result = await runAccountQueue(
      IDS,
      options({
        concurrency: 6,
        headStart: { concurrency: 2, start: (id) => during(() => void settled.push(id), 4) },
      }),
    );
    expect(state.peak).toBe(2);
    expect(settled.sort()).toEqual(IDS);
    expect(result.done).toHaveLength(IDS.length);
  });

  it('does skip the head start of accounts reached after a stop', async () => {
    const controller = new AbortController();
    controller.abort();
    const ahead: string[] = [];
    const result = await runAccountQueue(
      ['a', 'b'],
      options({
        stop: new ScanStop({ signal: controller.signal, now: () => 0 }),
        headStart: { concurrency: 2, start: async (id) => void ahead.push(id) },
      }),
    );
    expect(ahead).toEqual([]);
    expect(result).toEqual({ done: [], notScanned: ['a', 'b'] });
  });
});
