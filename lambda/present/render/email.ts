/**
 * Plain-text email (the SNS `email` protocol): a subject under 100 characters with the counts, and a body
 * that leads with deadlines, puts unscanned accounts up front, and for every finding says who, where,
 * which key, how old, by when, where it was last used, whose it is and what to do next (the runbook).
 * Lines are wrapped for mail clients; only an unbreakable token (URL, ARN, id) may run longer.
 */
import { CATALOGUE, ROTATION_STEPS } from '../../domain/catalogue.ts';
import type { Finding } from '../../domain/finding.ts';
import type { Report } from '../../domain/report.ts';
import { severityRank } from '../../domain/severity.ts';
import {
  type Deadline,
  describeLastUsed,
  formatAge,
  formatDateTime,
  formatDeadline,
  keyLabel,
  oneLine,
  plural,
  userLabel,
} from '../../domain/wording.ts';
import {
  deadlineOf,
  describeExemption,
  describeRotation,
  isAboutKey,
  ownerLabel,
  remediationOf,
  ruleTitle,
  runbookSteps,
  SECOND_LINE_NOTICE,
  severityLabel,
} from './describe-finding.ts';
import { failedAccounts } from './group.ts';
import {
  describeCounts,
  describeIncomplete,
  describeNew,
  describePolicy,
  describeScope,
  type HeadlineOptions,
  headline,
  isNew,
  MAX_HEADLINE_LENGTH,
} from './headline.ts';
import { omissionNotice } from './omitted.ts';
import type { RenderOptions } from './options.ts';
import { wrap } from './text.ts';

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
  lines.push(...field('Next step', remediationOf(finding)));
  const [next] = runbookSteps(finding);
  if (next !== undefined) {
    lines.push(...field('Runbook', `next is step ${next.number} of ${ROTATION_STEPS.length}: ${next.text}`));
  }
  return lines;
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

  const out: string[] = [
    ...para(
      kind === 'alert'
        ? `key-audit ALERT as of ${formatDateTime(report.asOf)}: findings ${describeNew(options)}, and standing ` +
            'emergencies (critical findings, unscanned accounts).'
        : `key-audit report as of ${formatDateTime(report.asOf)}.`,
    ),
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

  out.push(kind === 'alert' ? 'WHAT NEEDS ATTENTION NOW' : 'FINDINGS, MOST URGENT FIRST');
  const nothingListed =
    omission !== null ? 'Every finding is counted under NOT SHOWN below.' : 'Nothing to act on.';
  out.push(...para(listed.length === 0 ? nothingListed : SECOND_LINE_NOTICE, '  '));
  listed.forEach((finding, index) => {
    out.push('', ...findingBlock(finding, index + 1, deadline(finding), options, text));
  });
  out.push('');

  if (exempt.length > 0) {
    out.push(`EXEMPT (${plural(exempt.length, 'finding')}, not counted as violations)`);
    for (const f of exempt) {
      const key = keyLabel(f.accessKeyId, f.keySlot);
      const why = f.exemption === null ? 'exempt' : describeExemption(f.exemption);
      out.push(
        ...bullet(
          `${userLabel(f) ?? '-'} in ${f.accountId}${key === null ? '' : ` (${key})`}, ${f.rule}: ${why}`,
        ),
      );
    }
    out.push('');
  }

  if (omission !== null) {
    out.push('NOT SHOWN', ...para(omission.lead, '  '), ...omission.accounts.flatMap(bullet), '');
  }

  if (listed.some((f) => runbookSteps(f).length > 0)) {
    out.push(
      'ROTATION RUNBOOK',
      ...ROTATION_STEPS.flatMap((step, i) =>
        wrap(`${i + 1}. ${step}`, { width: text.width, firstIndent: '  ', indent: '     ' }),
      ),
      ...para(SECOND_LINE_NOTICE, '  '),
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
