/**
 * The Security Hub step of the weekly report job (`securityHub: true`): the report's findings imported into
 * each account through the scan's sessions, those resolved archived (lambda/app/import-findings.ts).
 *
 * Only the report job imports. Security Hub holds the organisation's posture, not pages: the weekly run that
 * reports everything is the one that mirrors it. The import costs a session, a read and imports in every
 * account; on the daily alerts job it would cost that again every day and take from the time the alerts
 * job keeps for its scan. It runs after publishing and saving the memory, so that even an import that runs
 * out of time cannot lose the report or a delivery.
 */

import type { AwsClients } from '../aws/client-factory.ts';
import type { SecurityHubClientFactory } from '../aws/security-hub.ts';
import type { HandlerConfig } from '../config/handler-config.ts';
import type { Report } from '../domain/report.ts';
import { oneLine, plural } from '../domain/wording.ts';
import { partitionOfRegion } from '../present/asff.ts';
import type { ScanResult } from '../scan/scan-accounts.ts';
import { type AccountImport, importReportFindings, type SecurityHubImport } from './import-findings.ts';
import { scanSessions } from './import-sessions.ts';
import type { Job } from './job-event.ts';
import type { JobLogger } from './job-log.ts';
import { type JobMetrics, METRIC } from './job-metrics.ts';

/** The jobs that import into Security Hub when it is on. */
export const SECURITY_HUB_JOBS: readonly Job[] = ['report'];

/** Accounts listed by id in the error of an incomplete import; more are counted. */
export const MAX_ACCOUNTS_NAMED = 10;

/** An import that left findings out: one line naming the accounts (the log has the details). */
export class SecurityHubImportError extends Error {
  override readonly name = 'SecurityHubImportError';
}

/** What the import needs from the job. */
export interface SecurityHubDeps {
  readonly clients: AwsClients;
  readonly securityHub: SecurityHubClientFactory;
  /** The function's region: Security Hub's, and the partition of the role ARNs. */
  readonly region: string;
  readonly logger: JobLogger;
  readonly metrics: JobMetrics;
  /** Waits between retries of failed findings (tests pass a fake). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const incomplete = (account: AccountImport): boolean => account.error !== null || account.failures.length > 0;

/** `111111111111 (AccessDenied: ...)` or `111111111111 (3 findings not imported)`. */
const describeAccount = (account: AccountImport): string =>
  `${account.accountId} (${account.error === null ? `${plural(account.failures.length, 'finding')} not imported` : oneLine(account.error)})`;

/** The error of an import that is not complete, or null when it is. */
export const importError = (result: SecurityHubImport): SecurityHubImportError | null => {
  const failed = result.accounts.filter(incomplete);
  if (failed.length === 0) return null;
  const named = failed.slice(0, MAX_ACCOUNTS_NAMED).map(describeAccount).join(', ');
  const more = failed.length > MAX_ACCOUNTS_NAMED ? ` and ${failed.length - MAX_ACCOUNTS_NAMED} more` : '';
  return new SecurityHubImportError(
    `Security Hub import (${result.region}) incomplete in ${plural(failed.length, 'account')}: ${named}${more}`,
  );
};

/**
 * Imports `report` into Security Hub through the sessions `scan` used, logs the outcome and counts the
 * accounts not fully imported (metric `SecurityHubAccountsFailed`). Returns the SecurityHubImportError of
 * an incomplete import (the job throws it once everything else is done), or null.
 */
export const importReportJob = async (
  report: Report,
  scan: Pick<ScanResult, 'ownCredentialAccounts'>,
  config: Pick<HandlerConfig, 'targets' | 'roleName' | 'externalId'>,
  deps: SecurityHubDeps,
): Promise<SecurityHubImportError | null> => {
  const result = await importReportFindings(report, {
    region: deps.region,
    clients: deps.securityHub,
    credentials: scanSessions({
      sts: () => deps.clients.sts(),
      partition: partitionOfRegion(deps.region),
      roleName: config.roleName,
      ...(config.externalId === undefined ? {} : { externalId: config.externalId }),
      ownAccountOnly: config.targets.kind === 'caller',
      ownCredentialAccounts: scan.ownCredentialAccounts,
    }),
    ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
  });
  const failed = result.accounts.filter(incomplete);
  deps.metrics.addMetric(METRIC.securityHubAccountsFailed, 'Count', failed.length);
  const fields = {
    job: 'report',
    region: result.region,
    accounts: result.accounts.length,
    imported: result.accounts.reduce((sum, a) => sum + a.imported, 0),
    archived: result.accounts.reduce((sum, a) => sum + a.archived, 0),
    unresolvedAccounts: result.accounts.filter((a) => !a.resolved).map((a) => a.accountId),
  };
  const error = importError(result);
  if (error === null) deps.logger.info('security hub import complete', fields);
  else {
    deps.logger.error('security hub import incomplete', {
      ...fields,
      failedAccounts: failed.map((a) => ({
        accountId: a.accountId,
        error: a.error,
        failures: a.failures.map((f) => ({ id: f.id, code: f.code, message: f.message })),
      })),
    });
  }
  return error;
};
