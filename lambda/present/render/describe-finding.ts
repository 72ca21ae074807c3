/**
 * How every renderer describes one finding beyond its message: the deadline it runs against, its owner,
 * exemption, rotation state and next steps. Built from the one vocabulary (`lambda/domain/wording.ts`), so
 * that a terminal, an email and a chat message word a finding as its own message does.
 */
import { CATALOGUE, ROTATION_STEPS } from '../../domain/catalogue.ts';
import type { AppliedExemption, Finding } from '../../domain/finding.ts';
import { addDays, type Policy } from '../../domain/policy.ts';
import type { Severity } from '../../domain/severity.ts';
import {
  type Deadline,
  deadlineRelativeTo,
  formatDate,
  formatDeadline,
  keyLabel,
  oneLine,
  usedPhrase,
} from '../../domain/wording.ts';

/** `CRITICAL`, `HIGH`...: how severities stand out in text. */
export const severityLabel = (severity: Severity): string => severity.toUpperCase();

/**
 * The deadline a finding runs against, or null when its rule has none (a root key or an unused key must go
 * now, not by a date). Days are whole 24-hour periods, counted as the rules count them.
 *   - `key-too-old`: the rotation deadline (`since`) has passed by `overdueDays`.
 *   - `key-due-soon`: `since` is when the warning started, `warnDays` before the deadline.
 *   - `two-active-keys` during a rotation: the new key's creation plus `rotationGraceDays`.
 */
export const deadlineOf = (
  finding: Finding,
  asOf: Date,
  policy: Pick<Policy, 'maxKeyAgeDays' | 'warnDays' | 'rotationGraceDays'>,
): Deadline | null => {
  const relativeTo = (deadline: Date): Deadline => deadlineRelativeTo(deadline, asOf);
  switch (finding.rule) {
    case 'key-too-old':
      if (finding.overdueDays !== null) return { state: 'overdue', days: finding.overdueDays };
      if (finding.since !== null) return relativeTo(finding.since);
      return finding.ageDays === null
        ? null
        : { state: 'overdue', days: Math.max(0, finding.ageDays - policy.maxKeyAgeDays) };
    case 'key-due-soon':
      if (finding.since !== null) return relativeTo(addDays(finding.since, policy.warnDays));
      return finding.ageDays === null
        ? null
        : { state: 'due', days: Math.max(0, policy.maxKeyAgeDays - finding.ageDays) };
    case 'two-active-keys':
      return finding.rotation === undefined
        ? null
        : relativeTo(addDays(finding.rotation.newKeyCreatedAt, policy.rotationGraceDays));
    default:
      return null;
  }
};

/** `overdue by 44 days` / `due in 6 days` for `finding` at `asOf`, or null when its rule has no deadline. */
export const describeDeadline = (
  finding: Finding,
  asOf: Date,
  policy: Pick<Policy, 'maxKeyAgeDays' | 'warnDays' | 'rotationGraceDays'>,
): string | null => {
  const deadline = deadlineOf(finding, asOf, policy);
  return deadline === null ? null : formatDeadline(deadline);
};

/** True when a finding is about one access key (its last use and age mean something). */
export const isAboutKey = (finding: Finding): boolean =>
  finding.accessKeyId !== null || finding.keySlot !== null || finding.ageDays !== null;

/** The owner tag, sanitised, or null when the user has none. */
export const ownerLabel = (finding: Pick<Finding, 'owner'>): string | null =>
  finding.owner === null || oneLine(finding.owner) === '' ? null : oneLine(finding.owner);

/** `exempt until 2026-12-31 (tag): migrating to IAM Roles Anywhere`. */
export const describeExemption = (exemption: AppliedExemption): string =>
  `exempt until ${oneLine(exemption.until)} (${exemption.source}): ${oneLine(exemption.reason)}`;

/** The catalogue title of a finding's rule. */
export const ruleTitle = (finding: Pick<Finding, 'rule'>): string => CATALOGUE[finding.rule].title;

/** The one wording of the warning production keys get before anything is switched off. */
export const TELL_SECOND_LINE = 'Tell 2nd line first.';

/**
 * True for a finding about a key in a production account (`production` absent counts as false). Findings
 * about an account or a user's tags switch nothing off, so they carry no 2nd-line warning.
 */
export const isProductionKey = (finding: Finding): boolean => finding.production && isAboutKey(finding);

/** What a rendering puts where production keys are marked, with `TELL_SECOND_LINE` said once nearby. */
export const PRODUCTION_MARK = 'production';

/** The legend of `PRODUCTION_MARK`: `Production keys: Tell 2nd line first.` */
export const PRODUCTION_LEGEND = `Production keys: ${TELL_SECOND_LINE}`;

/** One step of the rotation runbook, numbered as the runbook numbers it (from 1). */
export interface RunbookStep {
  readonly number: number;
  readonly text: string;
}

const stepsFrom = (first: number): RunbookStep[] =>
  ROTATION_STEPS.map((text, index) => ({ number: index + 1, text })).filter((s) => s.number >= first);

/**
 * The rotation runbook's steps left for `finding`, the next one first: all of them for a key to rotate; for
 * a rotation in progress, deploying the new key while the old one is still used, or only the deactivation
 * once the old key is idle; none for rules that are not about rotating.
 */
export const runbookSteps = (finding: Finding): readonly RunbookStep[] => {
  switch (finding.rule) {
    case 'key-too-old':
    case 'key-due-soon':
      return stepsFrom(1);
    case 'two-active-keys':
      return stepsFrom(finding.rotation?.oldKeyUsedSinceNewKey === false ? ROTATION_STEPS.length : 2);
    default:
      return [];
  }
};

/** The finding's remediation (the catalogue's when the finding carries none). */
export const remediationOf = (finding: Finding): string =>
  oneLine(finding.remediation) === '' ? CATALOGUE[finding.rule].remediation : oneLine(finding.remediation);

/** The next step of one finding: its remediation, then `Tell 2nd line first.` for a production key. */
export const nextStepOf = (finding: Finding): string =>
  isProductionKey(finding) ? `${remediationOf(finding)} ${TELL_SECOND_LINE}` : remediationOf(finding);

/**
 * A rotation in progress in words: whether the old key is still used (and where it was last used), so the
 * reader knows if it is safe to deactivate it. Null when the finding has no rotation state.
 */
export const describeRotation = (finding: Finding): string | null => {
  const rotation = finding.rotation;
  if (rotation === undefined) return null;
  const oldKey = keyLabel(rotation.oldAccessKeyId, rotation.oldKeySlot) ?? 'the old key';
  const newKey = keyLabel(rotation.newAccessKeyId, rotation.newKeySlot) ?? 'the new key';
  const created = formatDate(rotation.newKeyCreatedAt);
  const oldUse = usedPhrase(finding);
  if (!rotation.oldKeyUsedSinceNewKey) {
    const newUse =
      rotation.newKeyLastUsedAt === null
        ? 'not used yet'
        : `last used ${formatDate(rotation.newKeyLastUsedAt)}`;
    return (
      `Old key ${oldKey} idle since new key ${newKey} was created on ${created} (new key ${newUse}; ` +
      `old key ${oldUse}): safe to deactivate the old key.`
    );
  }
  if (rotation.newKeyLastUsedAt === null) {
    return `New key ${newKey} (created ${created}) not used yet; old key ${oldKey} still in use, ${oldUse}.`;
  }
  return (
    `Old key ${oldKey} still in use after new key ${newKey} was created on ${created}: old key ${oldUse}; ` +
    `new key last used ${formatDate(rotation.newKeyLastUsedAt)}.`
  );
};
