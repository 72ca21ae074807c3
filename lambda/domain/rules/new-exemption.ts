/**
 * `new-exemption`: a user who became exempt since the previous run, alerted once with the date and reason
 * the exemption claims. Only a run with a history knows what is new, so `evaluate` (which has no memory)
 * never raises it: the history run builds these findings from `newExemptions(report, memory)`.
 */
import { CATALOGUE } from '../catalogue.ts';
import { EXEMPT_UNTIL_TAG } from '../exemptions.ts';
import type { Finding } from '../finding.ts';
import { findingId } from '../finding-id.ts';
import type { NewExemption } from '../new-exemptions.ts';
import { oneLine } from '../wording.ts';
import { NO_KEY_FIELDS } from './rule.ts';

const metadata = CATALOGUE['new-exemption'];

/** What else `newExemptionFindings` may take from the run's report. */
export interface NewExemptionOptions {
  /**
   * The report's findings: the user's owner and ARN, and whether the account is production, are taken
   * from the user's findings there (a new exemption is only seen through an exempt finding). @default []
   */
  readonly findings?: readonly Finding[];
}

const declaredBy = (source: NewExemption['source']): string =>
  source === 'tag' ? `its ${EXEMPT_UNTIL_TAG} tag` : 'the configured exemptions';

/**
 * One `new-exemption` finding per new exemption, in the order given: severity and remediation from the
 * catalogue, `since` = `asOf` (the run that first saw it), id `new-exemption:<account>:<user>#<until>`,
 * so that the same user exempted again to another date is a new finding.
 */
export const newExemptionFindings = (
  newExemptions: readonly NewExemption[],
  asOf: Date,
  options: NewExemptionOptions = {},
): Finding[] =>
  newExemptions.map((exemption): Finding => {
    const { accountId, userName, until, reason, source } = exemption;
    const related = options.findings?.filter((f) => f.accountId === accountId) ?? [];
    const ofUser = related.find((f) => f.userName === userName);
    return {
      id: findingId(metadata.id, accountId, `${userName}#${until}`),
      rule: metadata.id,
      severity: metadata.defaultSeverity,
      accountId,
      userName,
      userArn: ofUser?.userArn ?? null,
      ...NO_KEY_FIELDS,
      since: asOf,
      owner: ofUser?.owner ?? null,
      production: related.some((f) => f.production),
      // Never excused: an exemption must not hide its own appearance.
      exempt: false,
      exemption: null,
      message:
        `User ${userName} became exempt until ${until} by ${declaredBy(source)}, for the reason ` +
        `"${oneLine(reason)}": its keys raise no violation until then.`,
      remediation: metadata.remediation,
    };
  });
