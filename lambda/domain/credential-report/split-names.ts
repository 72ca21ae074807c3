/**
 * Recovers rows whose user name holds commas (IAM allows `+=,.@_-`) but was written unquoted, as moto does:
 * the name then spills over several cells in both the `user` and the `arn` column. Every other column
 * holds dates, booleans or AWS names, which never contain commas, so the surplus cells all belong to
 * those two columns.
 */
import { parseReportArn } from './arn.ts';

/**
 * The row re-assembled to `columnCount` cells, or null when no single reading explains the surplus.
 * A reading is accepted only if its ARN is a valid user ARN whose name equals the re-assembled `user`
 * cell, so a row is never guessed into shape.
 */
export const rejoinSplitNames = (
  cells: readonly string[],
  columnCount: number,
  userIndex: number,
  arnIndex: number,
): string[] | null => {
  const first = Math.min(userIndex, arnIndex);
  const last = Math.max(userIndex, arnIndex);
  const before = cells.slice(0, first);
  const afterCount = columnCount - 1 - last;
  const after = cells.slice(cells.length - afterCount);
  const middle = cells.slice(first, cells.length - afterCount);
  // Cells of the fixed columns that sit between `user` and `arn` (none in AWS's own order).
  const between = last - first - 1;
  const spread = middle.length - between;
  const readings: string[][] = [];
  for (let firstPieces = 1; firstPieces < spread; firstPieces++) {
    const firstValue = middle.slice(0, firstPieces).join(',');
    const fixed = middle.slice(firstPieces, firstPieces + between);
    const lastValue = middle.slice(firstPieces + between).join(',');
    const user = userIndex < arnIndex ? firstValue : lastValue;
    const arn = userIndex < arnIndex ? lastValue : firstValue;
    const parsed = parseReportArn(arn);
    if (parsed?.kind !== 'user' || parsed.userName !== user) continue;
    readings.push([...before, firstValue, ...fixed, lastValue, ...after]);
  }
  return readings.length === 1 ? (readings[0] ?? null) : null;
};
