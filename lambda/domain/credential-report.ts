/**
 * Parses an IAM credential report (the CSV that GetCredentialReport returns, or a file saved from it) into
 * the inventory model. Pure: it takes the text and a source label for error messages.
 *
 * Nothing is silently dropped: a row is either read (repaired when the repair is unambiguous, e.g. a user
 * name taken from the ARN) or the parse fails with a one-line `CredentialReportParseError` naming the file,
 * the physical line and the column.
 */

import { parseReportArn } from './credential-report/arn.ts';
import { type Header, KEY_SLOT_COLUMNS, resolveHeader } from './credential-report/columns.ts';
import { type CsvRecord, readCsvRecords } from './credential-report/csv-records.ts';
import { describeNonReport } from './credential-report/sniff.ts';
import { rejoinSplitNames } from './credential-report/split-names.ts';
import {
  type CellResult,
  isUnknownMarker,
  parseBooleanCell,
  parseDateCell,
  parseNameCell,
  parseOptionalDateCell,
  quoteValue,
} from './credential-report/values.ts';
import { CredentialReportParseError } from './errors.ts';
import type { AccessKey, IamUser, RootUser } from './inventory.ts';

/** One account's credential report, read. */
export interface ParsedCredentialReport {
  /**
   * The 12-digit account id, taken from the rows' ARNs. Empty string when the report has a header and no
   * rows: then only the caller (file name, API call) knows the account.
   */
  readonly accountId: string;
  /** IAM users in report order; `tags` are always empty (reports carry none). */
  readonly users: readonly IamUser[];
  /** The `<root_account>` row, or null when the report has none (moto omits it). */
  readonly root: RootUser | null;
}

const ROOT_USER_NAME = '<root_account>';

type ParsedRow =
  | { readonly kind: 'root'; readonly accountId: string; readonly root: RootUser }
  | { readonly kind: 'user'; readonly accountId: string; readonly user: IamUser };

/** Reads one data row; throws `CredentialReportParseError` for anything it cannot read unambiguously. */
const parseRow = (record: CsvRecord, header: Header, source: string): ParsedRow => {
  const fail = (field: string | null, problem: string): never => {
    throw new CredentialReportParseError(source, record.line, field, problem);
  };
  const cellValue = <T>(field: string, result: CellResult<T>): T =>
    result.ok ? result.value : fail(field, result.problem);

  const columnCount = header.names.length;
  let cells: readonly string[] = record.fields;
  if (cells.length < columnCount) {
    fail(
      header.names[cells.length] || null,
      `missing: the row has ${cells.length} cells, the header has ${columnCount}`,
    );
  }
  if (cells.length > columnCount) {
    cells =
      rejoinSplitNames(cells, columnCount, header.indexOf.get('user') ?? 0, header.indexOf.get('arn') ?? 1) ??
      fail(null, `the row has ${cells.length} cells, the header has ${columnCount}`);
  }
  const cell = (name: string): string => {
    const index = header.indexOf.get(name);
    return index === undefined ? '' : (cells[index] ?? '');
  };

  const arnText = cell('arn');
  const arn = parseReportArn(arnText) ?? fail('arn', `${quoteValue(arnText)} is not an IAM user or root ARN`);
  const userCell = cell('user');
  if (arn.kind === 'user' && userCell === ROOT_USER_NAME) {
    fail('user', `${quoteValue(userCell)} does not match the user ARN ${quoteValue(arnText)}`);
  }

  const parseKeySlot = (slot: 1 | 2): AccessKey | null => {
    const columns = KEY_SLOT_COLUMNS[slot];
    const active = cellValue(columns.active, parseBooleanCell(cell(columns.active)));
    const lastRotated = cell(columns.lastRotated);
    // No creation date means no key in this slot; an active key without one cannot be judged.
    if (isUnknownMarker(lastRotated)) {
      return active
        ? fail(columns.lastRotated, `${quoteValue(lastRotated)} but ${columns.active} is true`)
        : null;
    }
    return {
      accessKeyId: null,
      slot,
      status: active ? 'active' : 'inactive',
      createdAt: cellValue(columns.lastRotated, parseDateCell(lastRotated)),
      lastUsedAt: cellValue(columns.lastUsedDate, parseOptionalDateCell(cell(columns.lastUsedDate))),
      lastUsedRegion: cellValue(
        columns.lastUsedRegion,
        parseNameCell(cell(columns.lastUsedRegion), 'region'),
      ),
      lastUsedService: cellValue(
        columns.lastUsedService,
        parseNameCell(cell(columns.lastUsedService), 'service'),
      ),
    };
  };
  const accessKeys = [parseKeySlot(1), parseKeySlot(2)].filter((key): key is AccessKey => key !== null);

  if (arn.kind === 'root') {
    const hasActiveAccessKey = accessKeys.some((key) => key.status === 'active');
    return { kind: 'root', accountId: arn.accountId, root: { accessKeys, hasActiveAccessKey } };
  }
  // The ARN is the authority: an empty or mangled `user` cell is repaired from it.
  const user: IamUser = { userName: arn.userName, arn: arnText, path: arn.path, tags: {}, accessKeys };
  return { kind: 'user', accountId: arn.accountId, user };
};

/**
 * Parses the text of an IAM credential report. Columns are found by header name (any order, extra columns
 * ignored); `N/A`, `not_supported` and `no_information` mean unknown. A byte-order mark, CRLF line ends,
 * quoted cells and unquoted user names with commas (as moto writes them) are handled.
 *
 * @param csv the report text (decoded, not base64)
 * @param source label for error messages, usually the file path
 * @throws CredentialReportParseError `<source>:<line>: <column>: <problem>` for the first problem found
 */
export function parseCredentialReport(csv: string, source: string): ParsedCredentialReport {
  const text = csv.startsWith('\uFEFF') ? csv.slice(1) : csv;
  const notReport = describeNonReport(text);
  if (notReport !== null) throw new CredentialReportParseError(source, 1, null, notReport);

  // The header line is judged alone first: a file that is not a report should be called so, not fail as
  // malformed CSV on some later line.
  const throughHeader = /^(?:[ \t\r]*\n)*[^\n]*/.exec(text)?.[0] ?? text;
  const [headerRecord] = readCsvRecords(throughHeader, source);
  if (headerRecord === undefined) {
    throw new CredentialReportParseError(source, 1, null, 'not an IAM credential report: no header');
  }
  const resolved = resolveHeader(headerRecord.fields);
  if (!resolved.ok) {
    throw new CredentialReportParseError(source, headerRecord.line, resolved.field, resolved.problem);
  }

  const rows = readCsvRecords(text, source).slice(1);
  let account: { readonly id: string; readonly line: number } | null = null;
  let root: { readonly root: RootUser; readonly line: number } | null = null;
  const users: IamUser[] = [];
  const userLines = new Map<string, number>();
  for (const record of rows) {
    const row = parseRow(record, resolved.header, source);
    const fail = (problem: string): never => {
      throw new CredentialReportParseError(source, record.line, 'arn', problem);
    };
    if (account === null) account = { id: row.accountId, line: record.line };
    else if (row.accountId !== account.id) {
      fail(`account ${row.accountId} differs from account ${account.id} on line ${account.line}`);
    }
    if (row.kind === 'root') {
      if (root !== null) fail(`a second root row (the first is on line ${root.line})`);
      root = { root: row.root, line: record.line };
      continue;
    }
    const firstLine = userLines.get(row.user.arn);
    if (firstLine !== undefined) fail(`user ${row.user.userName} appears again (first on line ${firstLine})`);
    userLines.set(row.user.arn, record.line);
    users.push(row.user);
  }
  return { accountId: account?.id ?? '', users, root: root?.root ?? null };
}
