/**
 * The member-account roles in every account of the organisation (or of some OUs), kept there by
 * service-managed StackSets: accounts that join later get them automatically, accounts that leave lose
 * them. One StackSet for the read-only role, and one for the remediation role when enforcement is `apply`.
 */
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import type { KeyAuditConfig, StackSetConfig } from './config.ts';
import {
  memberRoleTemplateBody,
  remediationRoleTemplateBody,
  SCANNER_ROLE_ARN_PARAMETER,
} from './member-role-template.ts';

/** What a role StackSet needs besides its template. */
interface RoleStackSetSettings {
  /** Targets, region and caller. */
  readonly stackSet: StackSetConfig;
  /** ARN of the scanner role the roles trust. */
  readonly scannerRoleArn: string;
}

/**
 * `AWS::CloudFormation::StackSet` `StackSet` in `scope`, SERVICE_MANAGED with auto-deployment. Its
 * construct id stays `StackSet`: a new logical id would replace the named StackSet, which CloudFormation
 * refuses.
 */
const roleStackSet = (
  scope: Construct,
  settings: RoleStackSetSettings,
  stackSetName: string,
  description: string,
  templateBody: string,
): CfnStackSet =>
  new CfnStackSet(scope, 'StackSet', {
    stackSetName,
    description,
    permissionModel: 'SERVICE_MANAGED',
    callAs: settings.stackSet.callAs,
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
    parameters: [{ parameterKey: SCANNER_ROLE_ARN_PARAMETER, parameterValue: settings.scannerRoleArn }],
    stackInstancesGroup: [
      {
        deploymentTargets: { organizationalUnitIds: [...settings.stackSet.targets] },
        regions: [settings.stackSet.region],
      },
    ],
    templateBody,
  });

/** Properties of `MemberRoleStackSet`. */
export interface MemberRoleStackSetProps extends RoleStackSetSettings {
  /** The validated configuration (role name, external id, organisation id, Security Hub). */
  readonly config: Pick<KeyAuditConfig, 'roleName' | 'externalId' | 'organisationId' | 'securityHub'>;
  /** @default 'key-audit-member-role' */
  readonly stackSetName?: string;
}

/**
 * The read-only member role's StackSet. Service-managed StackSets never deploy to the management account:
 * deploy `MemberRoleStack` there if it is to be scanned.
 */
export class MemberRoleStackSet extends Construct {
  /** The StackSet resource. */
  readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    this.stackSet = roleStackSet(
      this,
      props,
      props.stackSetName ?? 'key-audit-member-role',
      'key-audit: read-only member role for the key-audit scanner in every target account',
      memberRoleTemplateBody(props.config),
    );
  }
}

/** Properties of `RemediationRoleStackSet`. */
export interface RemediationRoleStackSetProps extends RoleStackSetSettings {
  /** The validated configuration (remediation role name, enforcement, external id, organisation id). */
  readonly config: Pick<
    KeyAuditConfig,
    'remediationRoleName' | 'enforcement' | 'externalId' | 'organisationId'
  >;
  /** @default 'key-audit-remediation-role' */
  readonly stackSetName?: string;
}

/**
 * The remediation role's StackSet, for enforcement in `apply` mode, with the same targets as the member
 * role's. Like it, it never deploys to the management account (`RemediationRoleStack` does).
 */
export class RemediationRoleStackSet extends Construct {
  /** The StackSet resource. */
  readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: RemediationRoleStackSetProps) {
    super(scope, id);
    this.stackSet = roleStackSet(
      this,
      props,
      props.stackSetName ?? 'key-audit-remediation-role',
      'key-audit: remediation role (deactivates, and deletes if enabled, access keys) for key-audit enforcement in every target account',
      remediationRoleTemplateBody(props.config),
    );
  }
}
