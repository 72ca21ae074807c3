/**
 * `--publish-securityhub`: the Lambda's Security Hub import, from a terminal. Announced on stderr before it
 * starts, summarised after; stdout keeps the rendering. The Security Hub SDK is loaded only with the flag.
 */
import type { AccountImport, SecurityHubImport } from '../../lambda/app/import-findings.ts';
import type { CredentialsProvider } from '../../lambda/aws/client-factory.ts';
import type { SecurityHubClientFactory } from '../../lambda/aws/security-hub.ts';
import type { Report } from '../../lambda/domain/report.ts';
import { oneLine } from '../../lambda/domain/wording.ts';
import type { InputSelection } from './parse-args.ts';
import type { ProgressStream } from './progress.ts';

/** Accounts listed by id in the announcement; more are counted. */
export const MAX_ACCOUNTS_LISTED = 10;

/** What importing from the CLI uses; tests inject clients and sessions. */
export interface CliSecurityHubDeps {
  /** @default AWS_REGION, else us-east-1 (as every other client) */
  readonly region?: string;
  /** @default real Security Hub clients (endpoint and credentials from the environment) */
  readonly clients?: SecurityHubClientFactory;
  /** @default the scan's sessions: the member role in each account, own credentials where the scan used them */
  readonly credentials?: (accountId: string) => Promise<CredentialsProvider | undefined>;
  /** Waits between retries of failed findings. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const s = (count: number): string => (count === 1 ? '' : 's');

/** The line announcing the import. */
export const describeImportStart = (report: Report, region: string): string => {
  const accounts = [
    ...new Set([...report.accounts.map((a) => a.accountId), ...report.findings.map((f) => f.accountId)]),
  ];
  const where =
    accounts.length <= MAX_ACCOUNTS_LISTED
      ? `account${s(accounts.length)} ${accounts.join(', ')}`
      : `${accounts.length} accounts`;
  const count = report.findings.length;
  return `key-audit: importing ${count} finding${s(count)} into Security Hub (${region}) in ${where}\n`;
};

const describeAccountFailure = (account: AccountImport): string | null => {
  if (account.error !== null)
    return `key-audit: Security Hub ${account.accountId}: not imported: ${oneLine(account.error)}\n`;
  if (account.failures.length === 0) return null;
  const reasons = account.failures.map((f) => oneLine(`${f.id}: ${f.code}: ${f.message}`)).join('; ');
  return `key-audit: Security Hub ${account.accountId}: ${account.failures.length} finding${s(account.failures.length)} not imported: ${reasons}\n`;
};

/** The lines summarising an import: one per account with a failure, then the totals. */
export const describeImport = (result: SecurityHubImport): string => {
  const failures = result.accounts
    .map(describeAccountFailure)
    .filter((line): line is string => line !== null);
  const imported = result.accounts.reduce((sum, a) => sum + a.imported, 0);
  const archived = result.accounts.reduce((sum, a) => sum + a.archived, 0);
  const failed = result.accounts.filter((a) => a.error !== null || a.failures.length > 0).length;
  const unresolved = result.accounts.filter((a) => !a.resolved).length;
  const total = result.accounts.length;
  const parts = [
    `key-audit: Security Hub: ${imported} finding${s(imported)} imported, ${archived} archived in ${total} account${s(total)}`,
    ...(failed > 0 ? [`${failed} account${s(failed)} incomplete`] : []),
    ...(unresolved > 0
      ? [`nothing archived in ${unresolved} account${s(unresolved)} that could not be scanned`]
      : []),
  ];
  return `${failures.join('')}${parts.join('; ')}\n`;
};

/** The scan's sessions again (lambda/app/import-sessions.ts, as the Lambda's): own credentials or the member role. */
const cliScanSessions = async (
  input: Extract<InputSelection, { kind: 'live' }>,
  region: string,
  profile: string | undefined,
  ownCredentialAccounts: readonly string[],
): Promise<(accountId: string) => Promise<CredentialsProvider | undefined>> => {
  const [{ createAwsClients }, { scanSessions }, { partitionOfRegion }] = await Promise.all([
    import('../../lambda/aws/client-factory.ts'),
    import('../../lambda/app/import-sessions.ts'),
    import('../../lambda/present/asff.ts'),
  ]);
  return scanSessions({
    sts: () => createAwsClients({ region, ...(profile === undefined ? {} : { profile }) }).sts(),
    partition: partitionOfRegion(region),
    roleName: input.roleName,
    ...(input.externalId === undefined ? {} : { externalId: input.externalId }),
    ownAccountOnly: input.accounts.mode === 'self',
    ownCredentialAccounts,
  });
};

/**
 * Imports `report` into Security Hub when `--publish-securityhub` is given; returns false when an account
 * or a finding was not imported (the CLI then exits 3), true otherwise (or without the flag).
 */
export const importFromCli = async (
  command: {
    readonly publishSecurityHub: boolean;
    readonly input: InputSelection;
    readonly profile?: string;
    readonly region?: string;
  },
  report: Report,
  ownCredentialAccounts: readonly string[],
  stderr: ProgressStream,
  deps: CliSecurityHubDeps = {},
): Promise<boolean> => {
  if (!command.publishSecurityHub || command.input.kind !== 'live') return true;
  const [{ importReportFindings }, { createSecurityHubClientFactory }, { resolveRegion }] = await Promise.all(
    [
      import('../../lambda/app/import-findings.ts'),
      import('../../lambda/aws/security-hub.ts'),
      import('../../lambda/aws/client-factory.ts'),
    ],
  );
  const region = deps.region ?? resolveRegion(command.region);
  const { profile } = command;
  stderr.write(describeImportStart(report, region));
  const result = await importReportFindings(report, {
    region,
    clients:
      deps.clients ??
      createSecurityHubClientFactory({ region, ...(profile === undefined ? {} : { profile }) }),
    credentials:
      deps.credentials ?? (await cliScanSessions(command.input, region, profile, ownCredentialAccounts)),
    ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
  });
  stderr.write(describeImport(result));
  return result.complete;
};
