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
 * The known name a mistyped `name` most likely meant, or undefined: the closest one within a few edits (one
 * per three characters of `name`, from 1 to 3, so that a short typo is not matched to anything short), or
 * one that `name` truncates or extends by at least 4 characters, case-insensitive. Unknown settings and
 * flags are errors in key-audit, and a suggestion turns "unknown" into a fix.
 */
export const didYouMean = (name: string, known: Iterable<string>): string | undefined => {
  const lower = name.toLowerCase();
  const allowed = Math.min(3, Math.max(1, Math.floor(lower.length / 3)));
  let best: { readonly candidate: string; readonly distance: number } | undefined;
  for (const candidate of known) {
    const k = candidate.toLowerCase();
    const truncated = lower.length >= 4 && (k.startsWith(lower) || lower.startsWith(k));
    const distance = truncated ? 0 : editDistance(k, lower);
    if (distance <= allowed && (best === undefined || distance < best.distance))
      best = { candidate, distance };
  }
  return best?.candidate;
};
