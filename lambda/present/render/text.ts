/**
 * Layout primitives every rendering shares: measuring terminal width and UTF-8 size, padding, truncating
 * and word-wrapping. Nothing here knows about findings; words come from `lambda/domain/wording.ts`.
 */
import { oneLine } from '../../domain/wording.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;
const WIDE =
  /\p{Extended_Pictographic}|[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
// Made on first use: the first Segmenter of a process loads ICU's break rules (tens of milliseconds),
// which `key-audit --help` and JSON output never need.
let segmenter: Intl.Segmenter | undefined;

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

/** Size of `text` in UTF-8 bytes: the unit SNS counts messages, subjects and attributes in. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

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

/** Shell words of `command`: split at spaces outside single quotes (as `shellWord` quotes). */
const shellWords = (command: string): string[] => command.match(/(?:[^\s']+|'[^']*')+/g) ?? [];

/**
 * A shell command laid out in `width` columns so that it still pastes as one command: lines broken between
 * words end in ` \` and continue at `indent`. A word is never split (a line with one long word may run
 * past the width).
 */
export const wrapCommand = (
  command: string,
  { width, indent = '', firstIndent = indent }: WrapOptions,
): string[] => {
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const word of shellWords(oneLine(command))) {
    // Room for ` \` at the end of every line but the last.
    if (empty || displayWidth(line) + 1 + displayWidth(word) + 2 <= width) {
      line = empty ? line + word : `${line} ${word}`;
      empty = false;
    } else {
      lines.push(`${line} \\`);
      line = indent + word;
    }
  }
  lines.push(line);
  return lines;
};
