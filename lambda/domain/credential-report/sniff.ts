/**
 * Recognises files that are not credential reports at all, so that the error says what the file looks
 * like instead of complaining about its first column.
 */

// Control characters other than tab and line breaks; U+FFFD is what undecodable bytes become.
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point.
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/;

/**
 * Why `text` (byte-order mark already removed) cannot be a credential report, phrased to follow
 * `<file>:1: `; null when it may be one and the header decides.
 */
export const describeNonReport = (text: string): string | null => {
  if (text.trim() === '') return 'not an IAM credential report: the file is empty';
  const start = text.trimStart();
  const firstLine = start.split('\n', 1)[0] ?? '';
  if (BINARY.test(firstLine)) return 'not an IAM credential report: the file holds binary data';
  if (start.startsWith('{') || start.startsWith('[')) {
    // The GetCredentialReport API response is JSON with the CSV base64-encoded in `Content`.
    return 'not an IAM credential report: the file holds JSON (decode the base64 `Content` of a GetCredentialReport response first)';
  }
  if (start.startsWith('<') && !start.startsWith('<root_account>')) {
    return 'not an IAM credential report: the file holds HTML or XML';
  }
  return null;
};
