/**
 * The enforcement plan: from what this run read (the inventory), what earlier runs remembered (notices in
 * force, actions done) and the policy, which keys get a notice now and which get deactivated or deleted.
 * Pure: the instant is a parameter and nothing is changed here; `applyActions` acts, `recordEnforcement`
 * remembers.
 *
 * The cycle of one key: when it comes within its notice period of a condition (unused too long, overdue,
 * or deactivated by key-audit long enough ago), a notice announces the action and its date, and is
 * remembered with the key's last use. The action happens at the first run on or after that date only if
 * the key is still in the state the notice described: same status, same last use, user not exempt, account
 * scanned now. Otherwise the notice is withdrawn and reported, and a new cycle starts whenever the
 * condition holds again. A key only a credential report knows (no key id) is never noticed nor acted on.
 */
import { exemptionInForce, exemptionsForUser } from '../exemptions.ts';
import type { AppliedExemption } from '../finding.ts';
import { ROOT_USER_NAME } from '../finding-id.ts';
import type { AccessKey, IamUser, Inventory, ScannedAccount } from '../inventory.ts';
import type { EnforcementActionRecord, EnforcementActionType, EnforcementNotice, Memory } from '../memory.ts';
import { ownerOf } from '../owner.ts';
import { addDays, type Policy } from '../policy.ts';
import { formatAge, formatDate } from '../wording.ts';
import { type EnforcementMode, type EnforcementPolicy, noticeDaysFor } from './policy.ts';

/** A notice to publish now: the remembered part plus what its message needs. */
export interface Notice extends EnforcementNotice {
  readonly userArn: string;
  /** From the user's owner tag, or null. */
  readonly owner: string | null;
  /** The condition the key meets (or will meet by `dueAt`), one phrase. */
  readonly reason: string;
  /** The mode the notice was computed in: in `plan` mode key-audit will not act. */
  readonly mode: Exclude<EnforcementMode, 'off'>;
}

/** What the plan says about one action: to do (`planned`) or not, and why. */
export type PlannedStatus = 'planned' | 'skipped';

/** A deactivation or deletion of one key, as the plan sees it. */
export interface PlannedAction {
  readonly type: EnforcementActionType;
  readonly accountId: string;
  readonly userName: string;
  /** Null for a key only a credential report knows: such a key is never acted on (see `reason`). */
  readonly accessKeyId: string | null;
  /** The credential-report slot of a key without id, else null. */
  readonly keySlot: 1 | 2 | null;
  readonly owner: string | null;
  readonly production: boolean;
  /** When the action is (or was) due. */
  readonly dueAt: Date;
  readonly status: PlannedStatus;
  /** The condition met, or why the action is skipped. */
  readonly reason: string;
  /** The key's last use as this run read it (null: never used); the last-moment check compares with it. */
  readonly lastUsedAt: Date | null;
  /**
   * True when the key's notice stays in force after this run (a capped or postponed action is tried again
   * next run); false when the notice is used up or withdrawn.
   */
  readonly keepsNotice: boolean;
}

/** The plan of one run. */
export interface EnforcementPlan {
  readonly mode: EnforcementMode;
  readonly asOf: Date;
  /** Notices to publish now, one per key, most urgent first. */
  readonly notices: readonly Notice[];
  /**
   * Actions due in this run: `planned` (to apply, at most `maxActionsPerRun`) and `skipped` ones with
   * their reason (withdrawn notices included), in the order they are applied: most overdue first.
   */
  readonly actions: readonly PlannedAction[];
  /** Actions announced by a notice (in force or sent now) and not yet due, soonest first. */
  readonly scheduled: readonly PlannedAction[];
}

/** Everything the plan depends on. */
export interface PlanInput {
  /** What this run read; only `scanned` accounts are acted on. */
  readonly inventory: Inventory;
  /** Notices in force and actions done, from the history. */
  readonly memory: Pick<Memory, 'notices' | 'actions'>;
  /**
   * The rotation policy: `maxKeyAgeDays` for overdue keys, `exemptions` (and `maxExemptionDays`, when given)
   * as the findings honour them, so that enforcement and the report agree on who is exempt.
   */
  readonly policy: Pick<Policy, 'maxKeyAgeDays' | 'exemptions'> & Partial<Pick<Policy, 'maxExemptionDays'>>;
  readonly enforcement: EnforcementPolicy;
  readonly asOf: Date;
  /** True for production accounts (see `productionClassifier`). */
  readonly production: (accountId: string) => boolean;
}

/** Why an action happens (or will): the instant the condition holds, in one phrase. */
interface Condition {
  readonly at: Date;
  readonly reason: string;
}

/** The key and who holds it, with what the plan needs to decide. */
interface HeldKey {
  readonly account: ScannedAccount;
  readonly user: IamUser;
  readonly key: AccessKey;
  readonly owner: string | null;
  readonly exemption: AppliedExemption | null;
  readonly production: boolean;
}

const time = (instant: Date | null): number | null => (instant === null ? null : instant.getTime());

const later = (a: Date, b: Date): Date => (a.getTime() >= b.getTime() ? a : b);

/** `never` or the day of the last use. */
const used = (lastUsedAt: Date | null): string =>
  lastUsedAt === null ? 'never used' : `last used ${formatDate(lastUsedAt)}`;

/** The latest deactivation key-audit did of `accessKeyId`, from the remembered actions. */
const deactivationOf = (
  actions: readonly EnforcementActionRecord[],
  accessKeyId: string,
): EnforcementActionRecord | undefined =>
  actions.findLast((a) => a.type === 'deactivate' && a.status === 'done' && a.accessKeyId === accessKeyId);

/**
 * When the key meets the condition for `type`, or why there is none. Deactivation: unused for
 * `deactivateUnusedAfterDays`, or (when set) `deactivateOverdueAfterDays` past the rotation deadline,
 * whichever comes first. Deletion: `deleteAfterDays` after key-audit deactivated it, unused since.
 */
const conditionFor = (
  type: EnforcementActionType,
  held: HeldKey,
  input: PlanInput,
): Condition | { readonly none: string } => {
  const { key } = held;
  const { enforcement } = input;
  if (type === 'deactivate') {
    const idleFrom = key.lastUsedAt ?? key.createdAt;
    const unused: Condition = {
      at: addDays(idleFrom, enforcement.deactivateUnusedAfterDays),
      reason:
        key.lastUsedAt === null
          ? `never used since its creation on ${formatDate(key.createdAt)} (deactivated after ${formatAge(enforcement.deactivateUnusedAfterDays)} unused)`
          : `last used ${formatDate(key.lastUsedAt)} (deactivated after ${formatAge(enforcement.deactivateUnusedAfterDays)} unused)`,
    };
    if (enforcement.deactivateOverdueAfterDays === undefined) return unused;
    const deadline = addDays(key.createdAt, input.policy.maxKeyAgeDays);
    const overdue: Condition = {
      at: addDays(deadline, enforcement.deactivateOverdueAfterDays),
      reason:
        `created ${formatDate(key.createdAt)}, rotation due ${formatDate(deadline)} ` +
        `(deactivated ${formatAge(enforcement.deactivateOverdueAfterDays)} past the rotation deadline)`,
    };
    return overdue.at.getTime() < unused.at.getTime() ? overdue : unused;
  }
  if (enforcement.deleteAfterDays === undefined) return { none: 'deletion is off (deleteAfterDays not set)' };
  const deactivation = deactivationOf(input.memory.actions, key.accessKeyId ?? '');
  if (deactivation === undefined) return { none: 'key-audit did not deactivate this key' };
  if (key.lastUsedAt !== null && key.lastUsedAt.getTime() > deactivation.at.getTime()) {
    return {
      none: `used ${formatDate(key.lastUsedAt)}, after key-audit deactivated it on ${formatDate(deactivation.at)}`,
    };
  }
  return {
    at: addDays(deactivation.at, enforcement.deleteAfterDays),
    reason:
      `deactivated by key-audit on ${formatDate(deactivation.at)}, ${used(key.lastUsedAt)} ` +
      `(deleted ${formatAge(enforcement.deleteAfterDays)} after deactivation)`,
  };
};

/** The action a key in this status may be heading for. */
const actionFor = (key: AccessKey): EnforcementActionType | null =>
  key.status === 'active' ? 'deactivate' : key.status === 'inactive' ? 'delete' : null;

const actionOf = (
  held: HeldKey,
  type: EnforcementActionType,
  fields: Pick<PlannedAction, 'dueAt' | 'status' | 'reason' | 'keepsNotice'>,
): PlannedAction => ({
  type,
  accountId: held.account.accountId,
  userName: held.user.userName,
  accessKeyId: held.key.accessKeyId,
  keySlot: held.key.accessKeyId === null ? held.key.slot : null,
  owner: held.owner,
  production: held.production,
  lastUsedAt: held.key.lastUsedAt,
  ...fields,
});

/** An action on a key that is not in this run's inventory, from its notice alone. */
const actionOfNotice = (
  notice: EnforcementNotice,
  fields: Pick<PlannedAction, 'status' | 'reason' | 'keepsNotice'>,
): PlannedAction => ({
  type: notice.action,
  accountId: notice.accountId,
  userName: notice.userName,
  accessKeyId: notice.accessKeyId,
  keySlot: null,
  owner: null,
  production: notice.production,
  dueAt: notice.dueAt,
  lastUsedAt: notice.lastUsedAtNoticed,
  ...fields,
});

/** Why a notice is void when the key's last use changed since it was sent. */
const usedAfterNotice = (lastUsedAt: Date | null): string =>
  lastUsedAt === null
    ? 'its last use changed since the notice (now unknown)'
    : `used ${formatDate(lastUsedAt)}, after the notice`;

/** What a remembered notice comes to in this run. */
interface Assessment {
  readonly kind: 'pending' | 'due' | 'withdrawn';
  readonly action: PlannedAction;
}

const assessNotice = (notice: EnforcementNotice, held: HeldKey, input: PlanInput): Assessment => {
  const { key } = held;
  const noticed = `notice of ${formatDate(notice.noticedAt)}`;
  const withdraw = (why: string): Assessment => ({
    kind: 'withdrawn',
    action: actionOf(held, notice.action, {
      dueAt: notice.dueAt,
      status: 'skipped',
      reason: `${why}: ${noticed} withdrawn`,
      keepsNotice: false,
    }),
  });
  if (actionFor(key) !== notice.action) {
    return withdraw(
      `the key is ${key.status === 'unknown' ? 'in a status key-audit does not know' : key.status} now`,
    );
  }
  if (held.exemption !== null) {
    return withdraw(
      `${held.user.userName} is exempt until ${held.exemption.until} (${held.exemption.reason})`,
    );
  }
  const condition = conditionFor(notice.action, held, input);
  if ('none' in condition) return withdraw(condition.none);
  const usedSince = time(key.lastUsedAt) !== time(notice.lastUsedAtNoticed);
  // A use that moves the condition past the announced date voids the notice at once; a use that does not
  // (an overdue key) is caught at the due date, so that such a key is warned once per notice period.
  if (condition.at.getTime() > notice.dueAt.getTime()) {
    return withdraw(
      usedSince
        ? usedAfterNotice(key.lastUsedAt)
        : `the condition no longer holds on ${formatDate(notice.dueAt)}`,
    );
  }
  const period = noticeDaysFor(input.enforcement, held.production);
  const dueAt = later(notice.dueAt, addDays(notice.noticedAt, period));
  const reason = `${condition.reason}; ${noticed}`;
  if (input.asOf.getTime() < dueAt.getTime()) {
    return {
      kind: 'pending',
      action: actionOf(held, notice.action, { dueAt, status: 'planned', reason, keepsNotice: true }),
    };
  }
  if (usedSince) return withdraw(usedAfterNotice(key.lastUsedAt));
  return {
    kind: 'due',
    action: actionOf(held, notice.action, { dueAt, status: 'planned', reason, keepsNotice: true }),
  };
};

/** A new notice for a key within its notice period of a condition, or null. */
const newNotice = (held: HeldKey, input: PlanInput): { notice: Notice; action: PlannedAction } | null => {
  const type = actionFor(held.key);
  const { accessKeyId } = held.key;
  if (type === null || accessKeyId === null || held.exemption !== null) return null;
  const condition = conditionFor(type, held, input);
  if ('none' in condition) return null;
  const period = noticeDaysFor(input.enforcement, held.production);
  if (input.asOf.getTime() < addDays(condition.at, -period).getTime()) return null;
  // Sent no earlier than `period` before the condition holds, so a full period after now it does.
  const dueAt = addDays(input.asOf, period);
  const notice: Notice = {
    accountId: held.account.accountId,
    userName: held.user.userName,
    accessKeyId,
    action: type,
    noticedAt: input.asOf,
    dueAt,
    lastUsedAtNoticed: held.key.lastUsedAt,
    production: held.production,
    userArn: held.user.arn,
    owner: held.owner,
    reason: condition.reason,
    mode: input.enforcement.mode === 'apply' ? 'apply' : 'plan',
  };
  const action = actionOf(held, type, {
    dueAt,
    status: 'planned',
    reason: `${condition.reason}; notice of ${formatDate(input.asOf)}`,
    keepsNotice: true,
  });
  return { notice, action };
};

/** Why a key without id is left alone, when it is within its notice period of deactivation. */
const unnamedKeySkip = (held: HeldKey, input: PlanInput): PlannedAction | null => {
  const type = actionFor(held.key);
  // Deletion needs key-audit's own deactivation, which always names the key: only deactivation applies.
  if (type !== 'deactivate' || held.exemption !== null) return null;
  const condition = conditionFor(type, held, input);
  if ('none' in condition) return null;
  const period = noticeDaysFor(input.enforcement, held.production);
  if (input.asOf.getTime() < addDays(condition.at, -period).getTime()) return null;
  return actionOf(held, type, {
    dueAt: condition.at,
    status: 'skipped',
    reason:
      `${condition.reason}, but its access key id is unknown (credential report data only): ` +
      'key-audit never notices nor acts on a key it cannot name; verify the user live',
    keepsNotice: false,
  });
};

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Most overdue (earliest due) first, then account, user and key: the order actions are applied in. */
export const compareActions = (a: PlannedAction, b: PlannedAction): number =>
  a.dueAt.getTime() - b.dueAt.getTime() ||
  compareText(a.accountId, b.accountId) ||
  compareText(a.userName, b.userName) ||
  compareText(a.accessKeyId ?? `#${a.keySlot ?? ''}`, b.accessKeyId ?? `#${b.keySlot ?? ''}`) ||
  compareText(a.type, b.type);

/** The notices of keys not seen in this run's inventory: postponed, withdrawn or still pending. */
const unmatchedNotice = (
  notice: EnforcementNotice,
  scanned: ReadonlyMap<string, ScannedAccount>,
  asOf: Date,
): { readonly kind: 'pending' | 'skipped'; readonly action: PlannedAction } => {
  const account = scanned.get(notice.accountId);
  const due = asOf.getTime() >= notice.dueAt.getTime();
  const postpone = (reason: string) =>
    due
      ? {
          kind: 'skipped' as const,
          action: actionOfNotice(notice, { status: 'skipped', reason, keepsNotice: true }),
        }
      : {
          kind: 'pending' as const,
          action: actionOfNotice(notice, {
            status: 'planned',
            reason: `notice of ${formatDate(notice.noticedAt)}`,
            keepsNotice: true,
          }),
        };
  if (account === undefined) return postpone(`account ${notice.accountId} was not scanned in this run`);
  const user = account.users.find((u) => u.userName === notice.userName);
  if (user?.accessKeys.some((key) => key.accessKeyId === null)) {
    return postpone(`the keys of ${notice.userName} were not verified live in this run (no key ids)`);
  }
  const why = user === undefined ? `user ${notice.userName} no longer exists` : 'the key no longer exists';
  return {
    kind: 'skipped',
    action: actionOfNotice(notice, {
      status: 'skipped',
      reason: `${why}: notice of ${formatDate(notice.noticedAt)} withdrawn`,
      keepsNotice: false,
    }),
  };
};

const capReason = (cap: number): string =>
  `cap of ${cap} ${cap === 1 ? 'action' : 'actions'} per run reached`;

/**
 * The enforcement plan of one run (see the module comment). Mode `off` plans nothing; `plan` and `apply`
 * plan the same, and only `applyActions` in `apply` mode changes keys. Notices are not remembered here:
 * `recordEnforcement` remembers those that were delivered.
 */
export const planEnforcement = (input: PlanInput): EnforcementPlan => {
  const { inventory, memory, enforcement, asOf } = input;
  const empty = { mode: enforcement.mode, asOf, notices: [], actions: [], scheduled: [] };
  if (enforcement.mode === 'off') return empty;

  const notices: Notice[] = [];
  const due: PlannedAction[] = [];
  const skipped: PlannedAction[] = [];
  const scheduled: PlannedAction[] = [];
  const matched = new Set<string>();
  const scanned = new Map<string, ScannedAccount>();

  for (const account of inventory.accounts) {
    if (account.status !== 'scanned') continue;
    scanned.set(account.accountId, account);
    const production = input.production(account.accountId);
    for (const user of account.users) {
      // Root keys never reach IAM's UpdateAccessKey from a member role: the plan never considers them.
      if (user.userName === ROOT_USER_NAME) continue;
      const { valid } = exemptionsForUser(account.accountId, user, input.policy, asOf);
      const owner = ownerOf(user.tags);
      const exemption = exemptionInForce(valid, asOf);
      for (const key of user.accessKeys) {
        const held: HeldKey = { account, user, key, owner, exemption, production };
        if (key.accessKeyId === null) {
          const skip = unnamedKeySkip(held, input);
          if (skip !== null) skipped.push(skip);
          continue;
        }
        const notice = memory.notices[key.accessKeyId];
        if (notice !== undefined) {
          matched.add(key.accessKeyId);
          const assessment = assessNotice(notice, held, input);
          if (assessment.kind === 'pending') scheduled.push(assessment.action);
          if (assessment.kind === 'due') due.push(assessment.action);
          if (assessment.kind !== 'withdrawn') continue;
          skipped.push(assessment.action);
        }
        const fresh = newNotice(held, input);
        if (fresh !== null) {
          notices.push(fresh.notice);
          scheduled.push(fresh.action);
        }
      }
    }
  }

  for (const [accessKeyId, notice] of Object.entries(memory.notices)) {
    if (matched.has(accessKeyId)) continue;
    const { kind, action } = unmatchedNotice(notice, scanned, asOf);
    (kind === 'pending' ? scheduled : skipped).push(action);
  }

  due.sort(compareActions);
  const cap = enforcement.maxActionsPerRun;
  const capped = due.map((action, index) =>
    index < cap ? action : { ...action, status: 'skipped' as const, reason: capReason(cap) },
  );
  notices.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || compareText(a.accessKeyId, b.accessKeyId));
  return {
    ...empty,
    notices,
    actions: [...capped, ...skipped].sort(compareActions),
    scheduled: scheduled.sort(compareActions),
  };
};
