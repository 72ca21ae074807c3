/**
 * SNS `Subject` rules: ASCII printable text without line breaks or control characters, starting with a
 * letter, number or punctuation mark, under 100 characters. SNS rejects the whole Publish otherwise, so
 * every subject goes through `snsSubject` however it was built (user names and owners come from tags).
 */

/** SNS requires subjects under 100 characters. */
export const MAX_SUBJECT_LENGTH = 99;

/** What a subject falls back to when sanitising leaves nothing. */
export const FALLBACK_SUBJECT = 'key-audit';

const ELLIPSIS = '...';

// Combining marks left by NFKD (the accents of `zoë`), so that `zoë` reads `zoe` rather than `zo?`.
const COMBINING_MARKS = /\p{M}+/gu;
// Typographic characters with an obvious ASCII spelling.
const ASCII_SPELLING: Readonly<Record<string, string>> = {
  '…': ELLIPSIS,
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '·': '-',
  '‹': '<',
  '›': '>',
  '→': '->',
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const WHITESPACE_AND_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]+/g;
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/gu;

/**
 * `text` as a valid SNS subject: accents dropped, typographic characters spelt in ASCII, any other
 * non-ASCII character as `?`, line breaks and control characters as one space, then shortened to
 * `MAX_SUBJECT_LENGTH` characters (ending in `...`, at a word boundary when one is near).
 */
export const snsSubject = (text: string, maxLength: number = MAX_SUBJECT_LENGTH): string => {
  const ascii = text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(/[…‘’“”–—·‹›→]/g, (c) => ASCII_SPELLING[c] ?? '?')
    .replace(WHITESPACE_AND_CONTROL, ' ')
    .replace(NOT_PRINTABLE_ASCII, '?')
    .trim();
  const subject = ascii === '' ? FALLBACK_SUBJECT : ascii;
  if (subject.length <= maxLength) return subject;
  const room = maxLength - ELLIPSIS.length;
  const cut = subject.slice(0, room);
  const space = cut.lastIndexOf(' ');
  // Break at a word when that loses little; a long token (an ARN) is cut instead.
  const kept = space >= room - 20 && space > 0 ? cut.slice(0, space) : cut;
  return `${kept.trimEnd()}${ELLIPSIS}`;
};

/** True when `subject` is one SNS accepts (the check `snsSubject`'s output always passes). */
export const isValidSnsSubject = (subject: string): boolean =>
  subject.length > 0 && subject.length <= MAX_SUBJECT_LENGTH && /^[\x21-\x7e][\x20-\x7e]*$/.test(subject);
