import { describe, expect, it } from 'vitest';
import { memoByKey } from '../../lambda/scan/memo-by-key.ts';

/** A load that records its calls and settles only when told. */
const deferredLoad = () => {
  const calls: string[] = [];
  const settle = new Map<string, { resolve: (v: string) => void; reject: (e: unknown) => void }>();
  const load = (key: string) => {
    calls.push(key);
    return new Promise<string>((resolve, reject) => settle.set(key, { resolve, reject }));
  };
  return { calls, settle, load };
};

describe('memoByKey', () => {
  it('does share one promise between concurrent callers of a key, loading it once', async () => {
    const { calls, settle, load } = deferredLoad();
    const once = memoByKey(load);
    const first = once('a');
    const second = once('a');
    expect(second).toBe(first);
    settle.get('a')?.resolve('A');
    await expect(Promise.all([first, second])).resolves.toEqual(['A', 'A']);
    expect(calls).toEqual(['a']);
  });

  it('does reuse the settled value for a later caller without loading again', async () => {
    const { calls, settle, load } = deferredLoad();
    const once = memoByKey(load);
    const first = once('a');
    settle.get('a')?.resolve('A');
    await first;
    await expect(once('a')).resolves.toBe('A');
    expect(calls).toEqual(['a']);
  });

  it('does load each key separately', async () => {
    const { calls, settle, load } = deferredLoad();
    const once = memoByKey(load);
    const a = once('a');
    const b = once('b');
    settle.get('b')?.resolve('B');
    settle.get('a')?.resolve('A');
    await expect(Promise.all([a, b])).resolves.toEqual(['A', 'B']);
    expect(calls).toEqual(['a', 'b']);
  });

  it('does share a rejection with every caller and never retries the key', async () => {
    const { calls, settle, load } = deferredLoad();
    const once = memoByKey(load);
    const failure = new Error('denied');
    const first = once('a');
    const second = once('a');
    settle.get('a')?.reject(failure);
    await expect(first).rejects.toBe(failure);
    await expect(second).rejects.toBe(failure);
    await expect(once('a')).rejects.toBe(failure);
    expect(calls).toEqual(['a']);
  });

  it('does turn a load that throws synchronously into a shared rejection', async () => {
    let calls = 0;
    const failure = new TypeError('bug');
    const once = memoByKey((_key: string): Promise<string> => {
      calls += 1;
      throw failure;
    });
    await expect(once('a')).rejects.toBe(failure);
    await expect(once('a')).rejects.toBe(failure);
    expect(calls).toBe(1);
  });
});
