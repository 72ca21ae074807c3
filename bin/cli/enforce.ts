/**
 * `--enforce plan|apply` (with `--history LOCATION`): the enforcement use case (`runEnforcement`) from a
 * terminal, inside the run's history: it plans on the memory the history run loaded before the scan, and
 * in `apply` mode hands back what to remember (notices and actions), which the history run saves once,
 * after publishing, with what it delivered.
 *
 * The AWS SDK modules are loaded only when `--enforce` is given.
 */

import { rememberEnforcement } from '../../lambda/app/enforce-job.ts';
import type { HistoryRun } from '../../lambda/app/history-run.ts';
import type { KeyAuditConfig } from '../../lambda/config/key-audit-config.ts';
import type { Inventory } from '../../lambda/domain/inventory.ts';
import { EMPTY_MEMORY, type Memory } from '../../lambda/domain/memory.ts';
import type { Report } from '../../lambda/domain/report.ts';
import { describeEnforcement, describePlan } from './enforce-wording.ts';
import type { ScanCommand } from './parse-args.ts';
import type { ProgressStream } from './progress.ts';

/** What enforcing from the CLI needs from the scan. */
export interface ScannedForEnforcement {
  readonly report: Report;
  readonly inventory: Inventory;
  /** Which accounts are production, as the scan classified them. */
  readonly isProduction: (accountId: string) => boolean;
  /** Accounts read with the caller's own credentials (no member role there): changed with them too. */
  readonly ownCredentialAccounts: readonly string[];
}

/** The outcome for the CLI: the report with its `actions`, and whether an action or notice failed. */
export interface CliEnforcement {
  readonly report: Report;
  readonly failed: boolean;
  /** What the history run saves (apply mode only): enforcement's notices and actions. */
  readonly remember?: (memory: Memory) => Memory;
}

/** Enforcement prepared before the scan: `run` after it. */
export interface PreparedEnforcement {
  run(scanned: ScannedForEnforcement, stderr: ProgressStream): Promise<CliEnforcement>;
}

/**
 * Enforcement for `command`, with its history loaded; null without `--enforce`. `config` gives the
 * enforcement policy (its `mode` replaced by the flag), the production accounts and the remediation role.
 */
export const prepareEnforcement = (
  command: ScanCommand,
  config: KeyAuditConfig,
  history: HistoryRun | null,
): PreparedEnforcement | null => {
  const mode = command.enforce;
  if (mode === undefined || command.input.kind !== 'live') return null;
  const { input } = command;
  return {
    async run(scanned, stderr) {
      const [
        { runEnforcementWithAws },
        { createAwsClients, resolveRegion },
        { createSnsClientFactory },
        asff,
      ] = await Promise.all([
        import('../../lambda/app/enforce-aws.ts'),
        import('../../lambda/aws/client-factory.ts'),
        import('../../lambda/aws/sns-publisher.ts'),
        import('../../lambda/present/asff.ts'),
      ]);
      const profile = command.profile === undefined ? {} : { profile: command.profile };
      const region = resolveRegion(command.region);
      const topicArn = command.publishAlerts;
      const result = await runEnforcementWithAws(
        {
          inventory: scanned.inventory,
          report: scanned.report,
          memory: history?.memory ?? EMPTY_MEMORY,
          settings: { policy: config, enforcement: { ...config.enforcement, mode } },
          asOf: scanned.report.asOf,
          onPlan: (plan) => stderr.write(describePlan(plan, topicArn)),
        },
        {
          clients: createAwsClients({ ...profile, region }),
          sns: createSnsClientFactory(profile),
          topicArn,
          partition: asff.partitionOfRegion(region),
          roleName: input.roleName,
          remediationRoleName: config.remediationRoleName,
          ...(input.externalId === undefined ? {} : { externalId: input.externalId }),
          isProduction: scanned.isProduction,
          ownCredentialAccounts: scanned.ownCredentialAccounts,
        },
      );
      stderr.write(describeEnforcement(result));
      return {
        report: result.report,
        failed: result.failed,
        ...(mode === 'apply' ? { remember: rememberEnforcement(result) } : {}),
      };
    },
  };
};
