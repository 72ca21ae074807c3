/**
 * What a run hands to the next about enforcement: notices delivered become notices in force, actions done,
 * skipped or failed are appended to the history, and notices used up or withdrawn are dropped. Also the
 * counts for metrics and the JSON form of actions. Pure.
 */
import type {
  EnforcementActionRecord,
  EnforcementActionType,
  EnforcementNotice,
  EnforcementStatus,
  Memory,
} from '../memory.ts';
import { formatDate } from '../wording.ts';
import type { Notice, PlannedAction } from './plan.ts';

/** A notice after publication: delivered (`done`) or not (`failed`, with the error). */
export interface NoticeOutcome {
  readonly notice: Notice;
  readonly status: 'done' | 'failed';
  /** Why it failed; unused when delivered. */
  readonly error?: string;
}

/**
 * A planned action after `applyActions`: `done`, `skipped` (the plan's reason or the last-moment check's),
 * `failed` (the error), or still `planned` when nothing was applied (`plan` mode).
 */
export interface ActionOutcome extends Omit<PlannedAction, 'status'> {
  readonly status: EnforcementStatus;
}

/** What one run did about enforcement. */
export interface EnforcementRun {
  /** The run's instant (its `asOf`). */
  readonly at: Date;
  /** Notices published this run; leave out those not published (e.g. in `plan` mode). */
  readonly notices: readonly NoticeOutcome[];
  /** The plan's `actions`, as applied. */
  readonly actions: readonly ActionOutcome[];
}

/** The remembered part of a notice: exactly the `EnforcementNotice` fields, nothing the message needed. */
export const rememberedNotice = (notice: Notice): EnforcementNotice => ({
  accountId: notice.accountId,
  userName: notice.userName,
  accessKeyId: notice.accessKeyId,
  action: notice.action,
  noticedAt: notice.noticedAt,
  dueAt: notice.dueAt,
  lastUsedAtNoticed: notice.lastUsedAtNoticed,
  production: notice.production,
});

const noticeRecord = (outcome: NoticeOutcome, at: Date): EnforcementActionRecord => {
  const { notice } = outcome;
  return {
    type: 'notice',
    accountId: notice.accountId,
    userName: notice.userName,
    accessKeyId: notice.accessKeyId,
    dueAt: notice.dueAt,
    at,
    status: outcome.status,
    reason:
      outcome.status === 'done'
        ? `announced ${notice.action} on or after ${formatDate(notice.dueAt)}: ${notice.reason}`
        : `not delivered: ${outcome.error ?? 'unknown error'}`,
  };
};

/** True when the key's notice stays in force after this outcome. */
const keepsNotice = (outcome: ActionOutcome): boolean => outcome.status !== 'done' && outcome.keepsNotice;

/**
 * The memory after `run`: notices used up (done) or withdrawn are dropped, delivered notices added (a new
 * notice replaces a withdrawn one of the same key), and every notice and every action done, skipped or
 * failed appended to `actions`. Actions still `planned` and keys without id are not remembered: they are
 * planned again next run.
 */
export const recordEnforcement = (memory: Memory, run: EnforcementRun): Memory => {
  const notices: Record<string, EnforcementNotice> = { ...memory.notices };
  const records: EnforcementActionRecord[] = [];
  for (const action of run.actions) {
    if (action.accessKeyId === null || action.status === 'planned') continue;
    if (!keepsNotice(action)) delete notices[action.accessKeyId];
    records.push({
      type: action.type,
      accountId: action.accountId,
      userName: action.userName,
      accessKeyId: action.accessKeyId,
      dueAt: action.dueAt,
      at: run.at,
      status: action.status,
      reason: action.reason,
    });
  }
  for (const outcome of run.notices) {
    if (outcome.status === 'done') notices[outcome.notice.accessKeyId] = rememberedNotice(outcome.notice);
    records.push(noticeRecord(outcome, run.at));
  }
  return { ...memory, notices, actions: [...memory.actions, ...records] };
};

/** One metric: how many actions of a type ended in a status. */
export interface EnforcementCount {
  readonly type: EnforcementActionType | 'notice';
  readonly status: EnforcementStatus;
  readonly count: number;
}

/** Counts of `records` (or outcomes) by type and status, sorted, for metrics. */
export const countEnforcement = (
  records: readonly { readonly type: EnforcementActionType | 'notice'; readonly status: EnforcementStatus }[],
): EnforcementCount[] => {
  const counts = new Map<string, EnforcementCount>();
  for (const { type, status } of records) {
    const key = `${type}:${status}`;
    counts.set(key, { type, status, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, count]) => count);
};

/** An action as the JSON report lists it. */
export interface ReportedAction {
  readonly type: EnforcementActionType;
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId: string | null;
  readonly dueAt: Date;
  readonly status: EnforcementStatus;
  readonly reason: string;
  /** Production keys: renderings tell 2nd line first. */
  readonly production: boolean;
}

/** The JSON report's fields of an action (planned, scheduled or applied). */
export const reportedAction = (action: ActionOutcome | PlannedAction): ReportedAction => ({
  type: action.type,
  accountId: action.accountId,
  userName: action.userName,
  accessKeyId: action.accessKeyId,
  dueAt: action.dueAt,
  status: action.status,
  reason: action.reason,
  production: action.production,
});
