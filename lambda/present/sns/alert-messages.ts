/**
 * On-call alerts: ONE MESSAGE PER ALERTED FINDING, so that a subscription filter policy on `severity`,
 * `accountId`, `rule` or `owner` routes each page exactly and each page is one thing to do. A run with an
 * unusual number of alerts (a new policy, a StackSet gone wrong) is capped: the most urgent findings get
 * their own message, the rest one digest message per account (`rule` = `digest`). See docs/alerts.md.
 */
import { type AlertPolicy, type AlertReason, alertReason, selectAlerts } from '../../domain/alerts.ts';
import type { Finding } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import { severityRank } from '../../domain/severity.ts';
import { formatDateTime, oneLine, plural, userLabel } from '../../domain/wording.ts';
import { isProductionKey, nextStepOf, ruleTitle, severityLabel } from '../render/describe-finding.ts';
import { headline, SNS_MAX_BYTES } from '../render/index.ts';
import { highestSeverity, NO_SEVERITY, type SnsAttribute, stringAttribute } from './message.ts';
import { assembleMessage, type BuiltMessage } from './report-message.ts';
import { MAX_SUBJECT_LENGTH } from './subject.ts';

/** Messages one run sends at most before the rest go into per-account digests. */
export const DEFAULT_MAX_ALERT_MESSAGES = 50;

/** The `rule` attribute of a digest message. */
export const DIGEST_RULE = 'digest';

/** A finding chosen for an alert, and why. */
export interface AlertChoice {
  readonly finding: Finding;
  readonly reason: AlertReason;
}

/** Options of `buildAlertMessages`. */
export interface AlertMessagesOptions {
  readonly alertPolicy: AlertPolicy;
  /**
   * The findings to alert and why, chosen by the caller (a run with a history: what was not delivered
   * yet), instead of `alertPolicy`'s window. Messages then say "new" without a window start.
   */
  readonly selected?: readonly AlertChoice[];
  /** Findings with a message of their own, at most. @default DEFAULT_MAX_ALERT_MESSAGES */
  readonly maxMessages?: number;
  /** @default SNS_MAX_BYTES */
  readonly maxBytes?: number;
}

/** The alerts of a run. */
export interface AlertMessages {
  /** The report narrowed to the alerted findings (`selectAlerts`); no findings means nothing to send. */
  readonly alerts: Report;
  /** The start of the window findings count as new in; null for alerts chosen by the caller. */
  readonly newSince: Date | null;
  /** Messages in publishing order: one per finding (most urgent first), then the digests. */
  readonly messages: readonly BuiltMessage[];
  /** The findings each message carries, by the message's position: what a published message delivered. */
  readonly findingsByMessage: readonly (readonly Finding[])[];
  /** Findings with a message of their own. */
  readonly individual: number;
  /** Digest messages (one per account with findings beyond the cap). */
  readonly digests: number;
}

const REASON_RANK: Readonly<Record<AlertReason, number>> = { unreachable: 0, critical: 0, new: 1 };

/** Standing emergencies (blind spots, critical findings) first, then by severity; stable within. */
const mostUrgentFirst = (
  findings: readonly Finding[],
  reasons: ReadonlyMap<Finding, AlertReason>,
): Finding[] =>
  [...findings].sort(
    (a, b) =>
      REASON_RANK[reasons.get(a) ?? 'new'] - REASON_RANK[reasons.get(b) ?? 'new'] ||
      severityRank(b.severity) - severityRank(a.severity),
  );

/**
 * `key-audit ALERT: new HIGH Access key older than the rotation limit in 111111111111: alice`; when that is
 * too long for a subject, the rule id stands in for its title so the user name still fits.
 */
export const alertSubject = (finding: Finding, reason: AlertReason): string => {
  const user = userLabel(finding);
  const subject = (what: string): string =>
    `key-audit ALERT: ${reason === 'new' ? 'new ' : ''}${severityLabel(finding.severity)} ` +
    `${what} in ${finding.accountId}${user === null ? '' : `: ${user}`}`;
  const long = subject(ruleTitle(finding));
  return long.length <= MAX_SUBJECT_LENGTH ? long : subject(finding.rule);
};

/** The `default` text of one finding's alert: what, where, and the next step, in a few hundred characters. */
export const alertDefaultText = (finding: Finding): string => {
  const user = userLabel(finding);
  const text =
    `key-audit ALERT ${severityLabel(finding.severity)} ${finding.rule} in ${finding.accountId}` +
    `${user === null ? '' : ` (${user})`}: ${oneLine(finding.message)} Next step: ${nextStepOf(finding)}`;
  return text.replace(/\s+/g, ' ').trim().slice(0, 1000);
};

/**
 * Attributes a filter policy can route one finding by: `severity`, `accountId`, `rule`, `owner` (when
 * known) and `production` (`true` or `false`), so that a 2nd-line subscription can take production keys.
 */
export const alertAttributes = (finding: Finding): Record<string, SnsAttribute> => {
  const attributes: Record<string, SnsAttribute> = {};
  const put = (name: string, value: string | null): void => {
    const attribute = value === null ? null : stringAttribute(value);
    if (attribute !== null) attributes[name] = attribute;
  };
  put('severity', finding.severity);
  put('accountId', finding.accountId);
  put('rule', finding.rule);
  put('owner', finding.owner);
  put('production', String(isProductionKey(finding)));
  return attributes;
};

/**
 * `report` narrowed to `findings` of one account, keeping the whole run's summary as context. What the run
 * did as a whole (trend, actions, new exemptions) is the weekly report's to say, not each page's.
 */
const sliceOf = (report: Report, accountId: string, findings: readonly Finding[]): Report => {
  const { trend: _trend, actions: _actions, newExemptions: _newExemptions, ...rest } = report;
  return {
    ...rest,
    accounts: report.accounts.filter((a) => a.accountId === accountId),
    findings,
  };
};

/**
 * The alert messages of `report`: none when nothing qualifies; otherwise one per alerted finding, most
 * urgent first, up to `maxMessages`, and one digest per account for the findings beyond.
 */
export const buildAlertMessages = (report: Report, options: AlertMessagesOptions): AlertMessages => {
  const maxMessages = options.maxMessages ?? DEFAULT_MAX_ALERT_MESSAGES;
  if (!Number.isInteger(maxMessages) || maxMessages < 0)
    throw new RangeError(`maxMessages must be a whole number, got ${maxMessages}`);
  const maxBytes = options.maxBytes ?? SNS_MAX_BYTES;
  const { selected } = options;
  const alerts =
    selected === undefined
      ? selectAlerts(report, options.alertPolicy)
      : { ...report, findings: selected.map((choice) => choice.finding) };
  const newSince =
    selected === undefined ? new Date(report.asOf.getTime() - options.alertPolicy.windowMs) : undefined;
  const reasons = new Map<Finding, AlertReason>();
  if (selected !== undefined) for (const { finding, reason } of selected) reasons.set(finding, reason);
  else {
    for (const finding of alerts.findings) {
      reasons.set(finding, alertReason(finding, report.asOf, options.alertPolicy) ?? 'new');
    }
  }
  const ordered = mostUrgentFirst(alerts.findings, reasons);
  const own = ordered.slice(0, maxMessages);
  const rest = ordered.slice(maxMessages);

  const messages: BuiltMessage[] = own.map((finding) =>
    assembleMessage(sliceOf(alerts, finding.accountId, [finding]), {
      kind: 'alert',
      subject: alertSubject(finding, reasons.get(finding) ?? 'new'),
      defaultText: alertDefaultText(finding),
      attributes: alertAttributes(finding),
      ...(newSince === undefined ? {} : { newSince }),
      maxBytes,
    }),
  );
  const findingsByMessage: (readonly Finding[])[] = own.map((finding) => [finding]);

  const restByAccount = new Map<string, Finding[]>();
  for (const finding of rest) {
    const list = restByAccount.get(finding.accountId);
    if (list === undefined) restByAccount.set(finding.accountId, [finding]);
    else list.push(finding);
  }
  for (const [accountId, findings] of restByAccount) {
    const digest = sliceOf(alerts, accountId, findings);
    const title = headline(digest, {
      kind: 'alert',
      ...(newSince === undefined ? {} : { newSince }),
      prefix: 'key-audit digest',
    });
    const attributes: Record<string, SnsAttribute> = {};
    for (const [name, value] of [
      ['severity', highestSeverity(findings) ?? NO_SEVERITY],
      ['accountId', accountId],
      ['rule', DIGEST_RULE],
      // `true` when any key in the digest is a production key.
      ['production', String(findings.some(isProductionKey))],
    ] as const) {
      const attribute = stringAttribute(value);
      if (attribute !== null) attributes[name] = attribute;
    }
    messages.push(
      assembleMessage(digest, {
        kind: 'alert',
        subject: title,
        defaultText:
          `${title} (as of ${formatDateTime(report.asOf)}): ${plural(findings.length, 'alerted finding')} ` +
          `in ${accountId} beyond the ${maxMessages} messages a run sends one by one.`,
        attributes,
        ...(newSince === undefined ? {} : { newSince }),
        maxBytes,
      }),
    );
    findingsByMessage.push(findings);
  }
  return {
    alerts,
    newSince: newSince ?? null,
    messages,
    findingsByMessage,
    individual: own.length,
    digests: restByAccount.size,
  };
};
