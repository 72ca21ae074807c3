/**
 * Plain-text email (the SNS `email` protocol): a subject under 100 characters with the counts (and the
 * trend), and a body that leads with deadlines and puts unscanned accounts up front.
 *
 * The weekly report is read to the end: what enforcement did and new exemptions first, then ONE LINE PER
 * FINDING, grouped by owner (where users carry an owner tag) or account, new ones marked; each rule's next
 * step and the runbook are said once below. Every detail stays in the JSON and the stored full report,
 * whose location the email gives. An alert (a page about one finding, or a digest) gives each finding in
 * full instead: who, where, which key, how old, by when, last use, owner, and the next step.
 *
 * Lines are wrapped for mail clients; only an unbreakable token (URL, ARN, id) may run longer, and the
 * weekly report's finding lines, which stay one line each (a few hundred characters at most, well within
 * the 998 of RFC 5322) for the mail client to wrap to its window, on a phone as on a desktop.
 */
import { CATALOGUE, ROTATION_STEPS } from '../../domain/catalogue.ts';
import type { Finding, RuleId } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import { severityRank } from '../../domain/severity.ts';
import {
  type Deadline,
  describeLastUsed,
  formatAge,
  formatCount,
  formatDateTime,
  formatDeadline,
  keyLabel,
  oneLine,
  plural,
  usedPhrase,
  userLabel,
} from '../../domain/wording.ts';
import {
  deadlineOf,
  describeExemption,
  describeRotation,
  isAboutKey,
  isProductionKey,
  nextStepOf,
  ownerLabel,
  PRODUCTION_LEGEND,
  PRODUCTION_MARK,
  remediationOf,
  ruleTitle,
  runbookSteps,
  severityLabel,
} from './describe-finding.ts';
import {
  actionStatusLabel,
  describeAction,
  describeActionCounts,
  describeNewExemption,
  describeStoredAt,
  orderActions,
  undoOf,
} from './describe-run.ts';
import { failedAccounts, groupByOwnerOrAccount } from './group.ts';
import {
  describeCounts,
  describeIncomplete,
  describeNew,
  describeNewMark,
  describePolicy,
  describeScope,
  describeTrend,
  type HeadlineOptions,
  headline,
  isNew,
  MAX_HEADLINE_LENGTH,
  newFindingIds,
} from './headline.ts';
import { describeFindingCounts, omissionNotice } from './omitted.ts';
import { countFindings, type RenderOptions } from './options.ts';
import { wrap, wrapCommand } from './text.ts';

/** Options of `renderEmail`. */
export interface EmailOptions extends RenderOptions, Pick<HeadlineOptions, 'prefix'> {
  /** Body line width; mail clients read 78 comfortably (RFC 5322). @default 78 */
  readonly wrapWidth?: number;
}

/** An email: SNS `Subject` and the `email` message text. */
export interface RenderedEmail {
  /** Under 100 characters, whatever the counts or prefix. */
  readonly subject: string;
  readonly body: string;
}

const LABEL_WIDTH = 12;

/** Sort key for urgency within a severity: further overdue first, then nearest deadline, then none. */
const urgency = (deadline: Deadline | null): number => {
  if (deadline === null) return 0;
  return deadline.state === 'overdue' ? 1_000_000 + deadline.days : 1_000 - Math.min(deadline.days, 999);
};

/** Line builders for one body width. */
interface Layout {
  readonly width: number;
  readonly para: (text: string, indent?: string) => string[];
  readonly bullet: (text: string) => string[];
  /** `   Label:      value`, continuation lines aligned under the value. */
  readonly field: (label: string, value: string) => string[];
}

const layout = (width: number): Layout => ({
  width,
  para: (text, indent = '') => wrap(text, { width, indent }),
  bullet: (text) => wrap(text, { width, firstIndent: '  - ', indent: '    ' }),
  field: (label, value) =>
    wrap(value, {
      width,
      firstIndent: `   ${`${label}:`.padEnd(LABEL_WIDTH)}`,
      indent: ' '.repeat(3 + LABEL_WIDTH),
    }),
});

/** The extreme of `deadlines` by days (`Math.max`: the worst overdue; `Math.min`: the nearest due). */
const extremeDeadline = (
  deadlines: readonly (Deadline | null)[],
  pick: (a: number, b: number) => number,
): Deadline | null =>
  deadlines.reduce<Deadline | null>(
    (acc, d) => (d === null ? acc : acc === null || pick(d.days, acc.days) === d.days ? d : acc),
    null,
  );

/** The opening section: how many keys are overdue, due soon, or mid-rotation. */
const deadlineSection = (
  listed: readonly Finding[],
  deadline: (f: Finding) => Deadline | null,
  warnDays: number,
  omittedCount: number,
  { bullet }: Layout,
): string[] => {
  const lines: string[] = [];
  const overdue = listed.filter((f) => f.rule === 'key-too-old');
  const dueSoon = listed.filter((f) => f.rule === 'key-due-soon');
  const rotating = listed.filter((f) => f.rule === 'two-active-keys');
  if (overdue.length > 0) {
    const worst = extremeDeadline(overdue.map(deadline), Math.max);
    lines.push(
      `${plural(overdue.length, 'key')} overdue for rotation${worst === null ? '' : ` (the worst ${formatDeadline(worst)})`}.`,
    );
  }
  if (dueSoon.length > 0) {
    const first = extremeDeadline(dueSoon.map(deadline), Math.min);
    lines.push(
      `${plural(dueSoon.length, 'key')} due for rotation within ${plural(warnDays, 'day')}` +
        `${first === null ? '' : ` (the first ${formatDeadline(first)})`}.`,
    );
  }
  if (rotating.length > 0) lines.push(`${plural(rotating.length, 'rotation')} in progress to finish.`);
  if (lines.length === 0) {
    // A report trimmed to fit SNS may list nothing while deadlines hide among what it left out.
    lines.push(
      omittedCount > 0
        ? `See NOT SHOWN below: ${plural(omittedCount, 'finding')} did not fit in this message.`
        : 'No rotation deadline has passed or is near.',
    );
  }
  return ['DEADLINES', ...lines.flatMap(bullet), ''];
};

/** One numbered finding: who, where, which key, how old, by when, last use, owner, and what to do. */
const findingBlock = (
  finding: Finding,
  number: number,
  deadline: Deadline | null,
  options: RenderOptions,
  { width, field }: Layout,
): string[] => {
  const lines = wrap(
    `${number}. ${severityLabel(finding.severity)}: ${ruleTitle(finding)}${deadline === null ? '' : `, ${formatDeadline(deadline)}`}`,
    { width, indent: '   ', firstIndent: '' },
  );
  if (options.kind === 'alert') {
    lines.push(
      ...field('Status', isNew(finding, options) ? describeNew(options) : 'standing, alerted on every run'),
    );
  }
  lines.push(...field('User', userLabel(finding) ?? '-'), ...field('Account', finding.accountId));
  const aboutKey = isAboutKey(finding);
  if (aboutKey) {
    lines.push(...field('Key', keyLabel(finding.accessKeyId, finding.keySlot) ?? 'id unknown'));
    lines.push(...field('Age', formatAge(finding.ageDays)));
  } else if (finding.rule === 'root-access-key') {
    lines.push(...field('Key', 'present (the IAM API gives no id; see the credential report)'));
  }
  if (deadline !== null) lines.push(...field('Deadline', formatDeadline(deadline)));
  if (aboutKey) lines.push(...field('Last used', describeLastUsed(finding)));
  lines.push(...field('Owner', ownerLabel(finding) ?? 'unknown (no key-audit:owner tag)'));
  lines.push(...field('Issue', oneLine(finding.message)));
  const rotation = describeRotation(finding);
  if (rotation !== null) lines.push(...field('Rotation', rotation));
  lines.push(...field('Next step', nextStepOf(finding)));
  const [next] = runbookSteps(finding);
  if (next !== undefined) {
    lines.push(...field('Runbook', `next is step ${next.number} of ${ROTATION_STEPS.length}: ${next.text}`));
  }
  return lines;
};

/** `ACTIONS (1 failed, 2 done)`: one item per action, a deactivation with the command that undoes it. */
const actionsSection = (report: Report, { width, bullet, para }: Layout): string[] => {
  const actions = report.actions;
  if (actions === undefined) return [];
  if (actions.length === 0) {
    return ['ACTIONS', ...para('No key was deactivated or deleted, and none is announced.', '  '), ''];
  }
  return [
    `ACTIONS (${describeActionCounts(actions)})`,
    ...orderActions(actions).flatMap((action) => {
      const undo = undoOf(action);
      return [
        ...bullet(`${actionStatusLabel(action.status)} ${describeAction(action, report.asOf)}`),
        ...(undo === null ? [] : wrapCommand(undo, { width, firstIndent: '    Undo: ', indent: '      ' })),
      ];
    }),
    '',
  ];
};

/** Exemptions granted (or changed) since the previous report: nobody exempts themselves quietly. */
const newExemptionsSection = (report: Report, { bullet }: Layout): string[] => {
  const fresh = report.newExemptions ?? [];
  if (fresh.length === 0) return [];
  return [
    `NEW EXEMPTIONS SINCE THE LAST REPORT (${fresh.length})`,
    ...fresh.flatMap((exemption) => bullet(describeNewExemption(exemption))),
    '',
  ];
};

/** What starts a finding line of the weekly report. */
export const FINDING_BULLET = '  - ';

/**
 * One finding in one line: severity, rule, user, key, then the deadline (or age), last use and rotation
 * state; the account where the group is an owner's; `production` for a production key.
 */
const findingLine = (
  finding: Finding,
  deadline: Deadline | null,
  marks: { readonly isNew: boolean; readonly inAccount: boolean },
): string => {
  const who = [userLabel(finding), keyLabel(finding.accessKeyId, finding.keySlot)].filter((p) => p !== null);
  const facts: string[] = [];
  if (deadline !== null) facts.push(formatDeadline(deadline));
  else if (isAboutKey(finding) && finding.ageDays !== null) facts.push(`${formatAge(finding.ageDays)} old`);
  if (isAboutKey(finding)) facts.push(usedPhrase(finding));
  else facts.push(oneLine(finding.message));
  if (finding.rotation !== undefined) {
    facts.push(
      finding.rotation.oldKeyUsedSinceNewKey ? 'old key still in use' : 'old key idle: deactivate it',
    );
  }
  if (marks.inAccount) facts.push(`in ${finding.accountId}`);
  if (isProductionKey(finding)) facts.push(PRODUCTION_MARK);
  const subject = who.length === 0 ? finding.accountId : who.join(' ');
  return `${marks.isNew ? 'NEW ' : ''}${severityLabel(finding.severity)} ${finding.rule}: ${subject}, ${facts.join(', ')}`;
};

/** The weekly report's findings: one line each, grouped by owner or account, then each rule's next step. */
const findingLines = (
  report: Report,
  listed: readonly Finding[],
  deadline: (f: Finding) => Deadline | null,
  nothingListed: string,
  { width, bullet, para }: Layout,
): string[] => {
  const groups = groupByOwnerOrAccount(report, listed);
  const byOwner = groups.some((g) => g.by === 'owner');
  const out = [byOwner ? 'FINDINGS BY OWNER, THEN ACCOUNT' : 'FINDINGS BY ACCOUNT'];
  if (listed.length === 0) return [...out, ...para(nothingListed, '  '), ''];
  const fresh = newFindingIds(report);
  const newMark = describeNewMark(report);
  const legend = [
    'Most urgent first, one line each; the JSON report has every detail.',
    ...(newMark !== null && listed.some((f) => fresh.has(f.id)) ? [`NEW: ${newMark}.`] : []),
  ];
  out.push(...para(legend.join(' '), '  '));
  for (const group of groups) {
    const counts = describeFindingCounts(countFindings(group.findings));
    const title =
      group.by === 'owner'
        ? `Owner ${group.owner}`
        : `Account ${group.accountId}${byOwner ? ', no owner tag' : ''}`;
    out.push('', ...wrap(`${title}: ${counts}`, { width, indent: '  ' }));
    for (const finding of group.findings) {
      const line = findingLine(finding, deadline(finding), {
        isNew: fresh.has(finding.id),
        inAccount: group.by === 'owner',
      });
      out.push(`${FINDING_BULLET}${line}`);
    }
  }
  out.push('');
  // Each rule's next step once, most severe rule first (the order the findings are listed in).
  const byRule = new Map<RuleId, { readonly first: Finding; count: number }>();
  for (const finding of listed) {
    const seen = byRule.get(finding.rule);
    if (seen === undefined) byRule.set(finding.rule, { first: finding, count: 1 });
    else seen.count += 1;
  }
  out.push(
    'NEXT STEPS',
    ...[...byRule].flatMap(([rule, { first, count }]) =>
      bullet(`${rule} (${formatCount(count)}): ${remediationOf(first)}`),
    ),
    ...(listed.some(isProductionKey) ? para(PRODUCTION_LEGEND, '  ') : []),
    '',
  );
  return out;
};

/** An alert's findings: each numbered, in full. */
const findingBlocks = (
  listed: readonly Finding[],
  deadline: (f: Finding) => Deadline | null,
  nothingListed: string,
  options: RenderOptions,
  text: Layout,
): string[] => {
  const out = ['WHAT NEEDS ATTENTION NOW'];
  if (listed.length === 0) out.push(...text.para(nothingListed, '  '));
  listed.forEach((finding, index) => {
    out.push('', ...findingBlock(finding, index + 1, deadline(finding), options, text));
  });
  out.push('');
  return out;
};

/**
 * Exempt findings, one item per exemption (its end, where it was declared and why), then the users it
 * covers with the rules it silences: an exemption shared by many users is said once.
 */
const exemptSection = (exempt: readonly Finding[], { bullet, para }: Layout): string[] => {
  if (exempt.length === 0) return [];
  const byExemption = new Map<string, Finding[]>();
  for (const finding of exempt) {
    const why = finding.exemption === null ? 'exempt' : describeExemption(finding.exemption);
    const list = byExemption.get(why);
    if (list === undefined) byExemption.set(why, [finding]);
    else list.push(finding);
  }
  const out = [`EXEMPT (${plural(exempt.length, 'finding')}, not counted as violations)`];
  for (const [why, findings] of byExemption) {
    const users = new Map<string, string[]>();
    for (const f of findings) {
      const key = keyLabel(f.accessKeyId, f.keySlot);
      const who = `${userLabel(f) ?? '-'} in ${f.accountId}${key === null ? '' : ` (${key})`}`;
      users.set(who, [...(users.get(who) ?? []), f.rule]);
    }
    out.push(
      ...bullet(`${why[0]?.toUpperCase() ?? ''}${why.slice(1)}${/[.!?]$/.test(why) ? '' : '.'}`),
      ...para([...users].map(([who, rules]) => `${who}: ${rules.join(', ')}`).join('; '), '    '),
    );
  }
  return [...out, ''];
};

/** Renders the report as an email. */
export const renderEmail = (report: Report, options: EmailOptions = {}): RenderedEmail => {
  const kind = options.kind ?? 'report';
  const text = layout(options.wrapWidth ?? 78);
  const { para, bullet } = text;
  const deadline = (f: Finding): Deadline | null => deadlineOf(f, report.asOf, report.policy);
  const failed = failedAccounts(report);
  const failedIds = new Set(failed.map((a) => a.accountId));
  // Unreachable accounts get their own section up front; their findings are not repeated below.
  const listed = report.findings
    .filter((f) => !f.exempt && !(f.rule === 'account-unreachable' && failedIds.has(f.accountId)))
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) || urgency(deadline(b)) - urgency(deadline(a)),
    );
  const exempt = report.findings.filter((f) => f.exempt);
  const omission = omissionNotice(options.omitted);
  const omittedCount = options.omitted?.total ?? 0;
  const trend = describeTrend(report);

  const out: string[] = [
    ...para(
      kind === 'alert'
        ? `key-audit ALERT as of ${formatDateTime(report.asOf)}: findings ${describeNew(options)}, and standing ` +
            'emergencies (critical findings, unscanned accounts).'
        : `key-audit report as of ${formatDateTime(report.asOf)}${trend === null ? '' : `: ${trend}`}.`,
    ),
    // This email is a summary: where every detail is comes first.
    ...(report.storedAt === undefined
      ? []
      : ['', ...describeStoredAt(report.storedAt).flatMap((line) => para(line))]),
    '',
    ...deadlineSection(listed, deadline, report.policy.warnDays, omittedCount, text),
    kind === 'alert' ? 'SUMMARY OF THE WHOLE RUN' : 'SUMMARY',
    ...bullet(`${describeCounts(report.summary)}.`),
    ...bullet(`${describeScope(report.summary)}.`),
    ...bullet(`Policy: ${describePolicy(report.policy)}.`),
    '',
  ];

  if (report.incomplete !== undefined) {
    out.push('!! INCOMPLETE RUN', ...para(describeIncomplete(report.incomplete), '  '), '');
  }

  if (failed.length > 0) {
    out.push(
      `!! ${plural(failed.length, 'ACCOUNT', 'ACCOUNTS')} COULD NOT BE SCANNED: ` +
        `${failed.length === 1 ? 'its' : 'their'} keys are unknown.`,
      ...failed.flatMap((account) => bullet(`${account.accountId}: ${oneLine(account.error)}`)),
      ...para(`Next step: ${CATALOGUE['account-unreachable'].remediation}`, '  '),
      '',
    );
  }

  out.push(...actionsSection(report, text), ...newExemptionsSection(report, text));

  const nothingListed =
    omission !== null ? 'Every finding is counted under NOT SHOWN below.' : 'Nothing to act on.';
  out.push(
    ...(kind === 'alert'
      ? findingBlocks(listed, deadline, nothingListed, options, text)
      : findingLines(report, listed, deadline, nothingListed, text)),
  );

  out.push(...exemptSection(exempt, text));

  if (omission !== null) {
    out.push('NOT SHOWN', ...para(omission.lead, '  '), ...omission.accounts.flatMap(bullet), '');
  }

  if (listed.some((f) => runbookSteps(f).length > 0)) {
    out.push(
      'ROTATION RUNBOOK',
      ...ROTATION_STEPS.flatMap((step, i) =>
        wrap(`${i + 1}. ${step}`, { width: text.width, firstIndent: '  ', indent: '     ' }),
      ),
      '',
    );
  }

  out.push(
    '-- ',
    ...para(
      'Sent by key-audit. Severity: critical > high > medium > low > info; exempt findings are never alerted.',
    ),
  );
  return {
    subject: headline(report, { ...options, maxLength: MAX_HEADLINE_LENGTH }),
    body: `${out.join('\n')}\n`,
  };
};
