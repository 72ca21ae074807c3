/**
 * Enforcement in the scheduled alerts job: `runEnforcementWithAws` with the handler's configuration, every
 * action and failed notice logged (a deactivation with its undo command), and every notice and action
 * counted in metrics, so that an alarm can watch failures. The memory comes from the job's history and
 * goes back to it; this module neither loads nor saves it.
 */
import { resolveRegion } from '../aws/client-factory.ts';
import type { HandlerConfig } from '../config/handler-config.ts';
import { undoCommand } from '../domain/enforcement/undo.ts';
import { ConfigurationError } from '../domain/errors.ts';
import type { EnforcementActionType, EnforcementStatus, Memory } from '../domain/memory.ts';
import { partitionOfRegion } from '../present/asff.ts';
import { runEnforcementWithAws } from './enforce-aws.ts';
import type { EnforcementRunResult } from './enforce-run.ts';
import type { LiveAudit } from './run-audit.ts';
import type { JobDeps } from './scheduled-job.ts';

/** The outcomes counted, each as its own metric (named by `enforcementMetric`), 0 when none. */
export const ENFORCEMENT_METRICS: readonly {
  readonly type: EnforcementActionType | 'notice';
  readonly status: EnforcementStatus;
}[] = [
  { type: 'notice', status: 'done' },
  { type: 'notice', status: 'failed' },
  ...(['deactivate', 'delete'] as const).flatMap((type) =>
    (['planned', 'done', 'skipped', 'failed'] as const).map((status) => ({ type, status })),
  ),
];

const capital = (word: string): string => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;

/** `EnforcementDeactivateDone`, `EnforcementNoticeFailed`, ...: the metric of one type and status. */
export const enforcementMetric = (
  type: EnforcementActionType | 'notice',
  status: EnforcementStatus,
): string => `Enforcement${capital(type)}${capital(status)}`;

/** Logs each action due and each failed notice, and counts them all. */
const logAndCount = (result: EnforcementRunResult, deps: Pick<JobDeps, 'logger' | 'metrics'>): void => {
  const { logger, metrics } = deps;
  for (const outcome of result.outcomes) {
    const fields = {
      type: outcome.type,
      status: outcome.status,
      accountId: outcome.accountId,
      userName: outcome.userName,
      accessKeyId: outcome.accessKeyId,
      production: outcome.production,
      dueAt: outcome.dueAt.toISOString(),
      reason: outcome.reason,
      ...(outcome.status === 'done' && undoCommand(outcome) !== null ? { undo: undoCommand(outcome) } : {}),
    };
    if (outcome.status === 'failed') logger.error('enforcement action failed', fields);
    else logger.info(`enforcement action ${outcome.status}`, fields);
  }
  for (const notice of result.notices.filter((n) => n.status === 'failed')) {
    logger.error('enforcement notice not delivered', {
      accountId: notice.notice.accountId,
      userName: notice.notice.userName,
      accessKeyId: notice.notice.accessKeyId,
      error: notice.error,
    });
  }
  logger.info('enforcement finished', {
    mode: result.plan.mode,
    noticesPublished: result.notices.filter((n) => n.status === 'done').length,
    scheduled: result.plan.scheduled.length,
    failed: result.failed,
  });
  for (const { type, status } of ENFORCEMENT_METRICS) {
    const count = result.counts.find((c) => c.type === type && c.status === status)?.count ?? 0;
    metrics.addMetric(enforcementMetric(type, status), 'Count', count);
  }
};

/**
 * Runs the configured enforcement on what `audit` read, with `memory` from the history; notices go to the
 * alert topic. Returns the result: its `report` has `actions`, its `memory` is the one to save.
 */
export const enforceInJob = async (
  audit: LiveAudit,
  memory: Memory,
  config: HandlerConfig,
  deps: Pick<JobDeps, 'clients' | 'sns' | 'logger' | 'metrics'>,
): Promise<EnforcementRunResult> => {
  const result = await runEnforcementWithAws(
    {
      inventory: audit.scan,
      report: audit.report,
      memory,
      settings: { policy: config.policy, enforcement: config.enforcement },
      asOf: audit.report.asOf,
      onPlan: (plan) =>
        deps.logger.info('enforcement planned', {
          mode: plan.mode,
          due: plan.actions.filter((a) => a.status === 'planned').length,
          notices: plan.notices.length,
          accounts: [...new Set(plan.actions.filter((a) => a.status === 'planned').map((a) => a.accountId))],
        }),
    },
    {
      clients: deps.clients,
      sns: deps.sns,
      topicArn: config.alertTopicArn,
      partition: partitionOfRegion(resolveRegion(undefined)),
      roleName: config.roleName,
      remediationRoleName: config.remediationRoleName,
      ...(config.externalId === undefined ? {} : { externalId: config.externalId }),
      isProduction: audit.isProduction,
      ownCredentialAccounts: audit.scan.ownCredentialAccounts,
    },
  );
  if (config.enforcement.mode !== 'off') logAndCount(result, deps);
  return result;
};

/**
 * Refuses `apply` without a history before the job scans anything: notices must be remembered from one
 * run to the next, or no key would ever be acted on (and none must be acted on without one).
 */
export const checkEnforcementHistory = (config: Pick<HandlerConfig, 'enforcement' | 'history'>): void => {
  if (config.enforcement.mode === 'apply' && config.history === undefined) {
    throw new ConfigurationError([
      'KEY_AUDIT_ENFORCEMENT: mode "apply" needs a history (KEY_AUDIT_HISTORY, where notices are remembered between runs)',
    ]);
  }
};

/**
 * What enforcement adds to the memory the run saves: its notices and actions, laid over the memory as it
 * is at save time (the history run re-applies this if another run saved in between).
 */
export const rememberEnforcement =
  (result: Pick<EnforcementRunResult, 'memory'>) =>
  (memory: Memory): Memory => ({ ...memory, notices: result.memory.notices, actions: result.memory.actions });
