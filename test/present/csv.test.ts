import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER, neutraliseCell, renderCsv, restoreCell } from '../../lambda/present/csv.ts';
import { toJsonReport } from '../../lambda/present/render/json.ts';
import { CONTRACT_FINDING_KEYS } from '../contract/json-contract.ts';
import {
  everyRuleReport,
  inProduction,
  keyTooOld,
  keyUnused,
  makeReport,
  tagExemption,
  twoActiveKeys,
} from './render/report-factory.ts';

/** Rows of `text` as a CSV parser reads them, header first. */
const rowsOf = (text: string): string[][] => parse(text, { relax_column_count: false }) as string[][];

/** The JSON contract's value of a cell as CSV writes it (null empty, everything else its string). */
const asCell = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** A finding of the JSON contract flattened the way the CSV header names its columns. */
const flatten = (finding: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    CSV_HEADER.map((column) => {
      const [field, sub] = column.split('.') as [string, string | undefined];
      const value = finding[field];
      return [
        column,
        asCell(sub === undefined ? value : (value as Record<string, unknown> | null | undefined)?.[sub]),
      ];
    }),
  );

describe('renderCsv', () => {
  const awkward = makeReport([
    keyTooOld({ userName: 'smith,john', accessKeyId: 'AKIACOMMA00000000001' }),
    keyUnused({ userName: '=cmd|calc', accessKeyId: 'AKIAFORMULA000000001', owner: '@ops "night" team' }),
    keyTooOld({ userName: '+plus', accessKeyId: 'AKIAPLUS000000000001', owner: "'quoted" }),
    keyTooOld({ userName: 'zoë', accessKeyId: 'AKIAUNICODE000000001', owner: 'Zoë Brontë 🚀\nsecond line' }),
    twoActiveKeys({ exemption: tagExemption('2026-12-31', '-1 days, "vendor"') }),
  ]);

  it('does start with a header of the JSON contract field names, nested fields dotted', () => {
    const [header] = rowsOf(renderCsv(everyRuleReport()));
    expect(header).toEqual([...CSV_HEADER]);
    expect(header?.slice(0, CONTRACT_FINDING_KEYS.length)).toEqual([...CONTRACT_FINDING_KEYS]);
    expect(header).toEqual(
      expect.arrayContaining(['rotation.newAccessKeyId', 'exemption.until', 'exemption.reason', 'userArn']),
    );
  });

  it('does give production as true or false in its column', () => {
    const [header, ...rows] = rowsOf(renderCsv(makeReport([inProduction(keyTooOld()), keyUnused()])));
    const column = header?.indexOf('production') ?? -1;
    expect(column).toBeGreaterThan(-1);
    expect(rows.map((row) => row[column])).toEqual(['true', 'false']);
  });

  it.each([
    ['every rule', everyRuleReport()],
    ['awkward names: commas, formulas, quotes, newlines, unicode', awkward],
  ])('does give back every finding of %s to a CSV parser', (_name, report) => {
    const [header, ...rows] = rowsOf(renderCsv(report));
    const parsed = rows.map((row) =>
      Object.fromEntries(row.map((cell, i) => [header?.[i] ?? '', restoreCell(cell)])),
    );
    const expected = toJsonReport(report).findings.map((f) =>
      flatten(f as unknown as Record<string, unknown>),
    );
    expect(parsed).toEqual(expected);
  });

  it('does make formula cells inert and quote cells with commas, quotes or newlines', () => {
    const text = renderCsv(awkward);
    const cells = rowsOf(text).flat();
    expect(cells).toContain("'=cmd|calc");
    expect(cells).toContain("'+plus");
    expect(cells).toContain('\'@ops "night" team');
    expect(cells).toContain("''quoted");
    expect(cells).toContain('smith,john');
    expect(text).toContain('"smith,john"');
    expect(text).toContain('"\'@ops ""night"" team"');
    for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('does end every record with CRLF, as RFC 4180 says', () => {
    const text = renderCsv(makeReport([keyTooOld()]));
    expect(text.split('\r\n')).toHaveLength(3);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('does write only the header for a report without findings', () => {
    expect(rowsOf(renderCsv(makeReport([])))).toEqual([[...CSV_HEADER]]);
  });
});

describe('neutraliseCell', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@user', "'@user"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'already", "''already"],
    ['alice', 'alice'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('does turn %j into %j, and restoreCell turns it back', (value, cell) => {
    expect(neutraliseCell(value)).toBe(cell);
    expect(restoreCell(cell)).toBe(value);
  });
});
