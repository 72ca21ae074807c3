/**
 * Chat (Slack, Teams) through AWS Chatbot / Amazon Q Developer custom notifications. Chat messages must be
 * short: the description lists the most severe findings and counts the rest per rule and account, always
 * whole lines, within a size budget.
 */
import { CATALOGUE } from '../../domain/catalogue.ts';
import type { Finding, RuleId } from '../../domain/finding.ts';
import { ROOT_USER_NAME } from '../../domain/finding-id.ts';
import type { Report } from '../../domain/report.ts';
import { SEVERITIES } from '../../domain/severity.ts';
import {
  formatAge,
  formatCount,
  formatDateTime,
  keyLabel,
  oneLine,
  plural,
  usedPhrase,
  userLabel,
} from '../../domain/wording.ts';
import {
  describeDeadline,
  isAboutKey,
  isProductionKey,
  ownerLabel,
  PRODUCTION_LEGEND,
  PRODUCTION_MARK,
  severityLabel,
} from './describe-finding.ts';
import {
  actionStatusLabel,
  describeAction,
  describeActionCounts,
  describeNewExemption,
  orderActions,
  undoOf,
} from './describe-run.ts';
import { failedAccounts, mostSevereFirst } from './group.ts';
import {
  describeCounts,
  describeIncomplete,
  describeNew,
  describeScope,
  describeTrend,
  type HeadlineOptions,
  headline,
  isNew,
  newFindingIds,
} from './headline.ts';
import { omittedCounts } from './omitted.ts';
import { addCounts, countFindings, type FindingCounts, type RenderOptions } from './options.ts';

/** An AWS Chatbot custom notification (the only shape Chatbot accepts from SNS besides AWS events). */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

/** Options of `renderSlack`. */
export interface SlackOptions extends RenderOptions, Pick<HeadlineOptions, 'prefix'> {
  /** Most findings listed one per line; the rest are counted. @default 10 */
  readonly maxFindings?: number;
  /** Upper bound of the description in characters (UTF-16 units); at least 300. @default 3500 */
  readonly maxDescriptionChars?: number;
}

/** Default bound of a description: well below what chat clients truncate or fold. */
export const DEFAULT_MAX_DESCRIPTION_CHARS = 3_500;
const MIN_DESCRIPTION_CHARS = 300;
const MAX_ACCOUNTS_COUNTED = 10;
const MAX_FAILED_LISTED = 5;
const MAX_RELATED_RESOURCES = 20;
/** Most actions (and most new exemptions) listed one per line; the rest are counted. */
const MAX_RUN_ITEMS_LISTED = 5;

/**
 * Free text made safe for Slack mrkdwn: one line, and `<`, `>` replaced by look-alikes, because Slack reads
 * `<...>` as links or mentions and entity-escaping (`&lt;`) would show literally if Chatbot escaped again.
 * Formatting characters get a zero-width space so a tag value cannot turn the rest of a line bold.
 */
export const slackSafe = (text: string): string =>
  oneLine(text)
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/[*_~`]/g, (c) => `${c}\u200b`);

/** Inline code for identifiers (account ids, rule ids, user names): no backticks or angle brackets inside. */
export const slackCode = (text: string): string =>
  `\`${oneLine(text).replace(/`/g, "'").replace(/</g, '‹').replace(/>/g, '›')}\``;

const findingLine = (
  finding: Finding,
  report: Report,
  options: RenderOptions,
  fresh: ReadonlySet<string>,
): string => {
  const parts = [
    `*${severityLabel(finding.severity)}*`,
    slackCode(finding.rule),
    slackCode(finding.accountId),
  ];
  const user = userLabel(finding);
  if (user !== null) parts.push(finding.userName === ROOT_USER_NAME ? user : slackCode(user));
  const key = keyLabel(finding.accessKeyId, finding.keySlot, { short: true });
  if (key !== null) parts.push(slackCode(key));
  const facts: string[] = [];
  if (isAboutKey(finding)) facts.push(formatAge(finding.ageDays));
  const deadline = describeDeadline(finding, report.asOf, report.policy);
  if (deadline !== null) facts.push(deadline);
  if (isAboutKey(finding)) facts.push(slackSafe(usedPhrase(finding)));
  const owner = ownerLabel(finding);
  if (owner !== null) facts.push(`owner ${slackSafe(owner)}`);
  if (finding.rotation !== undefined) {
    facts.push(
      finding.rotation.oldKeyUsedSinceNewKey ? 'old key still in use' : 'old key idle: deactivate it',
    );
  }
  if (isProductionKey(finding)) facts.push(PRODUCTION_MARK);
  if (options.kind === 'alert' ? isNew(finding, options) : fresh.has(finding.id)) facts.push('_new_');
  return `• ${parts.join(' ')}${facts.length > 0 ? ` · ${facts.join(' · ')}` : ''}`;
};

const describeRest = (
  counts: FindingCounts,
  byAccount: ReadonlyMap<string, number>,
  accountLimit: number,
): string[] => {
  const nonExempt = counts.total - counts.exempt;
  if (counts.total === 0) return [];
  const lines: string[] = [];
  if (nonExempt > 0) {
    const rules = (Object.entries(counts.byRule) as [RuleId, number][])
      .sort((a, b) => b[1] - a[1])
      .map(([rule, n]) => `${rule} ${formatCount(n)}`);
    lines.push(`_Not listed: ${plural(nonExempt, 'finding')}. By rule: ${rules.join(', ')}._`);
    const accounts = [...byAccount.entries()].sort((a, b) => b[1] - a[1]);
    const shown = accounts.slice(0, accountLimit).map(([id, n]) => `${id} ${formatCount(n)}`);
    const more = accounts.length - shown.length;
    if (shown.length > 0) {
      lines.push(
        `_By account: ${shown.join(', ')}${more > 0 ? `, and ${plural(more, 'other account')}` : ''}._`,
      );
    }
  }
  if (counts.exempt > 0) lines.push(`_Exempt (not counted): ${formatCount(counts.exempt)}._`);
  return lines;
};

/** Builds the description: whole lines only, at most `max` characters. */
const describe = (report: Report, options: SlackOptions, max: number): string => {
  const kind = options.kind ?? 'report';
  const head: string[] = [
    kind === 'alert'
      ? `*As of* ${formatDateTime(report.asOf)} · findings ${describeNew(options)} and standing emergencies`
      : `*As of* ${formatDateTime(report.asOf)} · rotate keys within ${plural(report.policy.maxKeyAgeDays, 'day')}`,
    `*Summary:* ${describeCounts(report.summary)} · ${describeScope(report.summary)}`,
  ];
  const trend = kind === 'report' ? describeTrend(report) : null;
  if (trend !== null) head.push(`*Trend:* ${trend}`);
  if (report.incomplete !== undefined) head.push(`*${slackSafe(describeIncomplete(report.incomplete))}*`);
  // Where every finding is: chat lists only the most severe.
  if (report.storedAt !== undefined) {
    const { uri, consoleUrl } = report.storedAt;
    head.push(
      `*Complete report:* ${slackCode(uri)}${consoleUrl === undefined ? '' : ` ${slackSafe(consoleUrl)}`}`,
    );
  }

  // Actions (failed and done first), each with its undo command; with no room, their counts only.
  const actions = orderActions(report.actions ?? []);
  const actionLines = (limit: number): string[] => {
    if (report.actions === undefined || (report.actions.length === 0 && limit === 0)) return [];
    const heading = `*Actions:* ${describeActionCounts(actions)}`;
    const shown = actions.slice(0, limit).map((action) => {
      const undo = undoOf(action);
      return (
        `• *${actionStatusLabel(action.status)}* ${slackSafe(describeAction(action, report.asOf))}` +
        `${undo === null ? '' : ` · undo: ${slackCode(undo)}`}`
      );
    });
    const more = actions.length - shown.length;
    return [
      heading,
      ...shown,
      ...(more > 0 && shown.length > 0 ? [`• and ${plural(more, 'more action')}`] : []),
    ];
  };
  const newExemptions = report.newExemptions ?? [];
  const exemptionLines = (limit: number): string[] => {
    if (newExemptions.length === 0) return [];
    const shown = newExemptions.slice(0, limit).map((e) => `• ${slackSafe(describeNewExemption(e))}`);
    const more = newExemptions.length - shown.length;
    return [
      `*New exemptions since the last report:* ${formatCount(newExemptions.length)}`,
      ...shown,
      ...(more > 0 && shown.length > 0 ? [`• and ${formatCount(more)} more`] : []),
    ];
  };

  const failed = failedAccounts(report);
  const failedIds = new Set(failed.map((a) => a.accountId));
  // One line per failed account with its error; with no room for errors, the ids on one line.
  const failedLines = (limit: number): string[] => {
    if (failed.length === 0) return [];
    const heading = `*${plural(failed.length, 'account')} could not be scanned (keys unknown):*`;
    if (limit === 0) {
      const ids = failed.slice(0, MAX_ACCOUNTS_COUNTED).map((a) => slackCode(a.accountId));
      const more = failed.length - ids.length;
      return [`${heading} ${ids.join(', ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}`];
    }
    const shown = failed.slice(0, limit).map((a) => `• ${slackCode(a.accountId)} ${slackSafe(a.error)}`);
    const more = failed.length - shown.length;
    return [heading, ...shown, ...(more > 0 ? [`• and ${plural(more, 'more account')}`] : [])];
  };

  const candidates = mostSevereFirst(
    report.findings.filter(
      (f) => !f.exempt && !(f.rule === 'account-unreachable' && failedIds.has(f.accountId)),
    ),
  );
  const exemptFindings = report.findings.filter((f) => f.exempt);
  const omitted = omittedCounts(options.omitted);
  const restLines = (listedCount: number, accountLimit: number): string[] => {
    const rest = candidates.slice(listedCount);
    const byAccount = new Map<string, number>();
    for (const f of rest) byAccount.set(f.accountId, (byAccount.get(f.accountId) ?? 0) + 1);
    for (const a of options.omitted?.byAccount ?? []) {
      const n = a.total - a.exempt;
      if (n > 0) byAccount.set(a.accountId, (byAccount.get(a.accountId) ?? 0) + n);
    }
    return describeRest(
      addCounts(addCounts(countFindings(rest), countFindings(exemptFindings)), omitted),
      byAccount,
      accountLimit,
    );
  };

  const fresh = newFindingIds(report);
  const lineOf = (f: Finding): string => findingLine(f, report, options, fresh);
  const build = (listed: number, failedLimit: number, accountLimit: number, runLimit: number): string[] => {
    const findingLines = candidates.slice(0, listed).map(lineOf);
    const total = candidates.length + omitted.total - omitted.exempt;
    return [
      ...head,
      ...failedLines(failedLimit),
      ...actionLines(runLimit),
      ...exemptionLines(runLimit),
      ...(findingLines.length > 0
        ? [
            `*${listed < total ? `Top ${formatCount(listed)} of ${plural(total, 'finding')}` : 'Findings'}:*`,
            ...findingLines,
          ]
        : candidates.length === 0 && failed.length === 0
          ? ['Nothing to act on.']
          : []),
      ...restLines(listed, accountLimit),
    ];
  };
  const size = (lines: readonly string[]): number => lines.join('\n').length;

  let listed = Math.min(options.maxFindings ?? 10, candidates.length);
  let lines = build(listed, MAX_FAILED_LISTED, MAX_ACCOUNTS_COUNTED, MAX_RUN_ITEMS_LISTED);
  while (size(lines) > max && listed > 0) {
    listed -= 1;
    lines = build(listed, MAX_FAILED_LISTED, MAX_ACCOUNTS_COUNTED, MAX_RUN_ITEMS_LISTED);
  }
  for (const [failedLimit, accountLimit, runLimit] of [
    [1, 3, 1],
    [0, 0, 0],
  ] as const) {
    if (size(lines) > max) lines = build(0, failedLimit, accountLimit, runLimit);
  }
  // Last resort for tiny budgets: drop whole lines from the end, never part of one.
  while (size(lines) > max && lines.length > 1) lines = lines.slice(0, -1);
  return lines.join('\n');
};

/** The trend as context strings, for reports with a previous report to compare with. */
const trendContext = (report: Report): Record<string, string> => {
  const trend = report.trend;
  if (trend === undefined || trend.previousAsOf === null || trend.previous === null) return {};
  return {
    previousAsOf: trend.previousAsOf.toISOString(),
    previousViolations: String(trend.previous.violations),
    new: String(trend.new.length),
    resolved: String(trend.resolved.length),
  };
};

/** The chat notification for the report (or alert). */
export const renderSlack = (report: Report, options: SlackOptions = {}): ChatbotNotification => {
  const max = options.maxDescriptionChars ?? DEFAULT_MAX_DESCRIPTION_CHARS;
  if (!Number.isFinite(max) || max < MIN_DESCRIPTION_CHARS) {
    throw new RangeError(`maxDescriptionChars must be at least ${MIN_DESCRIPTION_CHARS}, got ${max}`);
  }
  const kind = options.kind ?? 'report';
  const title = headline(report, { ...options, maxLength: 99 });
  const active = report.findings.filter((f) => !f.exempt);
  const rules = [...new Set(mostSevereFirst(active).map((f) => f.rule))];
  const nextSteps = [
    ...rules.map((rule) => `${rule}: ${CATALOGUE[rule].remediation}`),
    ...(active.some(isProductionKey) ? [PRODUCTION_LEGEND] : []),
  ];
  const severities = SEVERITIES.filter((s) => active.some((f) => f.severity === s));
  const accounts = [...new Set(report.findings.map((f) => f.accountId))];
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title,
      description: describe(report, options, max),
      nextSteps,
      keywords: ['key-audit', kind, ...severities, ...rules].slice(0, 10),
    },
    metadata: {
      // Reports of every run share one thread; alerts thread per day so a day's pages stay together.
      threadId:
        kind === 'alert' ? `key-audit-alert-${report.asOf.toISOString().slice(0, 10)}` : 'key-audit-report',
      summary: title,
      eventType: kind === 'alert' ? 'KeyAuditAlert' : 'KeyAuditReport',
      relatedResources: accounts.slice(0, MAX_RELATED_RESOURCES),
      additionalContext: {
        asOf: report.asOf.toISOString(),
        violations: String(report.summary.violations),
        critical: String(report.summary.bySeverity.critical),
        warnings: String(report.summary.warnings),
        exempt: String(report.summary.exempt),
        accounts: String(report.summary.accounts),
        failedAccounts: String(report.summary.failedAccounts),
        ...trendContext(report),
      },
    },
  };
};

/** The chat notification as JSON text (the SNS `https` message for Chatbot). */
export const renderSlackJson = (report: Report, options: SlackOptions = {}): string =>
  JSON.stringify(renderSlack(report, options));
