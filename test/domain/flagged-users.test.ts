import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lambda/domain/evaluate.ts';
import { LIVE_CHECK_MARGIN_DAYS, needsLiveCheck } from '../../lambda/domain/flagged-users.ts';
import type { AccessKey } from '../../lambda/domain/inventory.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import { AS_OF, accessKey, ago, iamUser, inventoryOf, policyWith, scannedAccount } from './factories.ts';

// Report keys: slot only, no id.
const reportKey = (overrides: Partial<AccessKey> = {}): AccessKey =>
  accessKey({ accessKeyId: null, slot: 1, ...overrides });

const { maxKeyAgeDays, warnDays, unusedDays } = DEFAULT_POLICY;
const dueSoonFrom = maxKeyAgeDays - warnDays;

describe('needsLiveCheck', () => {
  it('does not flag a user without keys', () => {
    expect(needsLiveCheck(iamUser('nokeys'), AS_OF, DEFAULT_POLICY)).toBe(false);
  });

  it('does not flag a user whose single active key is young and in use', () => {
    expect(needsLiveCheck(iamUser('healthy', [reportKey()]), AS_OF, DEFAULT_POLICY)).toBe(false);
  });

  it.each([
    ['an inactive key', [reportKey({ status: 'inactive' })]],
    ['a key of unknown status', [reportKey({ status: 'unknown' })]],
    ['two active young keys', [reportKey(), reportKey({ slot: 2 })]],
    ['an active and an inactive key', [reportKey(), reportKey({ slot: 2, status: 'inactive' })]],
  ])('flags a user with %s', (_label, keys) => {
    expect(needsLiveCheck(iamUser('u', keys), AS_OF, DEFAULT_POLICY)).toBe(true);
  });

  // Ages around the due-soon threshold (76 days by default), one day of margin before it.
  it.each([
    [dueSoonFrom - LIVE_CHECK_MARGIN_DAYS - 1, false],
    [dueSoonFrom - LIVE_CHECK_MARGIN_DAYS, true],
    [dueSoonFrom, true],
    [maxKeyAgeDays + 1, true],
    [400, true],
  ])('flags an active key used yesterday and %i days old: %s', (ageDays, flagged) => {
    const user = iamUser('u', [reportKey({ createdAt: ago(ageDays) })]);
    expect(needsLiveCheck(user, AS_OF, DEFAULT_POLICY)).toBe(flagged);
  });

  it.each([
    ['last used', unusedDays - LIVE_CHECK_MARGIN_DAYS - 1, false],
    ['last used', unusedDays - LIVE_CHECK_MARGIN_DAYS, true],
    ['last used', unusedDays + 1, true],
  ])('flags a young active key %s %i days ago: %s', (_label, idleDays, flagged) => {
    const user = iamUser('u', [reportKey({ createdAt: ago(60), lastUsedAt: ago(idleDays) })]);
    expect(needsLiveCheck(user, AS_OF, policyWith({ maxKeyAgeDays: 365 }))).toBe(flagged);
  });

  it.each([
    [unusedDays - LIVE_CHECK_MARGIN_DAYS - 1, false],
    [unusedDays - LIVE_CHECK_MARGIN_DAYS, true],
  ])('flags a never-used active key %i days old: %s', (ageDays, flagged) => {
    const user = iamUser('u', [reportKey({ createdAt: ago(ageDays), lastUsedAt: null })]);
    expect(needsLiveCheck(user, AS_OF, DEFAULT_POLICY)).toBe(flagged);
  });

  it('follows the policy thresholds', () => {
    const user = iamUser('u', [reportKey({ createdAt: ago(25) })]);
    expect(needsLiveCheck(user, AS_OF, DEFAULT_POLICY)).toBe(false);
    expect(needsLiveCheck(user, AS_OF, policyWith({ maxKeyAgeDays: 30, warnDays: 7 }))).toBe(true);
  });

  // The contract with the rule engine: an unflagged user never has a finding, whatever the key ages.
  it('never leaves out a user the rules would raise a finding for', () => {
    const ages = [0, 1, 29, 30, 44, 45, 46, 74, 75, 76, 77, 89, 90, 91, 200];
    for (const created of ages) {
      for (const used of [null, ...ages.filter((a) => a <= created)]) {
        const user = iamUser('u', [
          reportKey({ createdAt: ago(created), lastUsedAt: used === null ? null : ago(used) }),
        ]);
        const report = evaluate(inventoryOf(scannedAccount([user])), { asOf: AS_OF, policy: DEFAULT_POLICY });
        if (report.findings.length > 0) expect(needsLiveCheck(user, AS_OF, DEFAULT_POLICY)).toBe(true);
      }
    }
  });
});
