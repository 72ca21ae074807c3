/**
 * AWS Security Hub: importing findings (`BatchImportFindings`, at most 100 per call, failures reported per
 * finding rather than as an error) and reading back what key-audit imported earlier (`GetFindings`), so that
 * findings it no longer reports can be archived. Clients are injected; SDK errors become
 * `SecurityHubError`s carrying the AWS error code.
 */
import {
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  BatchImportFindingsCommand,
  type BatchImportFindingsCommandOutput,
  GetFindingsCommand,
  type GetFindingsCommandOutput,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { GENERATOR_PREFIX } from '../present/asff.ts';
import { AwsAdapterError, awsErrorCode, awsErrorMessage } from './aws-error.ts';
import { type ClientFactoryOptions, type CredentialsProvider, clientConfig } from './client-factory.ts';

/**
 * What the member role needs, only when importing into Security Hub is enabled, and why. Nothing else (no
 * BatchUpdateFindings: key-audit never touches a finding's workflow after creating it).
 */
export const SECURITY_HUB_IMPORT_PERMISSIONS: Readonly<Record<string, string>> = {
  'securityhub:BatchImportFindings': "import the account's own findings, and archive those resolved",
  'securityhub:GetFindings': "read back key-audit's active findings, to find those no longer reported",
};

/** The actions of `SECURITY_HUB_IMPORT_PERMISSIONS`, for the member role's policy statement. */
export const SECURITY_HUB_IMPORT_ACTIONS: readonly string[] = Object.keys(SECURITY_HUB_IMPORT_PERMISSIONS);

/** Why the statement of `SECURITY_HUB_IMPORT_ACTIONS` has `Resource: *`, for a cdk-nag acknowledgement. */
export const SECURITY_HUB_WILDCARD_REASON =
  'securityhub:GetFindings has no resource type, and BatchImportFindings only accepts findings of the ' +
  'caller\'s own account (AwsAccountId) into its default product, so Resource "*" grants no more than the ' +
  "account's own findings.";

/** Findings per `BatchImportFindings` call (a Security Hub limit). */
export const MAX_IMPORT_BATCH = 100;

/** Tries per finding that Security Hub reports as failed (the first import included). */
export const DEFAULT_IMPORT_ATTEMPTS = 3;

/** Findings per `GetFindings` page (the largest Security Hub allows). */
export const GET_FINDINGS_PAGE = 100;

/** A Security Hub call that failed after the SDK's retries. */
export class SecurityHubError extends AwsAdapterError {
  override readonly name = 'SecurityHubError';
}

/** A finding Security Hub did not accept, after every try. */
export interface ImportFailure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/** What one import did. */
export interface ImportResult {
  /** Ids Security Hub accepted. */
  readonly imported: readonly string[];
  readonly failures: readonly ImportFailure[];
}

/** Security Hub clients for an account: its role session, or the caller's own credentials (undefined). */
export type SecurityHubClientFactory = (
  accountId: string,
  credentials?: CredentialsProvider,
) => SecurityHubClient;

/** Real clients in `options.region` with key-audit's retry configuration, a new one per account. */
export const createSecurityHubClientFactory =
  (options: ClientFactoryOptions = {}): SecurityHubClientFactory =>
  (_accountId, credentials) => {
    const config = clientConfig(options);
    return new SecurityHubClient(credentials === undefined ? config : { ...config, credentials });
  };

const wrap = (operation: string, error: unknown): SecurityHubError =>
  new SecurityHubError(awsErrorCode(error), `Security Hub ${operation} failed: ${awsErrorMessage(error)}`, {
    cause: error,
  });

/** `items` in slices of at most `size`. */
const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How imports retry the findings Security Hub reports as failed. */
export interface ImportOptions {
  /** @default DEFAULT_IMPORT_ATTEMPTS */
  readonly attempts?: number;
  /** Waits between tries (1 s, then 2 s...); tests pass a fake. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Imports `findings` in batches of `MAX_IMPORT_BATCH`. Findings reported in `FailedFindings` are sent
 * again, up to `attempts` tries in all; those still failing are returned with Security Hub's reason.
 * @throws SecurityHubError when a call fails as a whole (access denied, Security Hub not enabled...).
 */
export const importFindings = async (
  client: SecurityHubClient,
  findings: readonly AwsSecurityFinding[],
  options: ImportOptions = {},
): Promise<ImportResult> => {
  const attempts = options.attempts ?? DEFAULT_IMPORT_ATTEMPTS;
  const sleep = options.sleep ?? defaultSleep;
  const imported: string[] = [];
  let pending = [...findings];
  let failures: ImportFailure[] = [];
  for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt += 1) {
    if (attempt > 1) await sleep(1000 * (attempt - 1));
    failures = [];
    const retry: AwsSecurityFinding[] = [];
    for (const batch of chunks(pending, MAX_IMPORT_BATCH)) {
      let response: BatchImportFindingsCommandOutput;
      try {
        response = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
      } catch (error) {
        throw wrap('BatchImportFindings', error);
      }
      const failed = new Map((response.FailedFindings ?? []).map((f) => [f.Id ?? '', f]));
      for (const finding of batch) {
        const failure = failed.get(finding.Id ?? '');
        if (failure === undefined) {
          imported.push(finding.Id ?? '');
        } else {
          retry.push(finding);
          failures.push({
            id: finding.Id ?? '',
            code: failure.ErrorCode ?? 'UnknownError',
            message: failure.ErrorMessage ?? 'no reason given',
          });
        }
      }
    }
    pending = retry;
  }
  return { imported, failures };
};

/** Which findings of an account are key-audit's. */
export interface OwnFindingsQuery {
  readonly productArn: string;
  readonly accountId: string;
}

/** The `GetFindings` filter for the ACTIVE findings key-audit imported into `query`'s account. */
export const ownFindingsFilter = (query: OwnFindingsQuery): AwsSecurityFindingFilters => ({
  ProductArn: [{ Value: query.productArn, Comparison: 'EQUALS' }],
  AwsAccountId: [{ Value: query.accountId, Comparison: 'EQUALS' }],
  GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
  RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
});

/**
 * Every ACTIVE finding key-audit imported into an account, all pages. The filter is also applied to the
 * answer, so a Security Hub (or emulator) that ignores part of it can never make key-audit archive a finding
 * of another product.
 * @throws SecurityHubError
 */
export const listOwnFindings = async (
  client: SecurityHubClient,
  query: OwnFindingsQuery,
): Promise<AwsSecurityFinding[]> => {
  const found: AwsSecurityFinding[] = [];
  let nextToken: string | undefined;
  do {
    let page: GetFindingsCommandOutput;
    try {
      page = await client.send(
        new GetFindingsCommand({
          Filters: ownFindingsFilter(query),
          MaxResults: GET_FINDINGS_PAGE,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
    } catch (error) {
      throw wrap('GetFindings', error);
    }
    found.push(...(page.Findings ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken !== undefined);
  return found.filter(
    (f) =>
      f.ProductArn === query.productArn &&
      f.AwsAccountId === query.accountId &&
      (f.GeneratorId ?? '').startsWith(GENERATOR_PREFIX) &&
      (f.RecordState ?? 'ACTIVE') === 'ACTIVE',
  );
};

/**
 * Fields a provider must not send back: the customer's investigation (`Workflow`, `Note`...), which
 * `BatchImportFindings` cannot change after creation, and what Security Hub itself maintains.
 */
const NOT_RESENT: readonly (keyof AwsSecurityFinding)[] = [
  'Workflow',
  'WorkflowState',
  'Note',
  'UserDefinedFields',
  'VerificationState',
  'ProcessedAt',
];

/**
 * `finding` (as `GetFindings` returned it) marked ARCHIVED at `at`: how a provider tells Security Hub that
 * a finding no longer applies. `aws/` product fields, which Security Hub adds itself, are left out.
 */
export const archivedCopy = (finding: AwsSecurityFinding, at: Date): AwsSecurityFinding => {
  const copy: AwsSecurityFinding = { ...finding, RecordState: 'ARCHIVED', UpdatedAt: at.toISOString() };
  for (const key of NOT_RESENT) delete copy[key];
  if (copy.ProductFields !== undefined) {
    copy.ProductFields = Object.fromEntries(
      Object.entries(copy.ProductFields).filter(([name]) => !name.startsWith('aws/')),
    );
  }
  return copy;
};
