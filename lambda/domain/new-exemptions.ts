/**
 * Exemptions nobody can grant themselves quietly: with a history, a user who became exempt since the
 * previous run (or whose exemption changed its date or reason) is alerted once.
 */
import type { AppliedExemption } from './finding.ts';
import type { Memory } from './memory.ts';
import { exemptionKey } from './memory-codec.ts';
import type { Report } from './report.ts';

/** A user exempt now whose exemption the memory does not know: the data of a `new-exemption` alert. */
export interface NewExemption {
  readonly accountId: string;
  readonly userName: string;
  /** `YYYY-MM-DD`, the last exempt day it claims. */
  readonly until: string;
  readonly reason: string;
  readonly source: AppliedExemption['source'];
}

/**
 * Users of `report` excused by an exemption that `memory.exemptions` does not hold with the same until
 * and reason, once per user, in report order. Exemptions are seen through exempt findings: a user
 * without one (healthy keys) has nothing excused yet.
 */
export const newExemptions = (report: Report, memory: Memory): NewExemption[] => {
  const found = new Map<string, NewExemption>();
  for (const { accountId, userName, exemption } of report.findings) {
    if (userName === null || exemption === null) continue;
    const key = exemptionKey(accountId, userName);
    const known = memory.exemptions[key];
    if (found.has(key) || (known?.until === exemption.until && known.reason === exemption.reason)) continue;
    const { until, reason, source } = exemption;
    found.set(key, { accountId, userName, until, reason, source });
  }
  return [...found.values()];
};
