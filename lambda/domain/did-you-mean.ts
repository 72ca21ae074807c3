/** Levenshtein distance between two strings. */
export const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
};

/**
 * The known name a mistyped `name` most likely meant (a typo of up to 3 edits, or a truncation of at
 * least 4 characters, case-insensitive), or undefined. Unknown settings are errors in key-audit, and a
 * suggestion turns "unknown" into a fix.
 */
export const didYouMean = (name: string, known: Iterable<string>): string | undefined => {
  const lower = name.toLowerCase();
  for (const candidate of known) {
    const k = candidate.toLowerCase();
    const truncated = lower.length >= 4 && (k.startsWith(lower) || lower.startsWith(k));
    if (truncated || editDistance(k, lower) <= 3) return candidate;
  }
  return undefined;
};
