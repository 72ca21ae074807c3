/**
 * Importing a report into AWS Security Hub, as the CLI (`--publish-securityhub`) and the Lambda
 * (`securityHub: true`) both do it. With the default product, Security Hub accepts a finding only from the
 * account its `AwsAccountId` names, so each account's findings go in through that account's own session
 * (the member role, or the caller's credentials for its own account); the administrator account aggregates
 * them as usual.
 *
 * Resolving: key-audit keeps no history, so it asks Security Hub. In every account SCANNED in this run, the
 * ACTIVE findings key-audit imported earlier (same product, `key-audit/` generator) that this report no
 * longer has are archived: the key was rotated, deactivated or deleted, the exemption changed, the
 * account became reachable again. An account that could not be scanned keeps its findings as they were
 * (only its `account-unreachable` finding is sent): not seeing a key is not proof that it is gone.
 *
 * One account's failure never stops the others; it is reported per account, and the import is incomplete.
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { AwsAdapterError } from '../aws/aws-error.ts';
import { boundedMap } from '../aws/bounded-map.ts';
import type { CredentialsProvider } from '../aws/client-factory.ts';
import {
  archivedCopy,
  type ImportFailure,
  type ImportOptions,
  importFindings,
  listOwnFindings,
  type SecurityHubClientFactory,
} from '../aws/security-hub.ts';
import type { Report } from '../domain/report.ts';
import {
  type AsffFinding,
  type AsffPartition,
  partitionOfRegion,
  productArn,
  toAsffFinding,
} from '../present/asff.ts';

/** Accounts imported at a time (Security Hub throttles per account, like IAM). */
export const DEFAULT_IMPORT_CONCURRENCY = 4;

/** Where and how to import. */
export interface SecurityHubImportOptions extends ImportOptions {
  /** The Security Hub region. */
  readonly region: string;
  /** @default partitionOfRegion(region) */
  readonly partition?: AsffPartition;
  readonly clients: SecurityHubClientFactory;
  /**
   * The session to import with in an account: its role's credentials, or undefined for the caller's own.
   * Rejects with an `AwsAdapterError` (e.g. `AssumeRoleError`) when the account cannot be reached.
   */
  readonly credentials: (accountId: string) => Promise<CredentialsProvider | undefined>;
  /** @default DEFAULT_IMPORT_CONCURRENCY */
  readonly concurrency?: number;
}

/** What the import did in one account. */
export interface AccountImport {
  readonly accountId: string;
  /** Findings of this report accepted by Security Hub (created or updated). */
  readonly imported: number;
  /** Findings imported earlier and no longer reported, now ARCHIVED. */
  readonly archived: number;
  /** False for an account the scan could not read: nothing of it was archived. */
  readonly resolved: boolean;
  /** Findings Security Hub did not accept after retries. */
  readonly failures: readonly ImportFailure[];
  /** `code: message` when the account failed as a whole (no session, access denied...); else null. */
  readonly error: string | null;
}

/** What the import did. */
export interface SecurityHubImport {
  readonly region: string;
  /** In the order of the report's accounts. */
  readonly accounts: readonly AccountImport[];
  /** True when every finding of every account was accepted. */
  readonly complete: boolean;
}

/** A finding without `Workflow`: Security Hub takes it only when it creates a finding. */
const withoutWorkflow = ({ Workflow: _workflow, ...rest }: AsffFinding): AsffFinding => rest;

/** The accounts to import into: the report's, then any other account a finding names. */
const accountsOf = (report: Report): { accountId: string; scanned: boolean }[] => {
  const accounts = report.accounts.map((a) => ({ accountId: a.accountId, scanned: a.status === 'scanned' }));
  const known = new Set(accounts.map((a) => a.accountId));
  for (const finding of report.findings) {
    if (!known.has(finding.accountId)) {
      known.add(finding.accountId);
      accounts.push({ accountId: finding.accountId, scanned: false });
    }
  }
  return accounts;
};

/** Imports `report`'s findings into Security Hub, account by account, and archives what was resolved. */
export const importReportFindings = async (
  report: Report,
  options: SecurityHubImportOptions,
): Promise<SecurityHubImport> => {
  const partition = options.partition ?? partitionOfRegion(options.region);
  const asffOptions = { region: options.region, partition };
  const importOptions: ImportOptions = {
    ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  };

  const importAccount = async ({
    accountId,
    scanned,
  }: {
    accountId: string;
    scanned: boolean;
  }): Promise<AccountImport> => {
    const current = report.findings
      .filter((f) => f.accountId === accountId)
      .map((f) => toAsffFinding(f, report.asOf, asffOptions));
    const outcome = { accountId, resolved: scanned };
    try {
      const client = options.clients(accountId, await options.credentials(accountId));
      const earlier = scanned
        ? await listOwnFindings(client, {
            productArn: productArn(partition, options.region, accountId),
            accountId,
          })
        : [];
      const earlierIds = new Set(earlier.map((f) => f.Id));
      const currentIds = new Set(current.map((f) => f.Id));
      const toImport: AwsSecurityFinding[] = current.map((f) =>
        earlierIds.has(f.Id) ? withoutWorkflow(f) : f,
      );
      const toArchive = earlier
        .filter((f) => !currentIds.has(f.Id ?? ''))
        .map((f) => archivedCopy(f, report.asOf));
      const result = await importFindings(client, [...toImport, ...toArchive], importOptions);
      const accepted = new Set(result.imported);
      return {
        ...outcome,
        imported: current.filter((f) => accepted.has(f.Id)).length,
        archived: toArchive.filter((f) => accepted.has(f.Id ?? '')).length,
        failures: result.failures,
        error: null,
      };
    } catch (error) {
      if (!(error instanceof AwsAdapterError)) throw error;
      return { ...outcome, imported: 0, archived: 0, failures: [], error: `${error.code}: ${error.message}` };
    }
  };

  const accounts = await boundedMap(
    accountsOf(report),
    options.concurrency ?? DEFAULT_IMPORT_CONCURRENCY,
    importAccount,
  );
  return {
    region: options.region,
    accounts,
    complete: accounts.every((a) => a.error === null && a.failures.length === 0),
  };
};
