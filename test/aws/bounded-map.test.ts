import { describe, expect, it } from 'vitest';
import { boundedMap } from '../../lambda/aws/bounded-map.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('boundedMap', () => {
  it('keeps the input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const result = await boundedMap([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      for (let i = 0; i < n; i += 1) await tick();
      running -= 1;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('returns an empty list for no items', async () => {
    await expect(boundedMap([], 3, async () => 1)).resolves.toEqual([]);
  });

  it('starts no further task after a failure and rejects with it', async () => {
    const started: number[] = [];
    const failure = new Error('boom');
    const run = boundedMap([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 2) throw failure;
      return n;
    });
    await expect(run).rejects.toBe(failure);
    expect(started).toEqual([1, 2]);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a limit of %s', async (limit) => {
    await expect(boundedMap([1], limit, async (n) => n)).rejects.toThrow(RangeError);
  });
});
