import { describe, expect, it } from 'vitest';
import { exemptionTooLong } from '../../lambda/domain/exemption-limit.ts';

describe('exemptionTooLong', () => {
  it.each([
    ['the scan day', '2026-06-15', '2026-06-15T12:00:00.000Z', null],
    ['90 days after the scan, at noon', '2026-09-13', '2026-06-15T12:00:00.000Z', null],
    ['90 days after the scan, at midnight', '2026-09-13', '2026-06-15T00:00:00.000Z', null],
    ['90 days after the scan, a millisecond before midnight', '2026-09-13', '2026-06-15T23:59:59.999Z', null],
    [
      '91 days after the scan',
      '2026-09-14',
      '2026-06-15T12:00:00.000Z',
      '"2026-09-14" is 91 days after the scan, more than maxExemptionDays (90)',
    ],
    [
      'years after the scan',
      '2099-01-01',
      '2026-06-15T12:00:00.000Z',
      '"2099-01-01" is 26498 days after the scan, more than maxExemptionDays (90)',
    ],
    ['an ended exemption', '2026-01-01', '2026-06-15T12:00:00.000Z', null],
    ['a date that is no day (another problem)', '2026-02-30', '2026-01-01T00:00:00.000Z', null],
  ])('does judge an exemption until %s', (_label, until, asOf, expected) => {
    expect(exemptionTooLong(until, new Date(asOf), 90)).toBe(expected);
  });

  it.each([
    [0, '2026-06-15', null],
    [0, '2026-06-16', '"2026-06-16" is 1 day after the scan, more than maxExemptionDays (0)'],
    [365, '2027-06-15', null],
  ])('does apply a limit of %i days', (limit, until, expected) => {
    expect(exemptionTooLong(until, new Date('2026-06-15T08:00:00.000Z'), limit)).toBe(expected);
  });
});
