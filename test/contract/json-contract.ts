/**
 * The JSON report contract (schemaVersion 1) as the issues state it, written down once for every test that
 * checks a rendering against it. Kept apart from lambda/present/render/json.ts on purpose: the tests compare
 * the code with the contract, not with itself.
 */

/** Finding keys the contract requires; each is always present, null when unknown. */
export const CONTRACT_FINDING_KEYS = [
  'id',
  'rule',
  'severity',
  'accountId',
  'userName',
  'accessKeyId',
  'keySlot',
  'ageDays',
  'since',
  'lastUsedAt',
  'lastUsedService',
  'lastUsedRegion',
  'owner',
  'exempt',
  'message',
  'remediation',
  // Issue 11 §2: true or false, never absent, so that consumers can tell production keys apart.
  'production',
] as const;

/**
 * Report keys always present: null where the run has none (no history: `trend`, `newExemptions`; no
 * enforcement: `actions`; nothing stored: `storedAt`). `incomplete` and `omitted` appear only when set.
 */
export const CONTRACT_REPORT_KEYS = [
  'schemaVersion',
  'kind',
  'asOf',
  'newSince',
  'policy',
  'accounts',
  'findings',
  'summary',
  'trend',
  'actions',
  'newExemptions',
  'storedAt',
] as const;

/** Issue 10 §3: what changed since the previous report; instants ISO-8601 (previousAsOf null on a first run). */
export const CONTRACT_TREND_KEYS = ['previousAsOf', 'previous', 'new', 'resolved'] as const;

/** Issue 11 §5 (`production` from §2): one enforcement action; `dueAt` ISO-8601. */
export const CONTRACT_ACTION_KEYS = [
  'type',
  'accountId',
  'userName',
  'accessKeyId',
  'dueAt',
  'status',
  'reason',
  'production',
] as const;

/** One exemption new since the previous run (issue 10 §3). */
export const CONTRACT_NEW_EXEMPTION_KEYS = ['accountId', 'userName', 'until', 'reason', 'source'] as const;
