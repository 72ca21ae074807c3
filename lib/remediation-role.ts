/**
 * The remediation role enforcement assumes in member accounts, beside the read-only role: it can change
 * the status of IAM users' access keys and, only when deletion is enabled, delete them. Nothing else: the
 * last-moment check reads through the read-only role. IAM cannot pin an access key id in a policy, so this
 * permission lives in a role of its own, deployed only when enforcement is in `apply` mode.
 */
import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DEFAULT_CONFIG, type KeyAuditConfig } from './config.ts';
import { acknowledgeNag } from './nag.ts';
import { literal, validateWithConfiguration } from './prop-validation.ts';
import { scannerRoleArn as defaultScannerRoleArn } from './scanner-role-arn.ts';
import { scannerTrustPrincipal } from './scanner-trust.ts';

/** True when enforcement acts on keys, so the remediation roles are deployed and assumed. */
export const enforcementApplies = (config: Pick<KeyAuditConfig, 'enforcement'>): boolean =>
  config.enforcement.mode === 'apply';

/** True when enforcement may delete keys (`enforcement.deleteAfterDays` is set). */
export const enforcementDeletes = (config: Pick<KeyAuditConfig, 'enforcement'>): boolean =>
  typeof config.enforcement.deleteAfterDays === 'number';

/** Deactivating a key (and re-activating: the undo is the same call), and why, for the README. */
export const DEACTIVATE_PERMISSIONS: Readonly<Record<string, string>> = {
  'iam:UpdateAccessKey': 'deactivate a key after its notice (and reactivate it: the undo)',
};

/** Deleting a key, and why: granted only when enforcement deletes (`deleteAfterDays` set). */
export const DELETE_PERMISSIONS: Readonly<Record<string, string>> = {
  'iam:DeleteAccessKey':
    'delete a key that key-audit deactivated and that stayed unused for `deleteAfterDays` days',
};

/** Deactivating a key. */
export const DEACTIVATE_ACTIONS: readonly string[] = Object.keys(DEACTIVATE_PERMISSIONS);

/** Deleting a key. */
export const DELETE_ACTIONS: readonly string[] = Object.keys(DELETE_PERMISSIONS);

/** The actions of the remediation role. */
export const remediationActions = (allowDelete: boolean): string[] => [
  ...DEACTIVATE_ACTIONS,
  ...(allowDelete ? DELETE_ACTIONS : []),
];

/** Why the user wildcard is acceptable, for the cdk-nag acknowledgement. */
export const REMEDIATION_WILDCARD_REASON =
  'Enforcement acts on the access keys of any IAM user of the account that breaks the rotation policy, so ' +
  'the resource is every user of this account (user/*); IAM has no condition key to narrow it to one ' +
  'access key id. The role holds only the key status change (and deletion when enabled), nothing else.';

/** Properties of `KeyAuditRemediationRole`. */
export interface KeyAuditRemediationRoleProps {
  /**
   * Role name; enforcement builds `arn:aws:iam::<account>:role/<roleName>` from it, so it must match the
   * scanner's `remediationRoleName`. @default 'KeyAuditRemediation'
   */
  readonly roleName?: string;
  /** Also allow `iam:DeleteAccessKey` (the scanner's `enforcement.deleteAfterDays` is set). @default false */
  readonly allowDelete?: boolean;
  /**
   * Exact ARN of the scanner's execution role (may be a token). @default the default scanner role name
   * (`key-audit-scanner`) in this stack's account
   */
  readonly scannerRoleArn?: string;
  /** Require this `sts:ExternalId`. @default no external id */
  readonly externalId?: string;
  /** Require the caller to belong to this organisation (`aws:PrincipalOrgID`). @default no condition */
  readonly organisationId?: string;
}

/**
 * Role `KeyAuditRemediation` (name configurable), trusted only by the scanner role with the same hardening
 * as the read-only member role (exact role ARN, optional external id and organisation). Deploy it only
 * where enforcement is to act (`enforcement.mode` `apply`); the read-only role stays read-only.
 */
export class KeyAuditRemediationRole extends Construct {
  /** The role. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: KeyAuditRemediationRoleProps = {}) {
    super(scope, id);
    // The rules of the configuration's remediationRoleName, externalId and organisationId (tokens pass).
    validateWithConfiguration(
      this,
      'KeyAuditRemediationRole',
      {
        remediationRoleName: literal(props.roleName),
        externalId: literal(props.externalId),
        organisationId: literal(props.organisationId),
      },
      { remediationRoleName: 'roleName' },
    );
    const stack = Stack.of(this);
    const users = `arn:${stack.partition}:iam::${stack.account}:user/*`;
    const allowDelete = props.allowDelete ?? false;
    this.role = new Role(this, 'Role', {
      roleName: props.roleName ?? DEFAULT_CONFIG.remediationRoleName,
      description: allowDelete
        ? 'key-audit enforcement: deactivate and delete IAM users access keys after notice'
        : 'key-audit enforcement: deactivate IAM users access keys after notice',
      assumedBy: scannerTrustPrincipal({
        scannerRoleArn:
          props.scannerRoleArn ??
          defaultScannerRoleArn({ scannerRoleName: DEFAULT_CONFIG.scannerRoleName }, stack.account),
        ...(props.scannerRoleArn === undefined ? { scannerAccount: stack.account } : {}),
        ...(props.externalId === undefined ? {} : { externalId: props.externalId }),
        ...(props.organisationId === undefined ? {} : { organisationId: props.organisationId }),
      }),
      inlinePolicies: {
        KeyAuditRemediation: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: allowDelete ? 'DeactivateAndDeleteAccessKeys' : 'DeactivateAccessKeys',
              effect: Effect.ALLOW,
              actions: remediationActions(allowDelete),
              resources: [users],
            }),
          ],
        }),
      },
    });
    acknowledgeNag(
      this.role,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:user/*]',
      REMEDIATION_WILDCARD_REASON,
    );
  }
}
