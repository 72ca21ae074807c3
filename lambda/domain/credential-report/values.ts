/**
 * Cell values of an IAM credential report: dates, booleans and the markers AWS (and moto) write where a
 * value is unknown. Each parser returns a problem string instead of throwing, so that the caller can name
 * the file, line and column in one error.
 */

/** Markers meaning "no value": no key, never used, or used before IAM began tracking (April 2015). */
const UNKNOWN_MARKERS: ReadonlySet<string> = new Set(['N/A', 'not_supported', 'no_information']);

/** True for `N/A`, `not_supported` and `no_information`. */
export const isUnknownMarker = (value: string): boolean => UNKNOWN_MARKERS.has(value);

/** A parsed cell, or the reason it did not parse (phrased to follow `<column>: `). */
export type CellResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
const fail = <T>(problem: string): CellResult<T> => ({ ok: false, problem });

const MAX_QUOTED_LENGTH = 60;

/**
 * The value as it should appear in an error message: JSON-quoted so that control characters cannot break
 * the one-line message, and shortened so that a binary blob does not flood the terminal.
 */
export const quoteValue = (value: string): string =>
  JSON.stringify(value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}...` : value);

// Offset required: a date without one is ambiguous, and AWS always writes `+00:00`.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Parses an ISO-8601 date-time with an offset (`2025-01-15T10:22:31+00:00`, `...Z`, optional fraction).
 * Calendar-checks every part: `Date.parse` would roll `2024-02-30` over to March instead of rejecting it.
 */
export const parseIsoDateTime = (value: string): Date | null => {
  const match = ISO_DATE_TIME.exec(value);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offH, offM] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (zulu === undefined) {
    const offsetHours = Number(offH);
    const offsetMins = Number(offM);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return new Date(utc);
};

/** A date cell that must hold a date (e.g. the creation of a key that exists). */
export const parseDateCell = (value: string): CellResult<Date> => {
  const date = parseIsoDateTime(value);
  if (date !== null) return ok(date);
  // A local time would be read in the machine's zone and shift every age by hours; say so explicitly.
  const hint = parseIsoDateTime(`${value}Z`) === null ? '' : ' (it lacks a UTC offset such as +00:00)';
  return fail(`${quoteValue(value)} is not an ISO-8601 date${hint}`);
};

/** A date cell where an unknown marker means "none" (e.g. a key never used). */
export const parseOptionalDateCell = (value: string): CellResult<Date | null> =>
  isUnknownMarker(value) ? ok(null) : parseDateCell(value);

/** `true` / `false` as AWS writes them; upper case is accepted because spreadsheets rewrite it so. */
export const parseBooleanCell = (value: string): CellResult<boolean> => {
  const lower = value.toLowerCase();
  if (lower === 'true') return ok(true);
  if (lower === 'false') return ok(false);
  return fail(`${quoteValue(value)} is not true or false`);
};

// Regions (`eu-west-2`, `us-gov-west-1`) and service namespaces (`s3`, `execute-api`) share this shape.
const NAME_TOKEN = /^[a-z0-9][a-z0-9-]*$/;

/**
 * A region or service cell: unknown markers and empty cells mean unknown (global services have region
 * `N/A`); anything else must look like an AWS name, so that binary junk does not reach a report.
 */
export const parseNameCell = (value: string, what: 'region' | 'service'): CellResult<string | null> => {
  if (value === '' || isUnknownMarker(value)) return ok(null);
  return NAME_TOKEN.test(value) ? ok(value) : fail(`${quoteValue(value)} is not an AWS ${what} name`);
};
