/**
 * Runs async work over a list with at most `limit` tasks in flight. IAM throttles per account, so the
 * adapters bound their calls instead of firing one request per user at once.
 */

/**
 * Maps `items` through `task` with at most `limit` tasks running at a time; results keep the input order.
 * On the first failure no further task starts and the returned promise rejects with that error (tasks
 * already running finish in the background and their results are discarded).
 */
export const boundedMap = async <T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};
