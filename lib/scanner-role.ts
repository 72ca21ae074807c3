/**
 * The scanner's execution role: a fixed name (member roles trust its exact ARN) and only what the
 * configured scan mode needs.
 */
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { KeyAuditConfig } from './config.ts';
import { IAM_READ_WILDCARD_REASON, MEMBER_ROLE_ACTIONS } from './member-role.ts';
import { acknowledgeNag } from './nag.ts';
import { METRICS_NAMESPACE } from './scanner-environment.ts';

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
    'accounts' | 'organisation' | 'organisationId' | 'roleName' | 'scannerRoleName'
  >;
}

/**
 * Role assumed by the scanner Lambda function. Always: `sts:GetCallerIdentity`, `cloudwatch:PutMetricData`
 * in the `KeyAudit` namespace. Account mode: `sts:AssumeRole` on the member role of each listed account.
 * Organisation mode: `sts:AssumeRole` on the member role name in any account of the organisation
 * (`aws:ResourceOrgID`) plus Organizations reads. Own-account mode: the member role's IAM reads directly.
 * Publishing and logging rights are granted by the constructs owning those resources.
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
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    const wildcardNeeds = ['sts:GetCallerIdentity has no resource type (it identifies the caller)'];
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'WhoAmI', actions: ['sts:GetCallerIdentity'], resources: ['*'] }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PublishKeyAuditMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
      }),
    );
    wildcardNeeds.push(
      `cloudwatch:PutMetricData has no resource type; the statement is limited to namespace ${METRICS_NAMESPACE} by the cloudwatch:namespace condition`,
    );

    const memberRoleArn = (account: string): string =>
      `arn:${Aws.PARTITION}:iam::${account}:role/${config.roleName}`;
    if (config.organisation) {
      const anyAccountArn = memberRoleArn('*');
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'AssumeMemberRoleInOrganisation',
          actions: ['sts:AssumeRole'],
          resources: [anyAccountArn],
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
      acknowledgeNag(
        this.role,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${config.roleName}]`,
        `Organisation mode scans accounts discovered at run time, so the account in the member role ARN is "*"; the aws:ResourceOrgID condition limits it to roles named ${config.roleName} in organisation ${config.organisationId}.`,
      );
    } else if (config.accounts.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'AssumeMemberRoleInListedAccounts',
          actions: ['sts:AssumeRole'],
          resources: config.accounts.map(memberRoleArn),
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
    }
    acknowledgeNag(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      `Resource "*" only where the action has no narrower resource: ${wildcardNeeds.join('; ')}.`,
    );
  }
}
