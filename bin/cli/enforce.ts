/**
 * `--enforce plan|apply` (with `--history LOCATION`): the enforcement use case (`runEnforcement`) from a
 * terminal. The memory is loaded before the scan (a history that cannot be read stops the run before
 * anything is read or changed) and saved after enforcement in `apply` mode.
 *
 * MERGE NOTE: the load and save of the history here are deliberately minimal (enforcement's notices and
 * actions only); the shared "run with a history" (alerts, trend, stored report) should own them, and call
 * `runEnforcement` between its evaluation and its save.
 *
 * The AWS SDK modules are loaded only when `--enforce` is given.
 */
import type { KeyAuditConfig } from '../../lambda/config/key-audit-config.ts';
import type { HistoryStore } from '../../lambda/domain/history-store.ts';
import type { Inventory } from '../../lambda/domain/inventory.ts';
import { EMPTY_MEMORY, type Memory } from '../../lambda/domain/memory.ts';
import type { Report } from '../../lambda/domain/report.ts';
import { describeEnforcement, describePlan } from './enforce-wording.ts';
import type { ScanCommand } from './parse-args.ts';
import type { ProgressStream } from './progress.ts';

/** A history opened and read before the scan. */
interface LoadedHistory {
  readonly store: HistoryStore | null;
  readonly memory: Memory;
  readonly revision: string | null;
}

/** What enforcing from the CLI needs from the scan. */
export interface ScannedForEnforcement {
  readonly report: Report;
  readonly inventory: Inventory;
  /** Accounts read with the caller's own credentials (no member role there): changed with them too. */
  readonly ownCredentialAccounts: readonly string[];
}

/** The outcome for the CLI: the report with its `actions`, and whether an action or notice failed. */
export interface CliEnforcement {
  readonly report: Report;
  readonly failed: boolean;
}

/** Enforcement prepared before the scan: `run` after it. */
export interface PreparedEnforcement {
  run(scanned: ScannedForEnforcement, stderr: ProgressStream): Promise<CliEnforcement>;
}

const loadHistory = async (command: ScanCommand): Promise<LoadedHistory> => {
  if (command.history === undefined) return { store: null, memory: EMPTY_MEMORY, revision: null };
  const [{ openHistory }, { S3Client }, { clientConfig }] = await Promise.all([
    import('../../lambda/history/open-history.ts'),
    import('@aws-sdk/client-s3'),
    import('../../lambda/aws/client-factory.ts'),
  ]);
  const store = openHistory(
    command.history,
    () =>
      new S3Client(
        clientConfig({
          ...(command.profile === undefined ? {} : { profile: command.profile }),
          ...(command.region === undefined ? {} : { region: command.region }),
        }),
      ),
  );
  const { memory, revision } = await store.load();
  return { store, memory, revision };
};

/**
 * Enforcement for `command`, with its history loaded; null without `--enforce`. `config` gives the
 * enforcement policy (its `mode` replaced by the flag), the production accounts and the remediation role.
 */
export const prepareEnforcement = async (
  command: ScanCommand,
  config: KeyAuditConfig,
): Promise<PreparedEnforcement | null> => {
  const mode = command.enforce;
  if (mode === undefined || command.input.kind !== 'live') return null;
  const { input } = command;
  const history = await loadHistory(command);
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
          memory: history.memory,
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
          production: config.production,
          ownCredentialAccounts: scanned.ownCredentialAccounts,
          warn: (message) => stderr.write(`key-audit: enforcement: ${message}\n`),
        },
      );
      stderr.write(describeEnforcement(result));
      if (mode === 'apply' && history.store !== null) {
        await history.store.save(result.memory, history.revision);
      }
      return { report: result.report, failed: result.failed };
    },
  };
};
