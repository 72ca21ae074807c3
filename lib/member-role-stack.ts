/**
 * Per-account deployment of the member role: `cdk deploy KeyAuditMemberRole --profile <account>`. Needed
 * for the organisation's management account (StackSets never deploy there) and for accounts outside an
 * organisation.
 */
import { CfnOutput, CliCredentialsStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { KeyAuditConfig } from './config.ts';
import { KeyAuditMemberRole } from './member-role.ts';
import { scannerRoleArn } from './scanner-role-arn.ts';

/** Properties of `MemberRoleStack`. */
export interface MemberRoleStackProps extends StackProps {
  /** The validated configuration. */
  readonly config: KeyAuditConfig;
}

/**
 * Stack with `KeyAuditMemberRole` only. It deploys with the CLI's own credentials
 * (`CliCredentialsStackSynthesizer`): it has no assets, so member accounts need no `cdk bootstrap`.
 */
export class MemberRoleStack extends Stack {
  /** The member role construct. */
  readonly memberRole: KeyAuditMemberRole;

  constructor(scope: Construct, id: string, props: MemberRoleStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, {
      description: 'key-audit member role: read-only IAM access for the key-audit scanner',
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...stackProps,
    });
    this.memberRole = new KeyAuditMemberRole(this, 'MemberRole', {
      roleName: config.roleName,
      scannerRoleArn: scannerRoleArn(config),
      ...(config.externalId === undefined ? {} : { externalId: config.externalId }),
      ...(config.organisationId === undefined ? {} : { organisationId: config.organisationId }),
      securityHub: config.securityHub,
    });
    new CfnOutput(this, 'MemberRoleArn', {
      description: 'The role the key-audit scanner assumes in this account',
      value: this.memberRole.role.roleArn,
    });
  }
}
