/**
 * A stored JSON report (schemaVersion 1) read back for the trend: only what comparing two runs needs,
 * validated; the other fields of the contract are left as they are.
 */
import * as z from 'zod/mini';
import { HistoryError } from './history-store.ts';
import type { Summary } from './report.ts';
import { SEVERITIES } from './severity.ts';
import { describeIssues } from './zod-problems.ts';

/** What the trend compares: a report of this run or a stored one read back. `Report` fits it. */
export interface ComparableReport {
  readonly asOf: Date;
  readonly summary: Summary;
  readonly accounts: readonly { readonly accountId: string; readonly status: 'scanned' | 'failed' }[];
  readonly findings: readonly {
    readonly id: string;
    readonly rule: string;
    readonly accountId: string;
    readonly exempt: boolean;
  }[];
  readonly incomplete?: { readonly accountsNotScanned: readonly string[] };
}

const count = z.int().check(z.nonnegative());

const storedReport = z.looseObject({
  schemaVersion: z.literal(1),
  asOf: z.pipe(
    z.iso.datetime({ message: 'not an ISO-8601 instant' }),
    z.transform((text) => new Date(text)),
  ),
  accounts: z.array(z.looseObject({ accountId: z.string(), status: z.enum(['scanned', 'failed']) })),
  findings: z.array(
    z.looseObject({
      id: z.string().check(z.minLength(1)),
      rule: z.string(),
      accountId: z.string(),
      exempt: z.boolean(),
    }),
  ),
  summary: z.looseObject({
    accounts: count,
    failedAccounts: count,
    users: count,
    activeKeys: count,
    violations: count,
    warnings: count,
    exempt: count,
    bySeverity: z.record(z.enum(SEVERITIES), count),
  }),
  incomplete: z.optional(z.looseObject({ accountsNotScanned: z.array(z.string()) })),
});

/**
 * The comparable part of the JSON report `json` stored at `location`. Throws a HistoryError naming the
 * location for text that is not JSON or not a schemaVersion 1 report.
 */
export const parseStoredReport = (json: string, location: string): ComparableReport => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new HistoryError(`${location}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const result = storedReport.safeParse(parsed);
  if (!result.success) throw new HistoryError(`${location}: ${describeIssues(result.error.issues)}`);
  const { asOf, accounts, findings, summary, incomplete } = result.data;
  const { accounts: accountCount, failedAccounts, users, activeKeys, violations, warnings, exempt } = summary;
  return {
    asOf,
    accounts: accounts.map(({ accountId, status }) => ({ accountId, status })),
    findings: findings.map(({ id, rule, accountId, exempt: isExempt }) => ({
      id,
      rule,
      accountId,
      exempt: isExempt,
    })),
    summary: {
      accounts: accountCount,
      failedAccounts,
      users,
      activeKeys,
      violations,
      warnings,
      exempt,
      bySeverity: { ...summary.bySeverity },
    },
    ...(incomplete === undefined
      ? {}
      : { incomplete: { accountsNotScanned: incomplete.accountsNotScanned } }),
  };
};
