/**
 * Builds the AWS SDK clients key-audit uses. Configuration beyond region and retries is left to the SDK's
 * standard chain (AWS_PROFILE, AWS_ENDPOINT_URL, credential providers), so the tool behaves like the AWS
 * CLI in the same shell and tests can point it at moto with environment variables alone.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * Attempts per call, retries included. IAM and STS throttle per account with unpublished bucket sizes,
 * so a scan of a large account needs more patience than the SDK default of 3.
 */
export const DEFAULT_MAX_ATTEMPTS = 10;

/** Region used when neither an option nor AWS_REGION names one: IAM is global, STS answers everywhere. */
export const DEFAULT_REGION = 'us-east-1';

/** Static AWS credentials (structurally the SDK's `AwsCredentialIdentity`). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** A function the SDK calls for credentials before signing (structurally `AwsCredentialIdentityProvider`). */
export type CredentialsProvider = () => Promise<AwsCredentials>;

/** One line of call statistics: how often an operation was called for an account. */
export interface CallStats {
  readonly accountId: string;
  /** The SDK command name without `Command`, e.g. `ListAccessKeys`. */
  readonly operation: string;
  /** Logical calls (one per `client.send`). */
  readonly calls: number;
  /** HTTP attempts, retries included; `attempts - calls` is the number of retries. */
  readonly attempts: number;
}

/** The label used for calls that are not about one account (STS caller identity, Organizations). */
export const NO_ACCOUNT = '-';

/**
 * Counts AWS calls per account and operation, for `--stats` and the benchmark. Attach it to a client with
 * `attach`; counting happens in SDK middleware, so it sees retries (clients mocked at `send` bypass it).
 */
export class CallCounter {
  readonly #counts = new Map<
    string,
    { accountId: string; operation: string; calls: number; attempts: number }
  >();

  #entry(accountId: string, operation: string) {
    const key = `${accountId}\u0000${operation}`;
    let entry = this.#counts.get(key);
    if (entry === undefined) {
      entry = { accountId, operation, calls: 0, attempts: 0 };
      this.#counts.set(key, entry);
    }
    return entry;
  }

  /** Records one logical call. */
  recordCall(accountId: string, operation: string): void {
    this.#entry(accountId, operation).calls += 1;
  }

  /** Records one HTTP attempt (the first try or a retry). */
  recordAttempt(accountId: string, operation: string): void {
    this.#entry(accountId, operation).attempts += 1;
  }

  /** Adds counting middleware to `client`; calls are labelled with `accountId`. */
  attach(client: IAMClient | STSClient | OrganizationsClient, accountId: string): void {
    const operationOf = (context: { commandName?: string }): string =>
      (context.commandName ?? 'Unknown').replace(/Command$/, '');
    // The initialize step runs once per send(); the deserialize step sits inside the retry loop of the
    // finalizeRequest step, so it runs once per attempt.
    (client as IAMClient).middlewareStack.add(
      (next, context) => async (args) => {
        this.recordCall(accountId, operationOf(context));
        return next(args);
      },
      { step: 'initialize', name: 'keyAuditCallCounter' },
    );
    (client as IAMClient).middlewareStack.add(
      (next, context) => async (args) => {
        this.recordAttempt(accountId, operationOf(context));
        return next(args);
      },
      { step: 'deserialize', name: 'keyAuditAttemptCounter' },
    );
  }

  /** Every count, sorted by account then operation. */
  stats(): CallStats[] {
    return [...this.#counts.values()]
      .map((entry) => ({ ...entry }))
      .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.operation.localeCompare(b.operation));
  }

  /** Totals over every account, or over one. */
  totals(accountId?: string): { readonly calls: number; readonly attempts: number } {
    let calls = 0;
    let attempts = 0;
    for (const entry of this.#counts.values()) {
      if (accountId !== undefined && entry.accountId !== accountId) continue;
      calls += entry.calls;
      attempts += entry.attempts;
    }
    return { calls, attempts };
  }
}

/** Settings shared by every client. */
export interface ClientFactoryOptions {
  /** Region for STS and Organizations (and IAM's signing). @default AWS_REGION, else `us-east-1` */
  readonly region?: string;
  /** Shared-config profile the SDK loads credentials from (`--profile`). @default AWS_PROFILE, else the default chain */
  readonly profile?: string;
  /** @default DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** Counts calls when given. */
  readonly callCounter?: CallCounter;
  /** Where AWS_REGION is read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The clients a scan needs. Tests inject their own (e.g. mocked with aws-sdk-client-mock). */
export interface AwsClients {
  /** An IAM client for `accountId`, with role credentials or (when undefined) the caller's own. */
  iam(accountId: string, credentials?: CredentialsProvider): IAMClient;
  /** The STS client with the caller's own credentials (AssumeRole, GetCallerIdentity). */
  sts(): STSClient;
  /** The Organizations client with the caller's own credentials. */
  organizations(): OrganizationsClient;
}

/** The region key-audit's clients use: the option, else AWS_REGION, else `us-east-1`. */
export const resolveRegion = (
  region: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string => region || env.AWS_REGION || DEFAULT_REGION;

/**
 * The standard client configuration: explicit region (SDK v3 STS is regional; without one, credential
 * provider calls can drift to us-east-1), standard retry mode with raised `maxAttempts`.
 */
export const clientConfig = (options: ClientFactoryOptions = {}) => ({
  region: resolveRegion(options.region, options.env),
  maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  retryMode: 'standard' as const,
  ...(options.profile === undefined ? {} : { profile: options.profile }),
});

/** Real SDK clients: one STS and one Organizations client per factory, a new IAM client per call. */
export const createAwsClients = (options: ClientFactoryOptions = {}): AwsClients => {
  const config = clientConfig(options);
  const counter = options.callCounter;
  let sts: STSClient | undefined;
  let organizations: OrganizationsClient | undefined;
  return {
    iam(accountId, credentials) {
      const client = new IAMClient(credentials === undefined ? config : { ...config, credentials });
      counter?.attach(client, accountId);
      return client;
    },
    sts() {
      if (sts === undefined) {
        sts = new STSClient(config);
        counter?.attach(sts, NO_ACCOUNT);
      }
      return sts;
    },
    organizations() {
      if (organizations === undefined) {
        organizations = new OrganizationsClient(config);
        counter?.attach(organizations, NO_ACCOUNT);
      }
      return organizations;
    },
  };
};
