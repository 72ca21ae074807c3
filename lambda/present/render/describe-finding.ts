/**
 * Wording every renderer uses for the same facts (ages, deadlines, last use, keys, users, owners,
 * exemptions, next steps), so that a terminal, an email and a chat message never disagree.
 */
import { CATALOGUE, ROTATION_STEPS } from '../../domain/catalogue.ts';
import type { AppliedExemption, Finding } from '../../domain/finding.ts';
import { addDays, DAY_MS, type Policy } from '../../domain/policy.ts';
import type { Severity } from '../../domain/severity.ts';
import { oneLine, plural } from './text.ts';

/** How credential reports name the root user. */
export const ROOT_USER_NAME = '<root_account>';

/** The UTC day of an instant: `2026-10-02`. */
export const formatDate = (instant: Date): string => instant.toISOString().slice(0, 10);

/** An instant to the minute, UTC: `2026-10-02 06:00 UTC`. */
export const formatDateTime = (instant: Date): string =>
  `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A key's age: `1 day`, `134 days`, or `unknown` when the finding is not about a dated key. */
export const formatAge = (ageDays: number | null): string =>
  ageDays === null ? 'unknown' : plural(ageDays, 'day');

/** `CRITICAL`, `HIGH`...: how severities stand out in text. */
export const severityLabel = (severity: Severity): string => severity.toUpperCase();

/** A rotation deadline relative to `asOf`: days left, or days past it. */
export type Deadline =
  | { readonly state: 'due'; readonly days: number }
  | { readonly state: 'overdue'; readonly days: number };

const wholeDays = (ms: number): number => Math.floor(ms / DAY_MS);

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
  const relativeTo = (deadline: Date): Deadline => {
    const ms = deadline.getTime() - asOf.getTime();
    return ms >= 0 ? { state: 'due', days: wholeDays(ms) } : { state: 'overdue', days: wholeDays(-ms) };
  };
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

/** A deadline in words: `overdue by 44 days`, `due in 6 days`, `due within a day`. */
export const formatDeadline = (deadline: Deadline): string => {
  if (deadline.state === 'overdue') {
    return deadline.days === 0 ? 'overdue by less than a day' : `overdue by ${plural(deadline.days, 'day')}`;
  }
  return deadline.days === 0 ? 'due within a day' : `due in ${plural(deadline.days, 'day')}`;
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

/** The last-use fields of a finding or key. */
export type LastUse = Pick<Finding, 'lastUsedAt' | 'lastUsedService' | 'lastUsedRegion'>;

/** `2026-10-02 via s3 in eu-west-2`, `2026-10-02 via iam` (global service), or `never used`. */
export const describeLastUsed = ({ lastUsedAt, lastUsedService, lastUsedRegion }: LastUse): string => {
  if (lastUsedAt === null) return 'never used';
  const service =
    lastUsedService === null || lastUsedService === '' ? '' : ` via ${oneLine(lastUsedService)}`;
  const region = lastUsedRegion === null || lastUsedRegion === '' ? '' : ` in ${oneLine(lastUsedRegion)}`;
  return `${formatDate(lastUsedAt)}${service}${region}`;
};

/** `last used 2026-10-02 via s3 in eu-west-2` or `never used`: last use as a phrase inside a sentence. */
export const usedPhrase = (use: LastUse): string =>
  use.lastUsedAt === null ? 'never used' : `last used ${describeLastUsed(use)}`;

/** True when a finding is about one access key (its last use and age mean something). */
export const isAboutKey = (finding: Finding): boolean =>
  finding.accessKeyId !== null || finding.keySlot !== null || finding.ageDays !== null;

/** `AKIA…MPLE` (or the whole id with `full`), `slot 1` when only the report slot is known. */
export const labelKey = (accessKeyId: string | null, slot: 1 | 2 | null, full = false): string | null => {
  if (accessKeyId !== null) {
    const id = oneLine(accessKeyId);
    return full || id.length <= 10 ? id : `${id.slice(0, 4)}…${id.slice(-4)}`;
  }
  return slot === null ? null : `slot ${slot}`;
};

/**
 * How a finding names its key: shortened id (`AKIA…ABCD`) for chat and documents, the whole id with
 * `{ full: true }` for people who must act on it; `slot N`; null when the finding is not about one key.
 */
export const keyLabel = (
  finding: Pick<Finding, 'accessKeyId' | 'keySlot'>,
  options: { readonly full?: boolean } = {},
): string | null => labelKey(finding.accessKeyId, finding.keySlot, options.full ?? false);

/** The user in words (`root user` for `<root_account>`), or null for account-level findings. */
export const userLabel = (finding: Pick<Finding, 'userName'>): string | null => {
  if (finding.userName === null) return null;
  return finding.userName === ROOT_USER_NAME ? 'root user' : oneLine(finding.userName);
};

/** The owner tag, sanitised, or null when the user has none. */
export const ownerLabel = (finding: Pick<Finding, 'owner'>): string | null =>
  finding.owner === null || oneLine(finding.owner) === '' ? null : oneLine(finding.owner);

/** `exempt until 2026-12-31 (tag): migrating to IAM Roles Anywhere`. */
export const describeExemption = (exemption: AppliedExemption): string =>
  `exempt until ${oneLine(exemption.until)} (${exemption.source}): ${oneLine(exemption.reason)}`;

/** The catalogue title of a finding's rule. */
export const ruleTitle = (finding: Pick<Finding, 'rule'>): string => CATALOGUE[finding.rule].title;

/** For production accounts: the runbook's warning before anything is switched off. */
export const SECOND_LINE_NOTICE =
  'For production accounts, tell 2nd line before deactivating or deleting any key.';

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

/**
 * A rotation in progress in words: whether the old key is still used (and where it was last used), so the
 * reader knows if it is safe to deactivate it. Null when the finding has no rotation state.
 */
export const describeRotation = (finding: Finding): string | null => {
  const rotation = finding.rotation;
  if (rotation === undefined) return null;
  const oldKey = labelKey(rotation.oldAccessKeyId, rotation.oldKeySlot, true) ?? 'the old key';
  const newKey = labelKey(rotation.newAccessKeyId, rotation.newKeySlot, true) ?? 'the new key';
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
