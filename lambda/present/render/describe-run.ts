/**
 * How every rendering words what a run did beyond its findings: enforcement actions (done, planned,
 * skipped, failed, with the exact command that undoes a deactivation), exemptions that are new since the
 * previous run, and where the complete report is stored.
 */
import type { ReportedAction } from '../../domain/enforcement/record.ts';
import { undoCommand } from '../../domain/enforcement/undo.ts';
import type { EnforcementStatus } from '../../domain/memory.ts';
import type { NewExemption } from '../../domain/new-exemptions.ts';
import type { StoredReportLink } from '../../domain/report.ts';
import { formatCount, formatDate, keyLabel, oneLine } from '../../domain/wording.ts';
import { describeExemption } from './describe-finding.ts';

/** The order actions are listed in: what needs a look first (failed), then what changed, then the rest. */
export const ACTION_STATUS_ORDER: readonly EnforcementStatus[] = ['failed', 'done', 'planned', 'skipped'];

/** `FAILED`, `DONE`, `PLANNED`, `SKIPPED`: how an action's status stands out in text. */
export const actionStatusLabel = (status: EnforcementStatus): string => status.toUpperCase();

/** `actions` by status (`ACTION_STATUS_ORDER`), then soonest due first; stable within. */
export const orderActions = (actions: readonly ReportedAction[]): ReportedAction[] =>
  [...actions].sort(
    (a, b) =>
      ACTION_STATUS_ORDER.indexOf(a.status) - ACTION_STATUS_ORDER.indexOf(b.status) ||
      a.dueAt.getTime() - b.dueAt.getTime(),
  );

/** `1 failed, 2 done, 3 planned`: the non-zero counts in `ACTION_STATUS_ORDER`. */
export const describeActionCounts = (actions: readonly ReportedAction[]): string => {
  const parts = ACTION_STATUS_ORDER.map(
    (status) => [status, actions.filter((a) => a.status === status).length] as const,
  )
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${formatCount(count)} ${status}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
};

/** The key an action is about: its whole id, or `a key without id` (never acted on). */
const actionKey = (action: ReportedAction): string =>
  keyLabel(action.accessKeyId, null) ?? 'a key without id';

/** `on or after 2026-12-01` for an action announced for later, else `due 2026-11-23`. */
const when = (action: ReportedAction, asOf: Date): string =>
  action.status === 'planned' && action.dueAt.getTime() > asOf.getTime()
    ? `on or after ${formatDate(action.dueAt)}`
    : `due ${formatDate(action.dueAt)}`;

/**
 * One action without its status: `deactivate AKIA... of alice in 111111111111 (production), due 2026-11-23:
 * last used 2026-08-01 (deactivated after 90 days unused)`.
 */
export const describeAction = (action: ReportedAction, asOf: Date): string =>
  `${action.type} ${actionKey(action)} of ${oneLine(action.userName)} in ${action.accountId}` +
  `${action.production ? ' (production)' : ''}, ${when(action, asOf)}: ${oneLine(action.reason)}`;

/**
 * The exact command that undoes a deactivation done or planned (`aws iam update-access-key ... --status
 * Active`); null for a deletion, a key without id, or an action that changed nothing (skipped, failed).
 */
export const undoOf = (action: ReportedAction): string | null =>
  action.status === 'done' || action.status === 'planned' ? undoCommand(action) : null;

/** `legacy-ftp in 222222222222: exempt until 2027-01-31 (tag): migrating to IAM Roles Anywhere`. */
export const describeNewExemption = (exemption: NewExemption): string =>
  `${oneLine(exemption.userName)} in ${exemption.accountId}: ${describeExemption(exemption)}`;

/** Where the complete report is: the URI, then the console page when there is one. */
export const describeStoredAt = (storedAt: StoredReportLink): string[] => [
  `The complete report: ${oneLine(storedAt.uri)}`,
  ...(storedAt.consoleUrl === undefined ? [] : [`In the S3 console: ${oneLine(storedAt.consoleUrl)}`]),
];
