import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../lambda/domain/policy.ts';
import {
  deadlineRelativeTo,
  describeLastUsed,
  formatAge,
  formatCount,
  formatDate,
  formatDateTime,
  formatDeadline,
  keyLabel,
  oneLine,
  plural,
  usedPhrase,
  userLabel,
} from '../../lambda/domain/wording.ts';

describe('oneLine', () => {
  it('does replace newlines, tabs and escape sequences with single spaces when a value carries them', () => {
    expect(oneLine('team\n\tpayments\u001b[31m red')).toBe('team payments [31m red');
  });

  it.each([
    ['CR LF', 'team\r\npayments'],
    ['U+2028 (line separator)', 'team\u2028payments'],
    ['U+2029 (paragraph separator)', 'team\u2029payments'],
  ])('does fold %s into one space like any line break', (_label, value) => {
    expect(oneLine(value)).toBe('team payments');
  });

  it('does keep multi-byte text untouched when it has no control characters', () => {
    expect(oneLine('Zoë Brontë 🚀')).toBe('Zoë Brontë 🚀');
  });
});

describe('formatCount and plural', () => {
  it.each([
    [0, '0 violations'],
    [1, '1 violation'],
    [5000, '5,000 violations'],
    [Number.MAX_SAFE_INTEGER, '9,007,199,254,740,991 violations'],
  ])('does word %i as %j', (count, words) => {
    expect(plural(count, 'violation')).toBe(words);
  });

  it('does leave non-integers as they are', () => {
    expect(formatCount(1.5)).toBe('1.5');
  });
});

describe('formatDate and formatDateTime', () => {
  it('does word an instant as its UTC day, and to the minute', () => {
    const instant = new Date('2026-10-02T23:59:30.000Z');
    expect(formatDate(instant)).toBe('2026-10-02');
    expect(formatDateTime(instant)).toBe('2026-10-02 23:59 UTC');
  });
});

describe('formatAge', () => {
  it.each([
    [0, '0 days'],
    [1, '1 day'],
    [134, '134 days'],
    [null, 'unknown'],
  ])('does word age %j as %j', (age, words) => {
    expect(formatAge(age)).toBe(words);
  });
});

describe('keyLabel', () => {
  it.each([
    ['AKIAIOSFODNN7EXAMPLE', null, {}, 'AKIAIOSFODNN7EXAMPLE'],
    ['AKIAIOSFODNN7EXAMPLE', null, { short: true }, 'AKIA…MPLE'],
    ['AKIASHORT', 1, { short: true }, 'AKIASHORT'],
    [null, 2, {}, 'slot 2'],
    [null, 2, { short: true }, 'slot 2'],
    [null, null, {}, null],
  ] as const)('does name key %j in slot %j (%j) as %j', (accessKeyId, slot, options, label) => {
    expect(keyLabel(accessKeyId, slot, options)).toBe(label);
  });

  it('does put a key id on one line when it carries control characters', () => {
    expect(keyLabel('AKIA\nEVIL', null)).toBe('AKIA EVIL');
  });
});

describe('userLabel', () => {
  it.each([
    ['<root_account>', 'root user'],
    ['zoë', 'zoë'],
    ['evil\nname', 'evil name'],
    [null, null],
  ])('does name user %j as %j', (userName, label) => {
    expect(userLabel({ userName })).toBe(label);
  });
});

describe('describeLastUsed and usedPhrase', () => {
  const used = new Date('2026-10-02T09:14:00Z');
  it.each([
    [used, 's3', 'eu-west-2', '2026-10-02 via s3 in eu-west-2'],
    [used, 'iam', null, '2026-10-02 via iam'],
    [used, 'iam', '', '2026-10-02 via iam'],
    [used, null, null, '2026-10-02'],
    [null, null, null, 'never used'],
  ])('does describe a use at %j via %j in %j', (lastUsedAt, lastUsedService, lastUsedRegion, words) => {
    expect(describeLastUsed({ lastUsedAt, lastUsedService, lastUsedRegion })).toBe(words);
  });

  it.each([
    [used, 'last used 2026-10-02 via s3 in eu-west-2'],
    [null, 'never used'],
  ])('does phrase a use at %j inside a sentence as %j', (lastUsedAt, words) => {
    expect(usedPhrase({ lastUsedAt, lastUsedService: 's3', lastUsedRegion: 'eu-west-2' })).toBe(words);
  });
});

describe('deadlineRelativeTo and formatDeadline', () => {
  const asOf = new Date('2026-06-15T12:00:00.000Z');
  const at = (offsetMs: number): Date => new Date(asOf.getTime() + offsetMs);

  it.each([
    [6 * DAY_MS, 'due in 6 days'],
    [DAY_MS, 'due in 1 day'],
    [DAY_MS - 1, 'due within a day'],
    [0, 'due within a day'],
    [-1, 'overdue by less than a day'],
    [-DAY_MS, 'overdue by 1 day'],
    [-44 * DAY_MS - 1, 'overdue by 44 days'],
  ])('does word a deadline %i ms away in whole days', (offsetMs, words) => {
    expect(formatDeadline(deadlineRelativeTo(at(offsetMs), asOf))).toBe(words);
  });
});
