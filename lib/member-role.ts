/**
 * The read-only role the scanner assumes in every scanned account. It can read access-key metadata and
 * the credential report, nothing else: no secrets (access keys cannot be read back), no writes.
 */
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import { AccountPrincipal, Effect, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SECURITY_HUB_IMPORT_ACTIONS, SECURITY_HUB_WILDCARD_REASON } from '../lambda/aws/security-hub.ts';
import { DEFAULT_CONFIG } from './config.ts';
import { acknowledgeNag } from './nag.ts';
import { literal, validateWithConfiguration } from './prop-validation.ts';
import { scannerRoleArn as defaultScannerRoleArn } from './scanner-role-arn.ts';

/** Everything the scanner reads in an account, and nothing more. */
export const MEMBER_ROLE_ACTIONS: readonly string[] = [
  'iam:GenerateCredentialReport',
  'iam:GetCredentialReport',
  'iam:ListUsers',
  'iam:ListAccessKeys',
  'iam:GetAccessKeyLastUsed',
  'iam:ListUserTags',
  'iam:GetAccountSummary',
];

/** Why these read actions need `Resource: *`, for the cdk-nag acknowledgement. */
export const IAM_READ_WILDCARD_REASON =
  'iam:GenerateCredentialReport, GetCredentialReport, ListUsers and GetAccountSummary have no resource type ' +
  '(IAM Service Authorization Reference) so they require Resource "*"; the per-user reads cover every user ' +
  'of the account by design. All seven actions are read-only.';

/** Properties of `KeyAuditMemberRole`. */
export interface KeyAuditMemberRoleProps {
  /**
   * Role name; the scanner builds `arn:aws:iam::<account>:role/<roleName>` from it, so it must match the
   * scanner's `memberRoleName`. @default 'KeyAuditReadOnly'
   */
  readonly roleName?: string;
  /**
   * Exact ARN of the scanner's execution role (may be a token, e.g. a template parameter or
   * `scanner.role.roleArn`). @default the default scanner role name (`key-audit-scanner`) in this stack's account
   */
  readonly scannerRoleArn?: string;
  /** Require this `sts:ExternalId`. @default no external id */
  readonly externalId?: string;
  /** Require the caller to belong to this organisation (`aws:PrincipalOrgID`). @default no condition */
  readonly organisationId?: string;
  /**
   * Also let the scanner import the account's findings into Security Hub (the scanner's `securityHub`):
   * `securityhub:BatchImportFindings` and `securityhub:GetFindings`. @default false
   */
  readonly securityHub?: boolean;
}

/**
 * Role `KeyAuditReadOnly` (name configurable). It stays read-only for IAM: enforcement changes keys through
 * a role of its own (`KeyAuditRemediationRole`). The trust policy names the scanner's account as principal
 * and pins `aws:PrincipalArn` to the scanner role's exact ARN. A role ARN as principal would do the same,
 * but IAM rejects it while the scanner role does not exist yet (so member roles could not be deployed
 * first) and silently rewrites it to an unusable unique id when the scanner stack is destroyed and
 * redeployed; the condition survives both.
 */
export class KeyAuditMemberRole extends Construct {
  /** The role. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: KeyAuditMemberRoleProps = {}) {
    super(scope, id);
    // The rules of the cdk.json configuration's roleName, externalId and organisationId (tokens pass).
    validateWithConfiguration(this, 'KeyAuditMemberRole', {
      roleName: literal(props.roleName),
      externalId: literal(props.externalId),
      organisationId: literal(props.organisationId),
    });
    const scannerRoleArn =
      props.scannerRoleArn ??
      defaultScannerRoleArn({ scannerRoleName: DEFAULT_CONFIG.scannerRoleName }, Stack.of(this).account);
    const scannerAccount =
      props.scannerRoleArn === undefined
        ? Stack.of(this).account
        : Arn.split(props.scannerRoleArn, ArnFormat.SLASH_RESOURCE_NAME).account;
    const stringEquals: Record<string, string> = {};
    if (props.externalId !== undefined) stringEquals['sts:ExternalId'] = props.externalId;
    if (props.organisationId !== undefined) stringEquals['aws:PrincipalOrgID'] = props.organisationId;
    const principal = new AccountPrincipal(scannerAccount).withConditions({
      ArnEquals: { 'aws:PrincipalArn': scannerRoleArn },
      ...(Object.keys(stringEquals).length > 0 ? { StringEquals: stringEquals } : {}),
    });

    this.role = new Role(this, 'Role', {
      roleName: props.roleName ?? DEFAULT_CONFIG.roleName,
      description: 'key-audit: read-only access to IAM users, access keys and the credential report',
      assumedBy: principal,
      inlinePolicies: {
        KeyAuditRead: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'ReadAccessKeyMetadata',
              effect: Effect.ALLOW,
              actions: [...MEMBER_ROLE_ACTIONS],
              resources: ['*'],
            }),
            ...(props.securityHub === true
              ? [
                  new PolicyStatement({
                    sid: 'ImportFindingsIntoSecurityHub',
                    effect: Effect.ALLOW,
                    actions: [...SECURITY_HUB_IMPORT_ACTIONS],
                    resources: ['*'],
                  }),
                ]
              : []),
          ],
        }),
      },
    });
    acknowledgeNag(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      props.securityHub === true
        ? `${IAM_READ_WILDCARD_REASON} ${SECURITY_HUB_WILDCARD_REASON}`
        : IAM_READ_WILDCARD_REASON,
    );
  }
}
