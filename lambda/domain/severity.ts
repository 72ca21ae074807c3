/** Finding severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

export type Severity = (typeof SEVERITIES)[number];

const RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Numeric rank: higher is more severe. */
export const severityRank = (severity: Severity): number => RANK[severity];

/** True when `severity` is at or above `threshold`. */
export const isAtLeast = (severity: Severity, threshold: Severity): boolean =>
  RANK[severity] >= RANK[threshold];

/** Type guard for user input such as `--fail-on`. */
export const isSeverity = (value: string): value is Severity =>
  (SEVERITIES as readonly string[]).includes(value);

/** Orders most severe first, for sorting. */
export const bySeverityDesc = (a: Severity, b: Severity): number => RANK[b] - RANK[a];
