/**
 * The JSON report contract (schemaVersion 1) as the issue states it, written down once for every test that
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
] as const;
