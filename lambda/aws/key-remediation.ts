/**
 * Enforcement's hands: deactivating (`UpdateAccessKey Status=Inactive`) and deleting (`DeleteAccessKey`)
 * exactly one key id of one user, through the remediation role of the member account. Right before acting,
 * the key is read again (ListAccessKeys, GetAccessKeyLastUsed) and the action is refused when the key is
 * gone, already in the target state, or used since the plan read it: the last-moment check.
 */
import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  type IAMClient,
  paginateListAccessKeys,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { ENFORCEMENT_DEFAULTS } from '../config/enforcement-settings.ts';
import type { PlannedAction } from '../domain/enforcement/plan.ts';
import type { EnforcementMode } from '../domain/enforcement/policy.ts';
import type { ActionOutcome } from '../domain/enforcement/record.ts';
import { ROOT_USER_NAME } from '../domain/finding-id.ts';
import type { EnforcementActionType } from '../domain/memory.ts';
import { formatDate } from '../domain/wording.ts';
import { AwsAdapterError, awsErrorCode, awsErrorMessage, hasAwsErrorCode } from './aws-error.ts';

/** The role enforcement assumes in member accounts (deployed only when enforcement is in `apply` mode). */
export const DEFAULT_REMEDIATION_ROLE_NAME = ENFORCEMENT_DEFAULTS.remediationRoleName;

/** An IAM call of enforcement failed (after the SDK's retries). */
export class RemediationError extends AwsAdapterError {
  override readonly name = 'RemediationError';
  constructor(
    readonly accountId: string,
    readonly accessKeyId: string,
    readonly operation: string,
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/**
 * The clients of one member account: `read` (the read-only role) for the last-moment check, `write` (the
 * remediation role, allowed only to change keys) for the action. They may be the same client.
 */
export interface KeyClients {
  readonly read: IAMClient;
  readonly write: IAMClient;
}

/** The key to act on and its last use as the plan saw it. */
export interface KeyTarget {
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId: string;
  /** Null: never used. */
  readonly lastUsedAt: Date | null;
}

/** What happened: `done`, or `skipped` with the reason the last-moment check refused. */
export interface RemediationResult {
  readonly status: 'done' | 'skipped';
  readonly reason: string;
}

/** Thrown inside this module when the user or key vanished; never escapes. */
class Gone extends Error {}

const call = async <T>(target: KeyTarget, operation: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    // Credentials that could not be had (AssumeRoleError) are already a domain error.
    if (error instanceof AwsAdapterError) throw error;
    if (hasAwsErrorCode(error, 'NoSuchEntityException', 'NoSuchEntity')) throw new Gone(operation);
    throw new RemediationError(
      target.accountId,
      target.accessKeyId,
      operation,
      awsErrorCode(error),
      `IAM ${operation} for key ${target.accessKeyId} of ${target.userName} in account ${target.accountId} ` +
        `failed: ${awsErrorMessage(error)}`,
      { cause: error },
    );
  }
};

/** The key's status and last use now, or null when the user or the key no longer exists. */
const readKeyNow = async (
  iam: IAMClient,
  target: KeyTarget,
): Promise<{ status: string | undefined; lastUsedAt: Date | null } | null> => {
  try {
    const listed = await call(target, 'ListAccessKeys', async () => {
      for await (const page of paginateListAccessKeys(
        { client: iam, stopOnSameToken: true },
        { UserName: target.userName },
      )) {
        const found = page.AccessKeyMetadata?.find((key) => key.AccessKeyId === target.accessKeyId);
        if (found !== undefined) return found;
      }
      return undefined;
    });
    if (listed === undefined) return null;
    const { AccessKeyLastUsed: lastUsed } = await call(target, 'GetAccessKeyLastUsed', () =>
      iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: target.accessKeyId })),
    );
    return { status: listed.Status, lastUsedAt: lastUsed?.LastUsedDate ?? null };
  } catch (error) {
    if (error instanceof Gone) return null;
    throw error;
  }
};

const NO_LONGER_EXISTS: RemediationResult = { status: 'skipped', reason: 'key no longer exists' };

/** The last-moment check: null when the action may go ahead, else why not. */
const refusal = async (
  iam: IAMClient,
  target: KeyTarget,
  type: EnforcementActionType,
): Promise<RemediationResult | null> => {
  if (target.userName === ROOT_USER_NAME) {
    return { status: 'skipped', reason: 'root user keys are never changed by key-audit' };
  }
  const now = await readKeyNow(iam, target);
  if (now === null) return NO_LONGER_EXISTS;
  const expected = type === 'deactivate' ? 'Active' : 'Inactive';
  if (now.status !== expected) {
    return { status: 'skipped', reason: `key is ${now.status ?? 'of unknown status'}, not ${expected}, now` };
  }
  if ((now.lastUsedAt?.getTime() ?? null) !== (target.lastUsedAt?.getTime() ?? null)) {
    const seen = target.lastUsedAt === null ? 'never used' : `last used ${target.lastUsedAt.toISOString()}`;
    const current = now.lastUsedAt === null ? 'no last use' : `last used ${now.lastUsedAt.toISOString()}`;
    return { status: 'skipped', reason: `key used since it was read (${seen} then, ${current} now)` };
  }
  return null;
};

const act = async (
  clients: KeyClients,
  target: KeyTarget,
  type: EnforcementActionType,
): Promise<RemediationResult> => {
  const refused = await refusal(clients.read, target, type);
  if (refused !== null) return refused;
  try {
    if (type === 'deactivate') {
      await call(target, 'UpdateAccessKey', () =>
        clients.write.send(
          new UpdateAccessKeyCommand({
            UserName: target.userName,
            AccessKeyId: target.accessKeyId,
            Status: 'Inactive',
          }),
        ),
      );
    } else {
      await call(target, 'DeleteAccessKey', () =>
        clients.write.send(
          new DeleteAccessKeyCommand({ UserName: target.userName, AccessKeyId: target.accessKeyId }),
        ),
      );
    }
  } catch (error) {
    if (error instanceof Gone) return NO_LONGER_EXISTS;
    throw error;
  }
  return { status: 'done', reason: type === 'deactivate' ? 'deactivated' : 'deleted' };
};

/**
 * Deactivates `target` (UpdateAccessKey Status=Inactive) unless the last-moment check refuses: the key is
 * gone, not active, or its last use differs from `target.lastUsedAt`. Throws `RemediationError`.
 */
export const deactivateKey = (clients: KeyClients, target: KeyTarget): Promise<RemediationResult> =>
  act(clients, target, 'deactivate');

/**
 * Deletes `target` (DeleteAccessKey) unless the last-moment check refuses: the key is gone, not inactive,
 * or its last use differs from `target.lastUsedAt`. Throws `RemediationError`.
 */
export const deleteKey = (clients: KeyClients, target: KeyTarget): Promise<RemediationResult> =>
  act(clients, target, 'delete');

/** Options of `applyActions`. */
export interface ApplyOptions {
  /** Only `apply` changes keys; otherwise every action comes back as it was planned. */
  readonly mode: EnforcementMode;
}

/**
 * Applies the plan's `planned` actions, one at a time in the plan's order (most overdue first), in `apply`
 * mode; skipped actions and every action in other modes come back unchanged. An AWS failure (including an
 * AssumeRole of the remediation role that failed) makes that action `failed` and its notice stays in force
 * for the next run, as does an account `clientsFor` has no clients for; anything else is a bug and
 * propagates.
 */
export const applyActions = async (
  actions: readonly PlannedAction[],
  clientsFor: (accountId: string) => KeyClients | undefined,
  options: ApplyOptions,
): Promise<ActionOutcome[]> => {
  const outcomes: ActionOutcome[] = [];
  for (const action of actions) {
    if (options.mode !== 'apply' || action.status !== 'planned' || action.accessKeyId === null) {
      outcomes.push(action);
      continue;
    }
    const target: KeyTarget = {
      accountId: action.accountId,
      userName: action.userName,
      accessKeyId: action.accessKeyId,
      lastUsedAt: action.lastUsedAt,
    };
    const clients = clientsFor(action.accountId);
    if (clients === undefined) {
      outcomes.push({
        ...action,
        status: 'failed',
        reason: `no credentials to change keys in account ${action.accountId}`,
        keepsNotice: true,
      });
      continue;
    }
    try {
      const result =
        action.type === 'deactivate'
          ? await deactivateKey(clients, target)
          : await deleteKey(clients, target);
      outcomes.push({
        ...action,
        status: result.status,
        reason:
          result.status === 'done'
            ? `${result.reason} (due ${formatDate(action.dueAt)}): ${action.reason}`
            : `${result.reason}: not ${action.type === 'deactivate' ? 'deactivated' : 'deleted'}`,
        keepsNotice: false,
      });
    } catch (error) {
      if (!(error instanceof AwsAdapterError)) throw error;
      outcomes.push({ ...action, status: 'failed', reason: error.message, keepsNotice: true });
    }
  }
  return outcomes;
};
