/**
 * The remediation role enforcement assumes in member accounts, beside the read-only role: it can change
 * the status of IAM users' access keys and, only when deletion is enabled, delete them. Nothing else: the
 * last-moment check reads through the read-only role. IAM cannot pin an access key id in a policy, so this
 * permission lives in a role of its own, deployed only when enforcement is in `apply` mode.
 */
import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNag } from './nag.ts';
import { type ScannerTrustProps, scannerTrustPrincipal } from './scanner-trust.ts';

/** Deactivating a key (and re-activating: the undo is the same call). */
export const DEACTIVATE_ACTIONS: readonly string[] = ['iam:UpdateAccessKey'];

/** Deleting a key: granted only when enforcement deletes (`deleteAfterDays` set). */
export const DELETE_ACTIONS: readonly string[] = ['iam:DeleteAccessKey'];

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
export interface KeyAuditRemediationRoleProps extends ScannerTrustProps {
  /** Role name; enforcement builds `arn:aws:iam::<account>:role/<roleName>` from it. */
  readonly roleName: string;
  /** Also allow `iam:DeleteAccessKey` (enforcement's `deleteAfterDays` is set). */
  readonly allowDelete: boolean;
}

/**
 * Role `KeyAuditRemediation` (name configurable), trusted only by the scanner role with the same hardening
 * as the read-only member role (exact role ARN, optional external id and organisation).
 */
export class KeyAuditRemediationRole extends Construct {
  /** The role. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: KeyAuditRemediationRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const users = `arn:${stack.partition}:iam::${stack.account}:user/*`;
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: props.allowDelete
        ? 'key-audit enforcement: deactivate and delete IAM users access keys after notice'
        : 'key-audit enforcement: deactivate IAM users access keys after notice',
      assumedBy: scannerTrustPrincipal(props),
      inlinePolicies: {
        KeyAuditRemediation: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: props.allowDelete ? 'DeactivateAndDeleteAccessKeys' : 'DeactivateAccessKeys',
              effect: Effect.ALLOW,
              actions: remediationActions(props.allowDelete),
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
