/**
 * `new-exemption`: a user excused by an exemption the previous run did not see. It is not found in an
 * inventory but by comparing a run with the memory (`newExemptions` in new-exemptions.ts), so its check
 * finds nothing; `newExemptionFindings` turns what the memory comparison found into findings to alert.
 */
import { CATALOGUE } from '../catalogue.ts';
import type { Finding } from '../finding.ts';
import { findingId } from '../finding-id.ts';
import type { NewExemption } from '../new-exemptions.ts';
import { NO_KEY_FIELDS, type Rule } from './rule.ts';

const metadata = CATALOGUE['new-exemption'];

const SOURCES: Readonly<Record<NewExemption['source'], string>> = {
  tag: 'a user tag',
  config: 'the configuration',
};

/**
 * One finding per new exemption, as of `asOf` (when it was first seen). The id names the user and the
 * last exempt day (`new-exemption:<account>:<user>#<until>`; user names cannot hold `#`), so an exemption
 * extended to a new date is a new finding, alerted again.
 */
export const newExemptionFindings = (list: readonly NewExemption[], asOf: Date): Finding[] =>
  list.map(({ accountId, userName, until, reason, source }) => ({
    id: findingId(metadata.id, accountId, `${userName}#${until}`),
    rule: metadata.id,
    severity: metadata.defaultSeverity,
    ...NO_KEY_FIELDS,
    accountId,
    userName,
    userArn: null,
    since: asOf,
    owner: null,
    exempt: false,
    exemption: { reason, until, source },
    message: `${userName} became exempt until ${until} (from ${SOURCES[source]}): "${reason}".`,
    remediation: metadata.remediation,
  }));

/** `new-exemption`: found by comparing with the memory, never in an inventory; never exemptible. */
export const newExemption: Rule = { metadata, exemptible: false, check: () => [] };
