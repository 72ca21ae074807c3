/**
 * Splits credential-report text into CSV records, each with the physical line it starts on, so that every
 * error can point at a line of the file as an editor numbers it.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { CredentialReportParseError } from '../errors.ts';

/** One CSV record and the 1-based physical line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

const countLineBreaks = (fields: readonly string[]): number =>
  fields.reduce((sum, field) => sum + (field.match(/\n/g)?.length ?? 0), 0);

/** The first line after `afterLine` that holds anything: where a record that failed to parse started. */
const nextContentLine = (lines: readonly string[], afterLine: number): number => {
  for (let index = afterLine; index < lines.length; index++) {
    if ((lines[index] ?? '').trim() !== '') return index + 1;
  }
  return afterLine + 1;
};

const describeCsvError = (error: CsvError): string => {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'malformed CSV: a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'malformed CSV: text follows the closing quote of a field';
    case 'INVALID_OPENING_QUOTE':
      return 'malformed CSV: a quote inside an unquoted field';
    default:
      return `malformed CSV: ${error.message}`;
  }
};

/**
 * Reads all records. Blank lines are not records (a trailing newline is normal). Text must already be
 * free of a byte-order mark. Malformed CSV throws `CredentialReportParseError` naming the line.
 */
export const readCsvRecords = (text: string, source: string): CsvRecord[] => {
  // One line-break convention makes line counting exact; a CRLF is one physical line.
  const normalised = text.replace(/\r\n/g, '\n');
  const endLines: number[] = [];
  let rows: string[][];
  try {
    rows = parse(normalised, {
      record_delimiter: '\n',
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      on_record: (record: string[], context) => {
        endLines.push(context.lines);
        return record;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const reported = typeof error.lines === 'number' ? error.lines : null;
    // An unclosed quote is detected at the end of the file; the record it spoils starts after the last good one.
    const line =
      error.code === 'CSV_QUOTE_NOT_CLOSED' || reported === null
        ? nextContentLine(normalised.split('\n'), endLines.at(-1) ?? 0)
        : reported;
    throw new CredentialReportParseError(source, line, null, describeCsvError(error), { cause: error });
  }
  const records: CsvRecord[] = [];
  for (const [index, fields] of rows.entries()) {
    // Whitespace-only lines come back as one empty field: a blank line, not a record.
    if (fields.length === 1 && fields[0] === '') continue;
    const endLine = endLines[index] ?? 0;
    records.push({ line: endLine - countLineBreaks(fields), fields });
  }
  return records;
};
