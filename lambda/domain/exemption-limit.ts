/**
 * `maxExemptionDays`: an exemption may not run further than this past the scan, so that nobody excuses a
 * key for years with one tag. One that does is not honoured and becomes an `invalid-exemption` finding.
 */
import { parseCalendarDate } from './exemptions.ts';
import { DAY_MS } from './policy.ts';

/** Midnight UTC of the day `instant` falls on. */
const dayOf = (instant: Date): number => Math.floor(instant.getTime() / DAY_MS) * DAY_MS;

/**
 * The problem with an exemption lasting until `until` (`YYYY-MM-DD`, inclusive) seen at `asOf`, or null
 * when it ends at most `maxExemptionDays` calendar days (UTC) after the scan's day. Callers prefix the
 * field, as for other exemption problems: `tag key-audit:exempt-until "2027-01-01" is 200 days after the
 * scan, more than maxExemptionDays (90)`. An `until` that is not a date is another problem: null here.
 */
export const exemptionTooLong = (until: string, asOf: Date, maxExemptionDays: number): string | null => {
  const lastDay = parseCalendarDate(until);
  if (lastDay === null) return null;
  const days = Math.round((lastDay.getTime() - dayOf(asOf)) / DAY_MS);
  return days > maxExemptionDays
    ? `${JSON.stringify(until)} is ${days} day${days === 1 ? '' : 's'} after the scan, more than maxExemptionDays (${maxExemptionDays})`
    : null;
};
