/**
 * `--format csv`: one row per finding for spreadsheets and auditors. The header is the JSON contract's
 * field names (nested objects flattened as `rotation.newAccessKeyId`, `exemption.until`), cells are what
 * the JSON says (null as an empty cell, booleans as `true`/`false`), quoting is RFC 4180 (csv-stringify,
 * CRLF line ends) and the text is UTF-8.
 *
 * CSV injection (OWASP): a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or
 * carriage return before one) as a formula, and IAM user names may start with `=`, `+` or `@`. Such a cell
 * gets a leading `'`, which spreadsheets read as "text" and do not display. A cell that already starts with
 * `'` gets one too, so the rule can be undone without ambiguity: drop one leading `'` from any cell that
 * starts with `'` (see `restoreCell`).
 */
import { stringify } from 'csv-stringify/sync';
import type { Report } from '../domain/report.ts';
import type { JsonFinding, JsonRotation } from './render/json.ts';
import { toJsonReport } from './render/json.ts';

type Cell = string | number | boolean | null;
type JsonExemption = NonNullable<JsonFinding['exemption']>;

/** Every contract field in contract order; `true` for a plain column, the sub-fields of an object. */
const FIELDS: { readonly [K in keyof Required<JsonFinding>]: true | readonly string[] } = {
  id: true,
  rule: true,
  severity: true,
  accountId: true,
  userName: true,
  accessKeyId: true,
  keySlot: true,
  ageDays: true,
  since: true,
  lastUsedAt: true,
  lastUsedService: true,
  lastUsedRegion: true,
  owner: true,
  exempt: true,
  message: true,
  remediation: true,
  production: true,
  rotation: Object.keys({
    oldKeyUsedSinceNewKey: true,
    oldAccessKeyId: true,
    oldKeySlot: true,
    newAccessKeyId: true,
    newKeySlot: true,
    newKeyCreatedAt: true,
    newKeyLastUsedAt: true,
  } satisfies Record<keyof JsonRotation, true>),
  userArn: true,
  overdueDays: true,
  exemption: Object.keys({ reason: true, until: true, source: true } satisfies Record<
    keyof JsonExemption,
    true
  >),
};

/** How each column reads its cell from a contract finding. */
const COLUMNS: readonly { readonly header: string; readonly cell: (f: JsonFinding) => Cell }[] =
  Object.entries(FIELDS).flatMap(([field, sub]) => {
    const value = (f: JsonFinding): unknown => f[field as keyof JsonFinding];
    if (sub === true) return [{ header: field, cell: (f: JsonFinding) => (value(f) ?? null) as Cell }];
    return sub.map((name) => ({
      header: `${field}.${name}`,
      cell: (f: JsonFinding) =>
        ((value(f) as Record<string, Cell> | null | undefined)?.[name] ?? null) as Cell,
    }));
  });

/** The header row: the contract's field names. */
export const CSV_HEADER: readonly string[] = COLUMNS.map((column) => column.header);

/** Characters that make a spreadsheet run a cell (OWASP CSV injection), and `'` to keep it reversible. */
const UNSAFE_START = /^[=+\-@\t\r']/;

/** `value` made inert for spreadsheets: a leading `'` when it starts with `= + - @`, tab, CR or `'`. */
export const neutraliseCell = (value: string): string => (UNSAFE_START.test(value) ? `'${value}` : value);

/** The original value of a cell written by `neutraliseCell`. */
export const restoreCell = (cell: string): string => (cell.startsWith("'") ? cell.slice(1) : cell);

const text = (cell: Cell): string => {
  if (cell === null) return '';
  if (typeof cell === 'string') return neutraliseCell(cell);
  return String(cell);
};

/** The findings of `report` as CSV: a header row, then one row per finding in the report's order. */
export const renderCsv = (report: Report): string =>
  stringify(
    [
      CSV_HEADER,
      ...toJsonReport(report).findings.map((finding) => COLUMNS.map((column) => text(column.cell(finding)))),
    ],
    { record_delimiter: 'windows' },
  );
