/**
 * Which credential-report users must be verified live. The report is cheap (one call per account) but up
 * to 4 hours old, has no key ids and no tags; a user whose keys could raise a finding is re-read from the
 * IAM API so that its findings carry real key ids, fresh last-used data, the owner and exemptions.
 * Pure: the instant is a parameter.
 */
import type { AccessKey, IamUser } from './inventory.ts';
import { addDays, type Policy } from './policy.ts';

/**
 * Thresholds are tested this many days early: rules draw their lines with `>` and `>=` at exact instants,
 * and the report's last-used dates can be hours old; a day of margin keeps every borderline key flagged.
 */
export const LIVE_CHECK_MARGIN_DAYS = 1;

/** True when at least `days` days pass between `from` and `until`. */
const atLeastDaysBetween = (from: Date, until: Date, days: number): boolean =>
  addDays(from, days).getTime() <= until.getTime();

/** True when an active key is, or within the margin becomes, due soon, too old or unused. */
const activeKeyMayRaiseFinding = (key: AccessKey, horizon: Date, policy: Policy): boolean =>
  atLeastDaysBetween(key.createdAt, horizon, policy.maxKeyAgeDays - policy.warnDays) ||
  atLeastDaysBetween(key.lastUsedAt ?? key.createdAt, horizon, policy.unusedDays);

/**
 * True when `user`'s keys, as a credential report shows them, could raise a finding at `asOf`: any key
 * that is not active (inactive or of unknown status), two active keys, or an active key that is (nearly)
 * due for rotation or unused. Conservative by design: a user flagged needlessly costs up to 4 API calls,
 * a user missed would lose its key ids, owner and exemptions. Users without keys are never flagged.
 */
export const needsLiveCheck = (user: IamUser, asOf: Date, policy: Policy): boolean => {
  const horizon = addDays(asOf, LIVE_CHECK_MARGIN_DAYS);
  const active = user.accessKeys.filter((key) => key.status === 'active');
  if (active.length !== user.accessKeys.length) return true;
  if (active.length >= 2) return true;
  return active.some((key) => activeKeyMayRaiseFinding(key, horizon, policy));
};
