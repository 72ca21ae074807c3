/**
 * Once-per-key work shared by everyone who asks: the scan assumes each account's role once and starts
 * each account's credential report once, however many parts of the run need them and in whatever order.
 */

/**
 * `load` wrapped so that it runs at most once per key: every caller of a key, concurrent or later, gets the
 * same promise. A rejection is kept and shared too, never retried (a retry would repeat the AWS calls that
 * just failed, in the same run). A `load` that throws synchronously counts as a rejection.
 */
export const memoByKey = <K, V>(load: (key: K) => Promise<V>): ((key: K) => Promise<V>) => {
  const promises = new Map<K, Promise<V>>();
  return (key) => {
    let found = promises.get(key);
    if (found === undefined) {
      try {
        found = load(key);
      } catch (error) {
        found = Promise.reject(error);
      }
      promises.set(key, found);
    }
    return found;
  };
};
