/**
 * Exemptions: a user excused from key findings until a date, for a reason. They come from IAM user tags
 * (`key-audit:exempt-until`, `key-audit:exempt-reason`) or from the policy's `exemptions`. An exemption
 * without a reason, with a date that is not a real `YYYY-MM-DD` day, or running more than
 * `maxExemptionDays` past the scan is never honoured: it is reported as an `invalid-exemption` finding
 * instead.
 */

import { DAY_MS } from './days.ts';
import { exemptionTooLong } from './exemption-limit.ts';
import type { AppliedExemption } from './finding.ts';
import type { Policy } from './policy.ts';

/** Tag holding the last exempt day (`YYYY-MM-DD`, UTC, inclusive). */
export const EXEMPT_UNTIL_TAG = 'key-audit:exempt-until';
/** Tag holding why the user is exempt. */
export const EXEMPT_REASON_TAG = 'key-audit:exempt-reason';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a `YYYY-MM-DD` day, or null when the text is not one or names no real day (2026-02-30). */
export const parseCalendarDate = (text: string): Date | null => {
  const match = CALENDAR_DATE.exec(text);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over to March 2: a round trip catches impossible days and months.
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date : null;
};

/** True while `asOf` is on or before the `until` day (UTC, through its last millisecond). */
export const isInForce = (until: string, asOf: Date): boolean => {
  const lastDay = parseCalendarDate(until);
  return lastDay !== null && asOf.getTime() < lastDay.getTime() + DAY_MS;
};

const regExpSpecial = /[.+^${}()|[\]\\]/g;

/**
 * True when `userName` matches `pattern`, where `*` matches any run of characters and `?` one character.
 * Case-insensitive, like IAM user names (IAM does not allow two users differing only in case).
 */
export const matchesUserGlob = (pattern: string, userName: string): boolean => {
  const source = pattern.replace(regExpSpecial, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`, 'is').test(userName);
};

/** The exemptions declared for one user: those that may be honoured, and what is wrong with the others. */
export interface UserExemptions {
  /** Well-formed exemptions, whether or not still in force. */
  readonly valid: readonly AppliedExemption[];
  /** One line per problem, naming the tag or the configured exemption (`exemptions[2].until: ...`). */
  readonly problems: readonly string[];
}

const dateProblem = (field: string, value: string): string =>
  `${field} ${JSON.stringify(value)} is not a date (YYYY-MM-DD)`;

/** The limit on how far an exemption may run past the scan, when it is checked. */
interface ExemptionLimit {
  readonly asOf: Date;
  readonly maxExemptionDays: number;
}

/** The problem of `until` running past `limit` (`field "until" is N days after the scan, ...`), or null. */
const tooLong = (field: string, until: string, limit: ExemptionLimit | undefined): string | null => {
  if (limit === undefined) return null;
  const problem = exemptionTooLong(until, limit.asOf, limit.maxExemptionDays);
  return problem === null ? null : `${field} ${problem}`;
};

const fromTags = (
  tags: Readonly<Record<string, string>>,
  limit: ExemptionLimit | undefined,
): { valid?: AppliedExemption; problems: string[] } => {
  const until = tags[EXEMPT_UNTIL_TAG]?.trim();
  const reason = tags[EXEMPT_REASON_TAG]?.trim();
  if (until === undefined && reason === undefined) return { problems: [] };
  const problems: string[] = [];
  if (until === undefined) problems.push(`tag ${EXEMPT_UNTIL_TAG} is missing`);
  else if (parseCalendarDate(until) === null) problems.push(dateProblem(`tag ${EXEMPT_UNTIL_TAG}`, until));
  else {
    const long = tooLong(`tag ${EXEMPT_UNTIL_TAG}`, until, limit);
    if (long !== null) problems.push(long);
  }
  if (!reason) problems.push(`tag ${EXEMPT_REASON_TAG} is ${reason === undefined ? 'missing' : 'empty'}`);
  if (problems.length > 0 || until === undefined || !reason) return { problems };
  return { valid: { until, reason, source: 'tag' }, problems };
};

/**
 * Every exemption that names this user: its tags, and each configured exemption whose account (or `*`)
 * and user glob match. Policies from `resolvePolicy` hold only well-formed exemptions; others (a policy
 * built in code) are checked here again so that a bad one is reported, not honoured. Given the scan's
 * instant `asOf` and a policy with `maxExemptionDays`, an exemption running further than that past the
 * scan is a problem too (not honoured).
 */
export const exemptionsForUser = (
  accountId: string,
  user: { readonly userName: string; readonly tags: Readonly<Record<string, string>> },
  policy: Pick<Policy, 'exemptions'> & Partial<Pick<Policy, 'maxExemptionDays'>>,
  asOf?: Date,
): UserExemptions => {
  const limit =
    asOf === undefined || policy.maxExemptionDays === undefined
      ? undefined
      : { asOf, maxExemptionDays: policy.maxExemptionDays };
  const tagged = fromTags(user.tags, limit);
  const valid: AppliedExemption[] = tagged.valid === undefined ? [] : [tagged.valid];
  const problems = [...tagged.problems];
  policy.exemptions.forEach((exemption, index) => {
    const account = exemption.accountId ?? '*';
    if (account !== '*' && account !== accountId) return;
    if (!matchesUserGlob(exemption.userName, user.userName)) return;
    const before = problems.length;
    // Fields are re-checked at run time: a policy built in code has not been through resolvePolicy.
    const until: unknown = exemption.until;
    const reason: unknown = exemption.reason;
    if (typeof until !== 'string') problems.push(`exemptions[${index}].until is missing`);
    else if (parseCalendarDate(until) === null)
      problems.push(dateProblem(`exemptions[${index}].until`, until));
    else {
      const long = tooLong(`exemptions[${index}].until`, until, limit);
      if (long !== null) problems.push(long);
    }
    if (typeof reason !== 'string' || !reason.trim()) problems.push(`exemptions[${index}].reason is missing`);
    if (problems.length === before) {
      valid.push({ until: exemption.until, reason: exemption.reason.trim(), source: 'config' });
    }
  });
  return { valid, problems };
};

/**
 * The exemption that excuses the user at `asOf`, or null: of those in force, the one lasting longest
 * (a tag before configuration on the same day), so the report shows when the excuse really ends.
 */
export const exemptionInForce = (valid: readonly AppliedExemption[], asOf: Date): AppliedExemption | null => {
  let best: AppliedExemption | null = null;
  for (const exemption of valid) {
    if (!isInForce(exemption.until, asOf)) continue;
    const longer = best === null || exemption.until > best.until;
    const tagOnTie = best !== null && exemption.until === best.until && exemption.source === 'tag';
    if (longer || tagOnTie) best = exemption;
  }
  return best;
};
