/**
 * What `--enforce` says on stderr: the announcement before anything is changed, then one line per action
 * due (with the undo command of each deactivation), the notices and what is scheduled. stdout keeps the
 * report, whose `actions` list the same.
 */
import type { EnforcementRunResult } from '../../lambda/app/enforce-run.ts';
import type { EnforcementPlan, PlannedAction } from '../../lambda/domain/enforcement/plan.ts';
import type { ActionOutcome } from '../../lambda/domain/enforcement/record.ts';
import { undoCommand } from '../../lambda/domain/enforcement/undo.ts';
import { formatDate, oneLine, plural } from '../../lambda/domain/wording.ts';

/** Accounts named in the announcement; more are counted. */
export const MAX_ACCOUNTS_NAMED = 10;

const PAST: Readonly<Record<PlannedAction['type'], string>> = {
  deactivate: 'deactivated',
  delete: 'deleted',
};
const DOING: Readonly<Record<PlannedAction['type'], string>> = {
  deactivate: 'deactivating',
  delete: 'deleting',
};

const accountsOf = (actions: readonly PlannedAction[]): string => {
  const ids = [...new Set(actions.map((a) => a.accountId))].sort();
  if (ids.length > MAX_ACCOUNTS_NAMED) return `in ${ids.length} accounts`;
  return `in account${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`;
};

/** `AKIA... of alice in 111122223333`, or the credential-report slot of a key without id. */
const keyOf = (action: PlannedAction | ActionOutcome): string =>
  `${action.accessKeyId ?? `key ${action.keySlot ?? '?'}`} of ${action.userName} in ${action.accountId}`;

/** The announcement, before any notice is published or key changed: `enforcement (apply): deactivating ...`. */
export const describePlan = (plan: EnforcementPlan, topicArn?: string): string => {
  const planned = plan.actions.filter((a) => a.status === 'planned');
  const parts = (['deactivate', 'delete'] as const).flatMap((type) => {
    const of = planned.filter((a) => a.type === type);
    if (of.length === 0) return [];
    const verb = plan.mode === 'apply' ? DOING[type] : `would ${type}`;
    return [`${verb} ${plural(of.length, 'key')} ${accountsOf(of)}`];
  });
  const notices = plan.notices.length;
  if (notices > 0) {
    parts.push(
      plan.mode === 'apply'
        ? `publishing ${plural(notices, 'notice')}${topicArn === undefined ? '' : ` to ${topicArn}`}`
        : `would notify the owners of ${plural(notices, 'key')}`,
    );
  }
  const what = parts.length === 0 ? 'nothing due and no notice to send' : parts.join('; ');
  const tail = plan.mode === 'plan' ? ' (plan: nothing is changed and no notice is sent)' : '';
  return `key-audit: enforcement (${plan.mode}): ${what}${tail}\n`;
};

const outcomeLine = (outcome: ActionOutcome): string | null => {
  const key = keyOf(outcome);
  switch (outcome.status) {
    case 'done': {
      const undo = undoCommand(outcome);
      return undo === null
        ? `${PAST[outcome.type]} ${key} (a deletion cannot be undone)`
        : `${PAST[outcome.type]} ${key}; undo (with that account's credentials): ${undo}`;
    }
    case 'skipped':
      return `skipped: ${outcome.type} ${key}: ${oneLine(outcome.reason)}`;
    case 'failed':
      return `FAILED: ${outcome.type} ${key}: ${oneLine(outcome.reason)}`;
    case 'planned':
      return `would ${outcome.type} ${key}: ${oneLine(outcome.reason)}`;
  }
};

/** The lines after the run: each action due, failed notices, and counts of notices and scheduled actions. */
export const describeEnforcement = (result: EnforcementRunResult): string => {
  const lines = result.outcomes.map(outcomeLine).filter((line): line is string => line !== null);
  const published = result.notices.filter((n) => n.status === 'done');
  if (published.length > 0) lines.push(`${plural(published.length, 'notice')} published`);
  for (const failed of result.notices.filter((n) => n.status === 'failed')) {
    lines.push(
      `FAILED: notice for ${failed.notice.accessKeyId} of ${failed.notice.userName} in ${failed.notice.accountId}: ${oneLine(failed.error ?? 'not delivered')} (sent again next run)`,
    );
  }
  // Soonest first: the plan sorts them so.
  const [next] = result.plan.scheduled;
  if (next !== undefined) {
    lines.push(
      `${plural(result.plan.scheduled.length, 'action')} scheduled after notice, the first due ` +
        `${formatDate(next.dueAt)} (the report's actions list them)`,
    );
  }
  return lines.map((line) => `key-audit: enforcement: ${line}\n`).join('');
};
