/**
 * Reads the `--stats` table the CLI prints on stderr (bin/cli/stats.ts) back into numbers: the benchmark
 * measures the real CLI from outside, so this parser is its only view of the AWS calls made.
 */
import { NO_ACCOUNT } from '../lambda/aws/client-factory.ts';

/** One row of the table. */
export interface StatsRow {
  readonly accountId: string;
  readonly operation: string;
  readonly calls: number;
  readonly retries: number;
}

/** The table, with its printed totals. */
export interface ParsedStats {
  readonly rows: readonly StatsRow[];
  readonly totalCalls: number;
  readonly totalRetries: number;
}

/** The stats table was missing or malformed. */
export class StatsParseError extends Error {
  override readonly name = 'StatsParseError';
}

const HEADER = /^account\s+operation\s+calls\s+retries\s*$/;

const count = (text: string, line: string): number => {
  if (!/^\d+$/.test(text)) throw new StatsParseError(`--stats: "${text}" is not a count in line "${line}"`);
  return Number(text);
};

/**
 * Parses the last `--stats` table in `stderr`; other lines (progress, Node warnings) are ignored.
 * Throws `StatsParseError` when no table is found, a row is malformed or the totals disagree.
 */
export const parseStats = (stderr: string): ParsedStats => {
  const lines = stderr.split(/\r?\n/);
  let start = -1;
  lines.forEach((line, index) => {
    if (HEADER.test(line)) start = index;
  });
  if (start < 0) throw new StatsParseError('--stats: no "account operation calls retries" table on stderr');
  const rows: StatsRow[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    const cells = line.trim().split(/\s+/);
    if (cells[0] === 'total' && cells.length === 3) {
      const totalCalls = count(cells[1] ?? '', line);
      const totalRetries = count(cells[2] ?? '', line);
      const sum = rows.reduce((s, r) => s + r.calls, 0);
      if (sum !== totalCalls)
        throw new StatsParseError(`--stats: rows add up to ${sum} calls, the total line says ${totalCalls}`);
      return { rows, totalCalls, totalRetries };
    }
    if (cells.length !== 4) throw new StatsParseError(`--stats: unexpected line "${line}"`);
    const [accountId = '', operation = '', calls = '', retries = ''] = cells;
    rows.push({ accountId, operation, calls: count(calls, line), retries: count(retries, line) });
  }
  throw new StatsParseError('--stats: the table has no total line');
};

/** AWS calls made in each account (role sessions), i.e. every row but the caller-level ones. */
export const callsPerAccount = (stats: ParsedStats): Map<string, number> => {
  const perAccount = new Map<string, number>();
  for (const row of stats.rows) {
    if (row.accountId === NO_ACCOUNT) continue;
    perAccount.set(row.accountId, (perAccount.get(row.accountId) ?? 0) + row.calls);
  }
  return perAccount;
};

/** Calls of one operation made with the caller's own credentials (e.g. `AssumeRole`). */
export const callerCalls = (stats: ParsedStats, operation: string): number =>
  stats.rows
    .filter((row) => row.accountId === NO_ACCOUNT && row.operation === operation)
    .reduce((sum, row) => sum + row.calls, 0);
