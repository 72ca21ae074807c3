/**
 * The memory as stored in `state.json`: `{"schemaVersion": 1, ...}`, every instant an ISO-8601 string.
 * One zod codec both validates what is read and writes what is saved, so the two cannot drift; the type
 * check at the end makes it fail to compile when `Memory` gains a field the document does not hold.
 *
 * A document that is not JSON, has another schemaVersion or does not validate is never replaced by an
 * empty memory: forgetting deliveries would re-send every alert, forgetting scans would lose some.
 */
import * as z from 'zod/mini';
import { ACCOUNT_ID } from './aws-ids.ts';
import { parseCalendarDate } from './exemptions.ts';
import { HistoryError } from './history-store.ts';
import type { Memory } from './memory.ts';
import { SEVERITIES } from './severity.ts';
import { describeIssues } from './zod-problems.ts';

/** The state document version this key-audit reads and writes. */
export const STATE_SCHEMA_VERSION = 1;

const instant = z.codec(z.iso.datetime({ message: 'not an ISO-8601 instant' }), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});
const accountId = z.string().check(z.regex(ACCOUNT_ID, 'not a 12-digit account id'));
const text = z.string().check(z.minLength(1, 'is empty'));
const calendarDate = z
  .string()
  .check(z.refine((value) => parseCalendarDate(value) !== null, 'not a date (YYYY-MM-DD)'));
const job = z.enum(['report', 'alerts', 'scan']);

const deliveredAlert = z.strictObject({
  findingId: text,
  severity: z.enum(SEVERITIES),
  deliveredAt: instant,
});

const knownExemption = z.strictObject({
  accountId,
  userName: text,
  until: calendarDate,
  reason: text,
  firstSeenAt: instant,
});

const notice = z.strictObject({
  accountId,
  userName: text,
  accessKeyId: text,
  action: z.enum(['deactivate', 'delete']),
  noticedAt: instant,
  dueAt: instant,
  lastUsedAtNoticed: z.nullable(instant),
  production: z.boolean(),
});

const actionRecord = z.strictObject({
  type: z.enum(['deactivate', 'delete', 'notice']),
  accountId,
  userName: text,
  accessKeyId: text,
  dueAt: instant,
  at: instant,
  status: z.enum(['planned', 'done', 'skipped', 'failed']),
  reason: z.string(),
});

const reportRef = z.strictObject({ job, asOf: instant, location: text });

/** The key of `memory.exemptions` for a user. */
export const exemptionKey = (accountId: string, userName: string): string => `${accountId}/${userName}`;

/** Each record is keyed by a field of its entries: a key that disagrees means the document was edited. */
const keyedBy = <T>(
  entries: Readonly<Record<string, T>>,
  keyOf: (entry: T) => string,
  field: string,
  context: z.core.$RefinementCtx,
): void => {
  for (const [key, entry] of Object.entries(entries)) {
    if (keyOf(entry) !== key)
      context.addIssue({
        code: 'custom',
        path: [field, key],
        message: `key does not match the entry (${JSON.stringify(keyOf(entry))})`,
      });
  }
};

const memoryFields = {
  lastScanned: z.record(accountId, instant),
  delivered: z.record(z.string(), deliveredAlert),
  exemptions: z.record(z.string(), knownExemption),
  notices: z.record(z.string(), notice),
  actions: z.readonly(z.array(actionRecord)),
  latestReports: z.partialRecord(job, reportRef),
};

/** The stored document: schemaVersion and the memory. Unknown fields are refused, not dropped on save. */
const stateDocument = z
  .strictObject({ schemaVersion: z.literal(STATE_SCHEMA_VERSION), ...memoryFields })
  .check(
    z.superRefine((state, context) => {
      keyedBy(state.delivered, (entry) => entry.findingId, 'delivered', context);
      keyedBy(
        state.exemptions,
        (entry) => exemptionKey(entry.accountId, entry.userName),
        'exemptions',
        context,
      );
      keyedBy(state.notices, (entry) => entry.accessKeyId, 'notices', context);
      for (const [key, ref] of Object.entries(state.latestReports)) {
        if (ref !== undefined && ref.job !== key)
          context.addIssue({ code: 'custom', path: ['latestReports', key], message: `job is ${ref.job}` });
      }
    }),
  );

type StoredMemory = Omit<z.output<typeof stateDocument>, 'schemaVersion'>;
// Fails to compile when Memory and the document disagree (a field added to one only).
const sameShape: [StoredMemory extends Memory ? true : false, Memory extends StoredMemory ? true : false] = [
  true,
  true,
];
void sameShape;

/** The `state.json` text of `memory` (indented, so that a person can read and diff it). */
export const encodeMemory = (memory: Memory): string => {
  const result = z.safeEncode(stateDocument, { schemaVersion: STATE_SCHEMA_VERSION, ...memory });
  // The memory is built by key-audit itself: a value the document cannot hold is a bug, not bad input.
  if (!result.success) throw new TypeError(`cannot store the memory: ${describeIssues(result.error.issues)}`);
  return `${JSON.stringify(result.data, null, 2)}\n`;
};

/**
 * The memory stored in `text`, read from `location` (named in errors). Throws a HistoryError for text that
 * is not JSON, another schemaVersion, or a document that does not validate (listing the problems).
 */
export const decodeMemory = (text: string, location: string): Memory => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HistoryError(`${location}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const version =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>).schemaVersion
      : undefined;
  if (version !== undefined && version !== STATE_SCHEMA_VERSION)
    throw new HistoryError(
      `${location}: schemaVersion ${JSON.stringify(version)} is not supported (this key-audit reads ${STATE_SCHEMA_VERSION})`,
    );
  const result = z.safeDecode(stateDocument, parsed as z.input<typeof stateDocument>);
  if (!result.success) throw new HistoryError(`${location}: ${describeIssues(result.error.issues)}`);
  const { schemaVersion: _version, ...memory } = result.data;
  return memory;
};
