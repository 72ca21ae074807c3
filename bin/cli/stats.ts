import type { CallStats } from '../../lambda/aws/client-factory.ts';

/** `--stats`: AWS API calls per account and operation (retries apart), for tuning and the benchmark. */
export const formatStats = (stats: readonly CallStats[]): string => {
  const rows = [...stats].sort(
    (a, b) => a.accountId.localeCompare(b.accountId) || a.operation.localeCompare(b.operation),
  );
  const header = ['account', 'operation', 'calls', 'retries'];
  const body = rows.map((s) => [s.accountId, s.operation, String(s.calls), String(s.attempts - s.calls)]);
  const total = rows.reduce((sum, s) => sum + s.calls, 0);
  const retries = rows.reduce((sum, s) => sum + s.attempts - s.calls, 0);
  body.push(['total', '', String(total), String(retries)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[line(header), ...body.map(line)].join('\n')}\n`;
};
