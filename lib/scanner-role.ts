/**
 * The scanner's execution role: a fixed name (member roles trust its exact ARN) and only what the
 * configured scan mode needs.
 */
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SECURITY_HUB_IMPORT_ACTIONS, SECURITY_HUB_WILDCARD_REASON } from '../lambda/aws/security-hub.ts';
import type { KeyAuditConfig } from './config.ts';
import { IAM_READ_WILDCARD_REASON, MEMBER_ROLE_ACTIONS } from './member-role.ts';
import { acknowledgeNag } from './nag.ts';
import {
  enforcementApplies,
  enforcementDeletes,
  REMEDIATION_WILDCARD_REASON,
  remediationActions,
} from './remediation-role.ts';

/** Organizations reads of organisation mode: list accounts and walk OUs. */
export const ORGANIZATIONS_ACTIONS: readonly string[] = [
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:DescribeOrganization',
];

/** Properties of `ScannerRole`. */
export interface ScannerRoleProps {
  /** The validated configuration (mode, role names, organisation id). */
  readonly config: Pick<
    KeyAuditConfig,
    | 'accounts'
    | 'organisation'
    | 'organisationId'
    | 'roleName'
    | 'scannerRoleName'
    | 'securityHub'
    | 'enforcement'
    | 'remediationRoleName'
  >;
}

/**
 * Role assumed by the scanner Lambda function, only by Lambda functions of its own account and region
 * (`aws:SourceAccount`, `aws:SourceArn`). Always: `sts:GetCallerIdentity` (metrics go through the logs,
 * as CloudWatch embedded metric format, so no `cloudwatch:PutMetricData`). Account mode: `sts:AssumeRole`
 * on the member role of each listed account (and their remediation role when enforcement is `apply`).
 * Organisation mode: the same role names in any account of the organisation (`aws:ResourceOrgID`) plus
 * Organizations reads. Own-account mode: what the member roles hold, directly: the IAM reads, the Security
 * Hub import when `securityHub` is on, the key changes when enforcement is `apply`. Publishing, logging and
 * history rights are granted by the constructs owning those resources.
 */
export class ScannerRole extends Construct {
  /** The role. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ScannerRoleProps) {
    super(scope, id);
    const { config } = props;
    this.role = new Role(this, 'Role', {
      roleName: config.scannerRoleName,
      description: 'key-audit scanner: assumes the member roles, reads IAM key metadata, publishes reports',
      assumedBy: new ServicePrincipal('lambda.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: {
          'aws:SourceArn': `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:*`,
        },
      }),
    });
    const wildcardNeeds = ['sts:GetCallerIdentity has no resource type (it identifies the caller)'];
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'WhoAmI', actions: ['sts:GetCallerIdentity'], resources: ['*'] }),
    );

    const applies = enforcementApplies(config);
    // The roles assumed in each scanned account: the read-only one, and the remediation one when enforcing.
    const roleNames = [config.roleName, ...(applies ? [config.remediationRoleName] : [])];
    const roleArns = (account: string): string[] =>
      roleNames.map((name) => `arn:${Aws.PARTITION}:iam::${account}:role/${name}`);
    if (config.organisation) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'AssumeMemberRoleInOrganisation',
          actions: ['sts:AssumeRole'],
          resources: roleArns('*'),
          conditions: { StringEquals: { 'aws:ResourceOrgID': config.organisationId } },
        }),
      );
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'ListOrganisation',
          actions: [...ORGANIZATIONS_ACTIONS],
          resources: ['*'],
        }),
      );
      wildcardNeeds.push(
        'organizations:ListAccounts, ListAccountsForParent, ListOrganizationalUnitsForParent and DescribeOrganization are read-only and called on the organisation root and OUs discovered at run time',
      );
      for (const name of roleNames) {
        acknowledgeNag(
          this.role,
          `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${name}]`,
          `Organisation mode scans accounts discovered at run time, so the account in the member role ARN is "*"; the aws:ResourceOrgID condition limits it to roles named ${name} in organisation ${config.organisationId}.`,
        );
      }
    } else if (config.accounts.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'AssumeMemberRoleInListedAccounts',
          actions: ['sts:AssumeRole'],
          resources: config.accounts.flatMap(roleArns),
        }),
      );
    } else {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'ReadOwnAccountKeys',
          actions: [...MEMBER_ROLE_ACTIONS],
          resources: ['*'],
        }),
      );
      wildcardNeeds.push(
        `own-account mode reads IAM directly: ${IAM_READ_WILDCARD_REASON.replace(/\.$/, '')}`,
      );
      if (config.securityHub) {
        this.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'ImportOwnAccountFindings',
            actions: [...SECURITY_HUB_IMPORT_ACTIONS],
            resources: ['*'],
          }),
        );
        wildcardNeeds.push(
          `own-account mode imports into Security Hub directly: ${SECURITY_HUB_WILDCARD_REASON.replace(/\.$/, '')}`,
        );
      }
      if (applies) {
        const users = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:user/*`;
        this.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'ChangeOwnAccountKeys',
            actions: remediationActions(enforcementDeletes(config)),
            resources: [users],
          }),
        );
        acknowledgeNag(
          this.role,
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:user/*]',
          `Own-account mode with enforcement "apply" changes keys directly: ${REMEDIATION_WILDCARD_REASON}`,
        );
      }
    }
    acknowledgeNag(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      `Resource "*" only where the action has no narrower resource: ${wildcardNeeds.join('; ')}.`,
    );
  }
}
