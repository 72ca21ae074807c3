/**
 * The member role in every account of the organisation (or of some OUs), kept there by a service-managed
 * StackSet: accounts that join later get it automatically, accounts that leave lose it.
 */
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import type { KeyAuditConfig, StackSetConfig } from './config.ts';
import { memberRoleTemplateBody, SCANNER_ROLE_ARN_PARAMETER } from './member-role-template.ts';

/** Properties of `MemberRoleStackSet`. */
export interface MemberRoleStackSetProps {
  /** The validated configuration (role name, external id, organisation id). */
  readonly config: Pick<KeyAuditConfig, 'roleName' | 'externalId' | 'organisationId'>;
  /** Targets, region and caller. */
  readonly stackSet: StackSetConfig;
  /** ARN of the scanner role the member roles trust. */
  readonly scannerRoleArn: string;
  /** @default 'key-audit-member-role' */
  readonly stackSetName?: string;
}

/**
 * `AWS::CloudFormation::StackSet`, SERVICE_MANAGED with auto-deployment. Service-managed StackSets never
 * deploy to the management account: deploy `MemberRoleStack` there if it is to be scanned.
 */
export class MemberRoleStackSet extends Construct {
  /** The StackSet resource. */
  readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: props.stackSetName ?? 'key-audit-member-role',
      description: 'key-audit: read-only member role for the key-audit scanner in every target account',
      permissionModel: 'SERVICE_MANAGED',
      callAs: props.stackSet.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      // Queue operations instead of failing when an update overlaps a running auto-deployment.
      managedExecution: { Active: true },
      operationPreferences: {
        concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        maxConcurrentPercentage: 100,
        failureTolerancePercentage: 10,
        regionConcurrencyType: 'PARALLEL',
      },
      parameters: [{ parameterKey: SCANNER_ROLE_ARN_PARAMETER, parameterValue: props.scannerRoleArn }],
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...props.stackSet.targets] },
          regions: [props.stackSet.region],
        },
      ],
      templateBody: memberRoleTemplateBody(props.config),
    });
  }
}
