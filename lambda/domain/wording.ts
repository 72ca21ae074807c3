/**
 * The one vocabulary key-audit speaks to people: how keys, users, counts, dates, instants, ages, last use
 * and deadlines are worded. Rules compose finding messages from it and every rendering in
 * `lambda/present/` words the same facts with it, so that a finding's message and the table, email or chat
 * line around it never disagree.
 *
 * It lives in the domain, below both: a finding's `message` is part of the model (the JSON contract
 * carries it, rules write it), and the domain must not import presentation. Layout (wrapping, widths,
 * escaping for a format) stays in `lambda/present/`.
 */
import { ROOT_USER_NAME } from './finding-id.ts';
import { DAY_MS } from './policy.ts';

// C0/C1 control characters (incl. ESC, CR, LF, TAB) and the Unicode line and paragraph separators
// (U+2028, U+2029), which editors, browsers and JavaScript treat as line breaks: tag values and error
// messages come from AWS accounts we do not control, and an ESC would let a tag value repaint the
// operator's terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * `value` on one line: runs of control characters and line breaks (CR, LF, U+2028, U+2029, TAB, ESC)
 * become one space.
 */
export const oneLine = (value: string): string => value.replace(CONTROL, ' ').trim();

/** `5,000`: thousands separated, independent of the runtime's locale data. */
export const formatCount = (count: number): string =>
  Number.isSafeInteger(count) ? String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(count);

/** `1 day`, `7 violations`, `5,000 findings`. */
export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${formatCount(count)} ${count === 1 ? one : many}`;

/** The UTC day of an instant: `2026-10-02`. */
export const formatDate = (instant: Date): string => instant.toISOString().slice(0, 10);

/** An instant to the minute, UTC: `2026-10-02 06:00 UTC`. */
export const formatDateTime = (instant: Date): string =>
  `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A key's age: `1 day`, `134 days`, or `unknown` when there is no dated key. */
export const formatAge = (ageDays: number | null): string =>
  ageDays === null ? 'unknown' : plural(ageDays, 'day');

/** How `keyLabel` words a key. */
export interface KeyLabelOptions {
  /** `AKIA…MPLE` instead of the whole id, for chat lines and tables short of room. @default false */
  readonly short?: boolean;
}

/**
 * A key as people name it: its whole id (what they paste into the console or CLI), `slot 1` when only the
 * credential report's slot (or, failing that, the key's position) is known, null when neither is.
 */
export function keyLabel(accessKeyId: string | null, slot: number, options?: KeyLabelOptions): string;
export function keyLabel(
  accessKeyId: string | null,
  slot: number | null,
  options?: KeyLabelOptions,
): string | null;
export function keyLabel(
  accessKeyId: string | null,
  slot: number | null,
  options: KeyLabelOptions = {},
): string | null {
  if (accessKeyId !== null) {
    const id = oneLine(accessKeyId);
    return options.short === true && id.length > 10 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id;
  }
  return slot === null ? null : `slot ${slot}`;
}

/** A user in words: `root user` for the root user, the name otherwise, null for account-level findings. */
export const userLabel = ({ userName }: { readonly userName: string | null }): string | null => {
  if (userName === null) return null;
  return userName === ROOT_USER_NAME ? 'root user' : oneLine(userName);
};

/** The last-use facts of a key or of a finding about one. */
export interface LastUse {
  readonly lastUsedAt: Date | null;
  readonly lastUsedService: string | null;
  readonly lastUsedRegion: string | null;
}

/** `2026-10-02 via s3 in eu-west-2`, `2026-10-02 via iam` (a global service), or `never used`. */
export const describeLastUsed = ({ lastUsedAt, lastUsedService, lastUsedRegion }: LastUse): string => {
  if (lastUsedAt === null) return 'never used';
  const service =
    lastUsedService === null || oneLine(lastUsedService) === '' ? '' : ` via ${oneLine(lastUsedService)}`;
  const region =
    lastUsedRegion === null || oneLine(lastUsedRegion) === '' ? '' : ` in ${oneLine(lastUsedRegion)}`;
  return `${formatDate(lastUsedAt)}${service}${region}`;
};

/** Last use as a phrase inside a sentence: `last used 2026-10-02 via s3 in eu-west-2`, or `never used`. */
export const usedPhrase = (use: LastUse): string =>
  use.lastUsedAt === null ? 'never used' : `last used ${describeLastUsed(use)}`;

/** A deadline relative to the instant of evaluation: whole days left, or whole days past it. */
export type Deadline =
  | { readonly state: 'due'; readonly days: number }
  | { readonly state: 'overdue'; readonly days: number };

/** `deadline` seen from `asOf`, in whole 24-hour days (the way rules count ages); at the instant itself, due. */
export const deadlineRelativeTo = (deadline: Date, asOf: Date): Deadline => {
  const ms = deadline.getTime() - asOf.getTime();
  return ms >= 0
    ? { state: 'due', days: Math.floor(ms / DAY_MS) }
    : { state: 'overdue', days: Math.floor(-ms / DAY_MS) };
};

/** A deadline in words: `overdue by 44 days`, `overdue by less than a day`, `due in 6 days`, `due within a day`. */
export const formatDeadline = (deadline: Deadline): string => {
  if (deadline.state === 'overdue') {
    return deadline.days === 0 ? 'overdue by less than a day' : `overdue by ${plural(deadline.days, 'day')}`;
  }
  return deadline.days === 0 ? 'due within a day' : `due in ${plural(deadline.days, 'day')}`;
};
