/**
 * Credentials for member accounts: one AssumeRole per account per run into the read-only member role,
 * through a regional STS client. The caller's own identity (account, partition) comes from
 * GetCallerIdentity.
 */
import { randomBytes } from 'node:crypto';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  type GetCallerIdentityCommandOutput,
  type STSClient,
} from '@aws-sdk/client-sts';
import { SCAN_DEFAULTS } from '../config/scan-settings.ts';
import { EXTERNAL_ID_RULE, ROLE_NAME_WITH_PATH_RULE, requireId } from '../domain/aws-ids.ts';
import { AwsAdapterError, awsErrorCode, awsErrorMessage } from './aws-error.ts';
import type { AwsCredentials, CredentialsProvider } from './client-factory.ts';

/** The member role key-audit assumes unless told otherwise (deployed by the member-role stack). */
export const DEFAULT_ROLE_NAME = SCAN_DEFAULTS.roleName;

/** Session length: the AssumeRole default, and the maximum for chained roles (Lambda role -> member role). */
export const SESSION_DURATION_SECONDS = 3600;

/** Credentials this close to expiry are renewed before use. */
export const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/** An AssumeRole that failed: `code` is the STS error code (e.g. `AccessDenied`). */
export class AssumeRoleError extends AwsAdapterError {
  override readonly name = 'AssumeRoleError';
  constructor(
    readonly accountId: string,
    readonly roleArn: string,
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Who is running the scan. */
export interface CallerIdentity {
  readonly accountId: string;
  readonly arn: string;
  /** `aws`, `aws-cn`, `aws-us-gov`...: taken from the caller's ARN so role ARNs match it. */
  readonly partition: string;
}

/** GetCallerIdentity failed: the caller has no usable credentials. */
export class CallerIdentityError extends AwsAdapterError {
  override readonly name = 'CallerIdentityError';
}

/** The caller's account, ARN and partition. Throws `CallerIdentityError`. */
export const getCallerIdentity = async (sts: STSClient): Promise<CallerIdentity> => {
  let response: GetCallerIdentityCommandOutput;
  try {
    response = await sts.send(new GetCallerIdentityCommand({}));
  } catch (error) {
    throw new CallerIdentityError(
      awsErrorCode(error),
      `cannot identify the caller (check AWS credentials): ${awsErrorMessage(error)}`,
      { cause: error },
    );
  }
  const { Account: accountId, Arn: arn } = response;
  if (!accountId || !arn) {
    throw new CallerIdentityError('UnexpectedResponse', 'GetCallerIdentity returned no account or ARN');
  }
  return { accountId, arn, partition: arn.split(':')[1] || 'aws' };
};

/** The ARN of `roleName` in `accountId`. */
export const memberRoleArn = (partition: string, accountId: string, roleName: string): string =>
  `arn:${partition}:iam::${accountId}:role/${roleName}`;

/**
 * A RoleSessionName that names key-audit and the run in CloudTrail: `key-audit-<UTC time>-<random>`,
 * within the 64 characters and `[\w+=,.@-]` STS allows.
 */
export const newSessionName = (at: Date, random: string = randomBytes(4).toString('hex')): string =>
  `key-audit-${at.toISOString().replace(/[-:]|\.\d+/g, '')}-${random}`
    .replace(/[^\w+=,.@-]/g, '')
    .slice(0, 64);

/** Returns `roleName` when it is a valid IAM role name (optionally with a path); throws `InputError`. */
export const validateRoleName = (roleName: string): string => requireId(ROLE_NAME_WITH_PATH_RULE, roleName);

/** Returns `externalId` when STS would accept it; throws `InputError` (without echoing the value). */
export const validateExternalId = (externalId: string): string => requireId(EXTERNAL_ID_RULE, externalId);

/** How member roles are assumed. */
export interface RoleSessionOptions {
  /** Partition of the role ARNs. @default 'aws' */
  readonly partition?: string;
  /** Role name, optionally with a path (`path/Name`). @default DEFAULT_ROLE_NAME */
  readonly roleName?: string;
  /** The `sts:ExternalId` the member role's trust policy requires, if any. */
  readonly externalId?: string;
  /** The clock, for the session name and expiry checks. @default () => new Date() */
  readonly now?: () => Date;
  /** @default newSessionName(now()) */
  readonly sessionName?: string;
}

/**
 * AssumeRole sessions, one per account per run: the first request for an account assumes the role and
 * later requests (success or failure) reuse the result, since STS throttles per account too. Credentials
 * are renewed only when about to expire (a scan of a very large account can outlast the 1-hour session).
 */
export class RoleSessions {
  readonly #sts: STSClient;
  readonly #partition: string;
  readonly #roleName: string;
  readonly #externalId: string | undefined;
  readonly #now: () => Date;
  readonly #cache = new Map<string, Promise<AwsCredentials>>();
  /** The RoleSessionName of every session this run opens. */
  readonly sessionName: string;

  /** Throws `InputError` for a malformed role name or external id. */
  constructor(sts: STSClient, options: RoleSessionOptions = {}) {
    this.#sts = sts;
    this.#partition = options.partition ?? 'aws';
    this.#roleName = validateRoleName(options.roleName ?? DEFAULT_ROLE_NAME);
    this.#externalId = options.externalId === undefined ? undefined : validateExternalId(options.externalId);
    this.#now = options.now ?? (() => new Date());
    this.sessionName = options.sessionName ?? newSessionName(this.#now());
  }

  /** The role ARN assumed in `accountId`. */
  roleArn(accountId: string): string {
    return memberRoleArn(this.#partition, accountId, this.#roleName);
  }

  /** Credentials for `accountId`, assuming the role on first use. Rejects with `AssumeRoleError`. */
  credentials(accountId: string): Promise<AwsCredentials> {
    const cached = this.#cache.get(accountId);
    if (cached !== undefined) return cached;
    const fresh = this.#assume(accountId);
    this.#cache.set(accountId, fresh);
    return fresh;
  }

  /** A provider for SDK clients: the cached session, renewed when within minutes of expiry. */
  provider(accountId: string): CredentialsProvider {
    return async () => {
      const current = await this.credentials(accountId);
      const expiresAt = current.expiration?.getTime();
      if (expiresAt !== undefined && expiresAt - this.#now().getTime() < RENEW_BEFORE_EXPIRY_MS) {
        this.#cache.delete(accountId);
        return this.credentials(accountId);
      }
      return current;
    };
  }

  async #assume(accountId: string): Promise<AwsCredentials> {
    const roleArn = this.roleArn(accountId);
    let credentials:
      | { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date }
      | undefined;
    try {
      const response = await this.#sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.sessionName,
          DurationSeconds: SESSION_DURATION_SECONDS,
          ...(this.#externalId === undefined ? {} : { ExternalId: this.#externalId }),
        }),
      );
      credentials = response.Credentials;
    } catch (error) {
      throw new AssumeRoleError(
        accountId,
        roleArn,
        awsErrorCode(error),
        `cannot assume ${roleArn}: ${awsErrorMessage(error)}`,
        {
          cause: error,
        },
      );
    }
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new AssumeRoleError(
        accountId,
        roleArn,
        'UnexpectedResponse',
        `AssumeRole ${roleArn} returned no credentials`,
      );
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken === undefined ? {} : { sessionToken: credentials.SessionToken }),
      ...(credentials.Expiration === undefined ? {} : { expiration: credentials.Expiration }),
    };
  }
}
