/**
 * The credential report's columns. Columns are found by header name, so that reordered or extended reports
 * (AWS has added columns before) still parse; only the columns key-audit reads are required.
 */

/** The columns of one access-key slot. */
export interface KeySlotColumns {
  readonly active: string;
  readonly lastRotated: string;
  readonly lastUsedDate: string;
  readonly lastUsedRegion: string;
  readonly lastUsedService: string;
}

const slotColumns = (slot: 1 | 2): KeySlotColumns => ({
  active: `access_key_${slot}_active`,
  lastRotated: `access_key_${slot}_last_rotated`,
  lastUsedDate: `access_key_${slot}_last_used_date`,
  lastUsedRegion: `access_key_${slot}_last_used_region`,
  lastUsedService: `access_key_${slot}_last_used_service`,
});

/** Column names per access-key slot. */
export const KEY_SLOT_COLUMNS: Readonly<Record<1 | 2, KeySlotColumns>> = {
  1: slotColumns(1),
  2: slotColumns(2),
};

/** Columns key-audit reads; a report without any of them is rejected. */
export const REQUIRED_COLUMNS: readonly string[] = [
  'user',
  'arn',
  ...[KEY_SLOT_COLUMNS[1], KEY_SLOT_COLUMNS[2]].flatMap((slot) => Object.values(slot)),
];

/** The header resolved: each column name to its index. */
export interface Header {
  readonly names: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
}

/** The resolved header, or why it is unusable (`field`: the column at fault, when there is one). */
export type HeaderResult =
  | { readonly ok: true; readonly header: Header }
  | { readonly ok: false; readonly field: string | null; readonly problem: string };

const MAX_SHOWN_HEADER = 60;

/** Resolves header cells (trimmed, lower-cased) to column indexes and checks the required ones. */
export const resolveHeader = (cells: readonly string[]): HeaderResult => {
  const names = cells.map((cell) => cell.trim().toLowerCase());
  if (names.length === 1 && names[0]?.startsWith('user;arn;')) {
    // A spreadsheet saved in a locale whose list separator is `;`.
    return { ok: false, field: null, problem: 'cells are separated by ";" instead of ","' };
  }
  if (!names.includes('user') && !names.includes('arn')) {
    const shown = cells.join(',');
    const excerpt = shown.length > MAX_SHOWN_HEADER ? `${shown.slice(0, MAX_SHOWN_HEADER)}...` : shown;
    return {
      ok: false,
      field: null,
      problem: `not an IAM credential report: expected a header starting "user,arn,", got ${JSON.stringify(excerpt)}`,
    };
  }
  const indexOf = new Map<string, number>();
  for (const [index, name] of names.entries()) {
    if (name === '') continue;
    if (indexOf.has(name))
      return { ok: false, field: name, problem: 'the column appears twice in the header' };
    indexOf.set(name, index);
  }
  const missing = REQUIRED_COLUMNS.filter((name) => !indexOf.has(name));
  if (missing.length > 0) {
    return { ok: false, field: null, problem: `header lacks required column(s) ${missing.join(', ')}` };
  }
  return { ok: true, header: { names, indexOf } };
};
