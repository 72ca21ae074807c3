import { describe, expect, it } from 'vitest';
import {
  isUnknownMarker,
  parseBooleanCell,
  parseDateCell,
  parseIsoDateTime,
  parseNameCell,
  parseOptionalDateCell,
  quoteValue,
} from '../../../lambda/domain/credential-report/values.ts';

describe('parseIsoDateTime', () => {
  it.each([
    ['2025-01-15T10:22:31+00:00', '2025-01-15T10:22:31.000Z'],
    ['2025-01-15T10:22:31Z', '2025-01-15T10:22:31.000Z'],
    // An offset east of UTC means the UTC instant is earlier by that much.
    ['2025-01-15T12:22:31+02:00', '2025-01-15T10:22:31.000Z'],
    ['2025-01-15T05:22:31-05:00', '2025-01-15T10:22:31.000Z'],
    ['2025-01-15T10:22:31.123456+00:00', '2025-01-15T10:22:31.123Z'],
    ['2025-01-15T10:22:31.5Z', '2025-01-15T10:22:31.500Z'],
    ['2024-02-29T00:00:00+00:00', '2024-02-29T00:00:00.000Z'],
    ['2025-01-01T00:30:00+01:00', '2024-12-31T23:30:00.000Z'],
  ])('does read %s as %s', (text, iso) => {
    expect(parseIsoDateTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2024-13-45',
    '2024-13-01T00:00:00+00:00',
    '2025-02-29T00:00:00+00:00',
    '2025-04-31T00:00:00+00:00',
    '2025-01-15',
    '2025-01-15T10:22:31',
    '2025-01-15 10:22:31+00:00',
    '2025-01-15T24:00:00+00:00',
    '2025-01-15T10:60:00+00:00',
    '2025-01-15T10:22:31+0000x',
    ' 2025-01-15T10:22:31+00:00',
    'N/A',
    '',
  ])('does reject %j', (text) => {
    expect(parseIsoDateTime(text)).toBeNull();
  });
});

describe('parseDateCell', () => {
  it('does say a date is not ISO-8601 in the words of the error message', () => {
    expect(parseDateCell('2024-13-45')).toEqual({
      ok: false,
      problem: '"2024-13-45" is not an ISO-8601 date',
    });
  });

  it('does point out a missing UTC offset', () => {
    expect(parseDateCell('2025-01-15T10:22:31')).toEqual({
      ok: false,
      problem: '"2025-01-15T10:22:31" is not an ISO-8601 date (it lacks a UTC offset such as +00:00)',
    });
  });
});

describe('parseOptionalDateCell', () => {
  it.each(['N/A', 'not_supported', 'no_information'])('does read %s as no date', (marker) => {
    expect(parseOptionalDateCell(marker)).toEqual({ ok: true, value: null });
  });

  it('does not treat an empty cell as unknown', () => {
    expect(parseOptionalDateCell('').ok).toBe(false);
  });
});

describe('isUnknownMarker', () => {
  it.each([
    ['N/A', true],
    ['not_supported', true],
    ['no_information', true],
    ['n/a', false],
    ['', false],
    ['false', false],
  ])('does classify %j as %s', (value, expected) => {
    expect(isUnknownMarker(value)).toBe(expected);
  });
});

describe('parseBooleanCell', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['TRUE', true],
    ['False', false],
  ])('does read %s', (text, value) => {
    expect(parseBooleanCell(text)).toEqual({ ok: true, value });
  });

  it.each(['yes', '1', '', 'N/A'])('does reject %j', (text) => {
    expect(parseBooleanCell(text)).toEqual({
      ok: false,
      problem: `${JSON.stringify(text)} is not true or false`,
    });
  });
});

describe('parseNameCell', () => {
  it.each([
    ['eu-west-2', 'eu-west-2'],
    ['us-gov-west-1', 'us-gov-west-1'],
    ['N/A', null],
    ['not_supported', null],
    ['', null],
  ])('does read region %j as %j', (text, value) => {
    expect(parseNameCell(text, 'region')).toEqual({ ok: true, value });
  });

  it.each(['EU-WEST-2', 'eu west 2', '-s3', 's3\u0000'])('does reject %j', (text) => {
    expect(parseNameCell(text, 'service')).toEqual({
      ok: false,
      problem: `${JSON.stringify(text)} is not an AWS service name`,
    });
  });
});

describe('quoteValue', () => {
  it('does escape control characters so that messages stay on one line', () => {
    expect(quoteValue('a\nb')).toBe('"a\\nb"');
  });

  it('does shorten long values to 60 characters and an ellipsis', () => {
    expect(quoteValue('x'.repeat(100))).toBe(`"${'x'.repeat(60)}..."`);
  });
});
