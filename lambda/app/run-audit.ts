/**
 * One audit, as the CLI and the Lambda both run it: scan accounts, tell which are production, evaluate the
 * rules, and mark the report incomplete when the scan stopped early. Keeping this in one place is what
 * makes "same engine" true.
 */
import { readAccountFacts } from '../aws/account-facts.ts';
import { type AwsClients, createAwsClients } from '../aws/client-factory.ts';
import { OrganizationsError } from '../aws/organizations.ts';
import {
  type AccountFacts,
  type ProductionSettings,
  productionClassifier,
  productionFactsNeeded,
  productionWithoutFacts,
} from '../domain/production.ts';
import type { Report } from '../domain/report.ts';
import { type ScanOptions, type ScanResult, scanAccounts } from '../scan/scan-accounts.ts';
import type { ScanTargets } from '../scan/targets.ts';
import { reportFromInventory } from './report-from-inventory.ts';

/** How to run a live audit: the scan's options, and which accounts are production. */
export interface LiveAuditOptions extends ScanOptions {
  /** The configuration's `production`. @default no account is production */
  readonly production?: ProductionSettings;
}

/** The outcome of a live audit: the report, and the scan behind it (for logs and `--stats`). */
export interface LiveAudit {
  readonly report: Report;
  readonly scan: ScanResult;
  /** Which accounts are production, as the report's findings say: for what else the run decides. */
  readonly isProduction: (accountId: string) => boolean;
  /** The scan's warnings, then the production classification's: one line each, naming the setting. */
  readonly warnings: readonly string[];
}

/** Where a scan outside organisation mode runs, in a warning's words. */
const WITHOUT_ORGANISATION: Readonly<Record<Exclude<ScanTargets['kind'], 'organisation'>, string>> = {
  caller: 'scanning the own account',
  accounts: 'scanning listed accounts',
};

/**
 * The production classifier of a scan. Organizations facts (parents, account tags) are read only when the
 * settings need them and the scan is in organisation mode (where Organizations can be read); with
 * `production.accounts` alone, no call is made. Facts Organizations refused leave the accounts unknown,
 * and unknown counts as production (the safe side), with a warning.
 */
const classify = async (
  targets: ScanTargets,
  settings: ProductionSettings,
  scan: ScanResult,
  clients: AwsClients,
): Promise<{ readonly isProduction: (accountId: string) => boolean; readonly warnings: string[] }> => {
  const needed = productionFactsNeeded(settings);
  if (!needed.ancestors && !needed.tags)
    return { isProduction: productionClassifier(settings, new Map()), warnings: [] };
  if (targets.kind !== 'organisation') {
    const reduced = productionWithoutFacts(settings, WITHOUT_ORGANISATION[targets.kind]);
    return {
      isProduction: productionClassifier(reduced.settings, new Map()),
      warnings: reduced.warning === null ? [] : [reduced.warning],
    };
  }
  const accountIds = [...scan.accounts.map((account) => account.accountId), ...scan.accountsNotScanned];
  let facts: Map<string, AccountFacts>;
  try {
    facts = await readAccountFacts(clients.organizations(), accountIds, needed);
  } catch (error) {
    if (!(error instanceof OrganizationsError)) throw error;
    return {
      isProduction: productionClassifier(settings, new Map()),
      warnings: [
        `production: ${error.message}; every account not listed in production.accounts counts as production`,
      ],
    };
  }
  return { isProduction: productionClassifier(settings, facts), warnings: [] };
};

/** Scans `targets` live, classifies production accounts and evaluates the result. */
export const runLiveAudit = async (targets: ScanTargets, options: LiveAuditOptions): Promise<LiveAudit> => {
  const clients = options.clients ?? createAwsClients();
  const scan = await scanAccounts(targets, { ...options, clients });
  const production = await classify(targets, options.production ?? {}, scan, clients);
  const report = reportFromInventory(
    scan,
    { asOf: options.asOf, policy: options.policy, isProduction: production.isProduction },
    scan,
  );
  return {
    scan,
    report,
    isProduction: production.isProduction,
    warnings: [...scan.warnings, ...production.warnings],
  };
};
