/**
 * Text primitives every renderer shares: sanitising untrusted values, measuring terminal width, padding,
 * truncating and word-wrapping. Nothing here knows about findings.
 */

// C0/C1 control characters (incl. ESC, CR, LF, TAB): tag values and error messages come from AWS accounts
// we do not control, and an ESC would let a tag value repaint the operator's terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;
const WIDE =
  /\p{Extended_Pictographic}|[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
// Made on first use: the first Segmenter of a process loads ICU's break rules (tens of milliseconds),
// which `key-audit --help` and JSON output never need.
let segmenter: Intl.Segmenter | undefined;

/** `value` on one line: runs of control characters (newlines, tabs, ESC) become one space. */
export const oneLine = (value: string): string => value.replace(CONTROL, ' ').trim();

/** `text` without ANSI colour sequences, e.g. to measure or test coloured output. */
export const stripAnsi = (text: string): string => text.replace(ANSI, '');

const graphemes = (text: string): string[] => {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
};

const graphemeWidth = (grapheme: string): number => (WIDE.test(grapheme) ? 2 : 1);

// Nearly all text is printable ASCII, one column per character: no need to segment it.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Columns `text` occupies in a terminal: ANSI codes take none, emoji and CJK take two. */
export const displayWidth = (text: string): number => {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  return graphemes(stripAnsi(text)).reduce((sum, g) => sum + graphemeWidth(g), 0);
};

/** `text` padded with spaces to `width` terminal columns (never shortened). */
export const padDisplay = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** `text` shortened to at most `width` columns, ending in `…` when shortened; whole graphemes only. */
export const truncateDisplay = (text: string, width: number): string => {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const w = graphemeWidth(g);
    if (used + w > width - 1) break;
    out += g;
    used += w;
  }
  return `${out}…`;
};

/** `5,000`: thousands separated, independent of the runtime's locale data. */
export const formatCount = (count: number): string =>
  Number.isSafeInteger(count) ? String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(count);

/** `1 violation`, `7 violations`, `5,000 findings`. */
export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${formatCount(count)} ${count === 1 ? one : many}`;

/** How to wrap: total width, and the indents of the first and following lines. */
export interface WrapOptions {
  readonly width: number;
  readonly indent?: string;
  /** Indent of the first line (e.g. a label); defaults to `indent`. */
  readonly firstIndent?: string;
}

/**
 * `text` word-wrapped to `width` columns. Words are never split: a word longer than a line (a URL, an
 * ARN) gets a line of its own and may exceed the width, so it stays copyable.
 */
export const wrap = (text: string, { width, indent = '', firstIndent = indent }: WrapOptions): string[] => {
  const words = oneLine(text)
    .split(/ +/)
    .filter((w) => w !== '');
  const lines: string[] = [];
  let line = firstIndent;
  let used = displayWidth(firstIndent);
  let empty = true;
  for (const word of words) {
    const size = displayWidth(word);
    if (empty || used + 1 + size <= width) {
      line = empty ? line + word : `${line} ${word}`;
      used += empty ? size : 1 + size;
      empty = false;
    } else {
      lines.push(line);
      line = indent + word;
      used = displayWidth(indent) + size;
    }
  }
  lines.push(empty ? line.trimEnd() : line);
  return lines;
};
