import type { RuleId } from './finding.ts';
import type { Severity } from './severity.ts';

/** What key-audit says about a rule: the README's rules table and every rendering come from here. */
export interface RuleMetadata {
  readonly id: RuleId;
  /** Short title for tables and subjects. */
  readonly title: string;
  /** Default severity; some rules escalate (see `severityNote`). */
  readonly defaultSeverity: Severity;
  /** When severity differs from the default. */
  readonly severityNote?: string;
  /** When the rule fires, in words. */
  readonly when: string;
  /** Why it matters. */
  readonly why: string;
  /** What to do, following the rotation runbook. */
  readonly remediation: string;
  /** CIS AWS Foundations Benchmark v3.0 control and AWS Security Hub control, where one exists. */
  readonly controls: readonly string[];
}

/** The runbook's rotation steps, in order; renderers quote them as the next steps. */
export const ROTATION_STEPS: readonly string[] = [
  'Find where the key is used (its last use shows the service and region).',
  'Create a new key and deploy it everywhere the old one is used.',
  'Wait until "last used" shows the new key in use and the old key idle.',
  'Deactivate the old key (tell 2nd line first for production), then delete it later.',
];

export const CATALOGUE: Readonly<Record<RuleId, RuleMetadata>> = {
  'root-access-key': {
    id: 'root-access-key',
    title: 'Root user has an access key',
    defaultSeverity: 'critical',
    when: 'The root user has an active access key.',
    why: 'Root keys cannot be limited by IAM policies; a leak gives away the whole account.',
    remediation:
      'Find where the root key is used, move that work to an IAM role, then deactivate and delete the root key (tell 2nd line first).',
    controls: ['CIS 1.4', 'IAM.4'],
  },
  'account-unreachable': {
    id: 'account-unreachable',
    title: 'Account could not be scanned',
    defaultSeverity: 'high',
    when: 'An account could not be read (role missing or not assumable, access denied, repeated throttling).',
    why: 'An account that is not scanned has unknown keys; it is never silently skipped.',
    remediation:
      'Deploy the KeyAuditReadOnly member role to the account (or fix its trust policy), then re-run the scan.',
    controls: [],
  },
  'key-too-old': {
    id: 'key-too-old',
    title: 'Access key older than the rotation limit',
    defaultSeverity: 'high',
    severityNote: 'critical beyond `criticalAgeMultiplier` x `maxKeyAgeDays` (default 180 days)',
    when: 'An active key is older than `maxKeyAgeDays` (more than N x 24 h since creation).',
    why: 'Long-lived keys accumulate exposure: every copy in a laptop, CI system or log stays valid.',
    remediation:
      'Rotate: create a new key, deploy it where the old one is used, confirm via "last used" that the old key is idle, deactivate it (tell 2nd line first for production), delete it later.',
    controls: ['CIS 1.14', 'IAM.3'],
  },
  'two-active-keys': {
    id: 'two-active-keys',
    title: 'User has two active keys',
    defaultSeverity: 'high',
    severityNote: 'medium while the newer key is younger than `rotationGraceDays` (a rotation in progress)',
    when: 'A user has two active access keys (reported against the older key).',
    why: 'Two active keys double the exposure and leave no free slot for an emergency rotation.',
    remediation:
      'Finish the rotation: once "last used" shows the new key in use and the old key idle, deactivate the old key (tell 2nd line first for production) and delete it later.',
    controls: ['CIS 1.13'],
  },
  'key-unused': {
    id: 'key-unused',
    title: 'Access key unused',
    defaultSeverity: 'medium',
    when: 'An active key was never used and is older than `unusedDays`, or was last used more than `unusedDays` ago.',
    why: 'An unused key serves nobody but stays a way in.',
    remediation:
      'Confirm with the owner that nothing needs the key, deactivate it (tell 2nd line first for production), and delete it later.',
    controls: ['CIS 1.12', 'IAM.22'],
  },
  'key-due-soon': {
    id: 'key-due-soon',
    title: 'Access key due for rotation soon',
    defaultSeverity: 'low',
    when: 'An active key reaches `maxKeyAgeDays` within `warnDays`.',
    why: 'Planning a rotation before the deadline avoids a rushed change.',
    remediation: 'Plan the rotation before the deadline: find where the key is used and schedule the change.',
    controls: [],
  },
  'inactive-key': {
    id: 'inactive-key',
    title: 'Inactive key still present',
    defaultSeverity: 'low',
    when: 'A key that is not active (inactive, or a status key-audit does not know) has not been deleted.',
    why: 'It fills one of the two key slots and can be re-enabled.',
    remediation: 'Delete the inactive key once you are sure nothing needs it back.',
    controls: [],
  },
  'invalid-exemption': {
    id: 'invalid-exemption',
    title: 'Exemption is invalid',
    defaultSeverity: 'medium',
    when: 'An exemption has no reason or an unparseable date; it is not honoured.',
    why: 'Exemptions must be auditable: who is excused, why, and until when.',
    remediation:
      'Fix the `key-audit:exempt-until` (YYYY-MM-DD) and `key-audit:exempt-reason` tags or the configured exemption.',
    controls: [],
  },
  'new-exemption': {
    id: 'new-exemption',
    title: 'User became exempt',
    defaultSeverity: 'medium',
    when: 'A user is excused by an exemption (tag or configuration) that the previous run did not see; runs with a history only, alerted once.',
    why: 'Anyone who can tag a user can excuse its keys: a new exemption must not go unnoticed.',
    remediation:
      'Check that the exemption was agreed (its reason and date); if not, remove the `key-audit:exempt-until` tag or the configured exemption.',
    controls: [],
  },
};

/** The catalogue as a list, in the order rules appear in the README. */
export const RULES: readonly RuleMetadata[] = Object.values(CATALOGUE);
