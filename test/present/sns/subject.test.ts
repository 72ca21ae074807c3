import { describe, expect, it } from 'vitest';
import {
  FALLBACK_SUBJECT,
  isValidSnsSubject,
  MAX_SUBJECT_LENGTH,
  snsSubject,
} from '../../../lambda/present/sns/subject.ts';

describe('snsSubject', () => {
  it.each([
    [
      'keeps a plain ASCII subject as it is',
      'key-audit: 3 violations in 2 accounts',
      'key-audit: 3 violations in 2 accounts',
    ],
    [
      'drops accents rather than the letters',
      'key-audit ALERT: zoë in 111111111111',
      'key-audit ALERT: zoe in 111111111111',
    ],
    ['spells typographic punctuation in ASCII', 'key-audit… “new” – ‹root›', 'key-audit... "new" - <root>'],
    ['turns other non-ASCII characters into ?', 'owner 🚀 ключ', 'owner ? ????'],
    [
      'joins lines and removes control characters',
      'line one\r\nline two\tand\u001b[31m red',
      'line one line two and [31m red',
    ],
    ['trims leading spaces so it starts with a printable character', '   \n key-audit', 'key-audit'],
  ])('%s', (_, input, expected) => {
    expect(snsSubject(input)).toBe(expected);
    expect(isValidSnsSubject(snsSubject(input))).toBe(true);
  });

  it.each([[''], ['   '], ['\n\t']])(
    'falls back to the tool name when nothing printable is left (%j)',
    (input) => {
      expect(snsSubject(input)).toBe(FALLBACK_SUBJECT);
    },
  );

  it('shortens a long subject at a word boundary to under 100 characters, ending in ...', () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const subject = snsSubject(words);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject.endsWith('...')).toBe(true);
    // The text before the ellipsis is a prefix of whole words.
    expect(words.startsWith(subject.slice(0, -3))).toBe(true);
    expect(words.charAt(subject.length - 3)).toBe(' ');
  });

  it('cuts a single long token (an ARN) rather than dropping it', () => {
    const arn = `arn:aws:iam::111111111111:user/${'x'.repeat(150)}`;
    const subject = snsSubject(`key-audit ALERT ${arn}`);
    expect(subject).toHaveLength(MAX_SUBJECT_LENGTH);
    expect(subject.startsWith('key-audit ALERT arn:aws:iam::111111111111:user/xxx')).toBe(true);
  });

  it('counts the length after sanitising, so multi-byte input still ends under the limit', () => {
    const subject = snsSubject('ü'.repeat(200));
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(isValidSnsSubject(subject)).toBe(true);
  });
});

describe('isValidSnsSubject', () => {
  it.each([
    ['key-audit: ok', true],
    ['', false],
    [' leading space', false],
    ['two\nlines', false],
    ['non-ASCII é', false],
    ['x'.repeat(MAX_SUBJECT_LENGTH), true],
    ['x'.repeat(MAX_SUBJECT_LENGTH + 1), false],
  ])('does judge %j as %s', (subject, valid) => {
    expect(isValidSnsSubject(subject)).toBe(valid);
  });
});
