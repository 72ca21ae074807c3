/**
 * Enforcement in one run, as the CLI and the Lambda both do it: plan from the inventory and the memory,
 * announce, then (in `apply` mode only) change the keys that are due and publish the new notices, and
 * remember what happened. `plan` mode computes and reports the same plan and changes nothing: no key, no
 * notice sent, no memory written. So switching from `plan` to `apply` starts every key's notice period
 * afresh: nobody loses a key on a notice that said "key-audit will not change this key".
 *
 * The history (load and save of the memory), the SNS message of a notice and the AWS sessions are the
 * caller's: they come in as values and functions, so that this runs the same in both places and in tests.
 */
import { AwsAdapterError } from '../aws/aws-error.ts';
import { applyActions, type KeyClients } from '../aws/key-remediation.ts';
import { type EnforcementPlan, type Notice, planEnforcement } from '../domain/enforcement/plan.ts';
import type { EnforcementPolicy } from '../domain/enforcement/policy.ts';
import {
  type ActionOutcome,
  countEnforcement,
  type EnforcementCount,
  type NoticeOutcome,
  type ReportedAction,
  recordEnforcement,
  reportedAction,
} from '../domain/enforcement/record.ts';
import type { Inventory } from '../domain/inventory.ts';
import type { Memory } from '../domain/memory.ts';
import type { Policy } from '../domain/policy.ts';
import type { Report } from '../domain/report.ts';
import { oneLine } from '../domain/wording.ts';

/** The settings enforcement reads: the rotation policy (deadlines, exemptions) and the enforcement policy. */
export interface EnforcementSettings {
  readonly policy: Pick<Policy, 'maxKeyAgeDays' | 'exemptions'> & Partial<Pick<Policy, 'maxExemptionDays'>>;
  readonly enforcement: EnforcementPolicy;
}

/** Everything one enforcement run needs. */
export interface EnforcementRunInput {
  /** What this run's scan read (only scanned accounts are acted on). */
  readonly inventory: Inventory;
  /** This run's report: returned with its `actions`. */
  readonly report: Report;
  /** The memory loaded from the history (EMPTY_MEMORY without one). */
  readonly memory: Memory;
  readonly settings: EnforcementSettings;
  /** The run's instant: decisions and recorded notices use it (`--as-of` rehearses a rollout). */
  readonly asOf: Date;
  /** True for production accounts (see `productionClassifier`). */
  readonly production: (accountId: string) => boolean;
  /**
   * Delivers one notice (one message per key). Rejects with an `AwsAdapterError` (e.g. `SnsPublishError`)
   * when it was not delivered: the notice is then recorded as failed and sent again next run.
   */
  readonly publishNotice: (notice: Notice) => Promise<void>;
  /** The IAM clients of an account: read-only for the last-moment check, the remediation role to change. */
  readonly keyClients: (accountId: string) => KeyClients | undefined;
  /** Called with the plan before anything is published or changed, to announce it. */
  readonly onPlan?: (plan: EnforcementPlan) => void;
}

/** What one enforcement run did. */
export interface EnforcementRunResult {
  readonly plan: EnforcementPlan;
  /** The memory to save: unchanged unless the mode is `apply`. */
  readonly memory: Memory;
  /** `input.report` with `actions` set (unchanged when enforcement is off). */
  readonly report: Report;
  /** The report's actions: those due in this run as applied, then those scheduled for later. */
  readonly actions: readonly ReportedAction[];
  /** The plan's due actions after applying (status `planned` in `plan` mode). */
  readonly outcomes: readonly ActionOutcome[];
  /** The notices published in this run (none in `plan` mode). */
  readonly notices: readonly NoticeOutcome[];
  /** Notices and actions by type and status, for metrics. */
  readonly counts: readonly EnforcementCount[];
  /** True when an action or a notice failed: the run is incomplete. */
  readonly failed: boolean;
}

/** Publishes each notice in turn; an AWS failure fails that notice only, anything else propagates. */
const publishNotices = async (
  notices: readonly Notice[],
  publish: (notice: Notice) => Promise<void>,
): Promise<NoticeOutcome[]> => {
  const outcomes: NoticeOutcome[] = [];
  for (const notice of notices) {
    try {
      await publish(notice);
      outcomes.push({ notice, status: 'done' });
    } catch (error) {
      if (!(error instanceof AwsAdapterError)) throw error;
      outcomes.push({ notice, status: 'failed', error: oneLine(error.message) });
    }
  }
  return outcomes;
};

/**
 * Plans, announces (`onPlan`) and, in `apply` mode, applies the due actions (last-moment check, cap) and
 * then publishes the new notices, and records both in the memory. In `off` mode nothing at all happens.
 */
export const runEnforcement = async (input: EnforcementRunInput): Promise<EnforcementRunResult> => {
  const { enforcement, policy } = input.settings;
  const plan = planEnforcement({
    inventory: input.inventory,
    memory: input.memory,
    policy,
    enforcement,
    asOf: input.asOf,
    production: input.production,
  });
  if (enforcement.mode === 'off') {
    return {
      plan,
      memory: input.memory,
      report: input.report,
      actions: [],
      outcomes: [],
      notices: [],
      counts: [],
      failed: false,
    };
  }
  input.onPlan?.(plan);
  const apply = enforcement.mode === 'apply';
  const outcomes = await applyActions(plan.actions, input.keyClients, { mode: enforcement.mode });
  const notices = apply ? await publishNotices(plan.notices, input.publishNotice) : [];
  const memory = apply
    ? recordEnforcement(input.memory, { at: input.asOf, notices, actions: outcomes })
    : input.memory;
  const actions = [...outcomes, ...plan.scheduled].map(reportedAction);
  const counts = countEnforcement([
    ...notices.map((n) => ({ type: 'notice' as const, status: n.status })),
    ...outcomes,
  ]);
  return {
    plan,
    memory,
    report: { ...input.report, actions },
    actions,
    outcomes,
    notices,
    counts,
    failed: outcomes.some((o) => o.status === 'failed') || notices.some((n) => n.status === 'failed'),
  };
};
