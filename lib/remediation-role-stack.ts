/**
 * Per-account deployment of the remediation role, when enforcement is `apply`: `cdk deploy
 * KeyAuditRemediationRole --profile <account>`. Needed where the StackSet does not deploy: the
 * organisation's management account and accounts outside an organisation.
 */
import { CfnOutput, CliCredentialsStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { KeyAuditConfig } from './config.ts';
import { enforcementDeletes, KeyAuditRemediationRole } from './remediation-role.ts';
import { scannerRoleArn } from './scanner-role-arn.ts';

/** Properties of `RemediationRoleStack`. */
export interface RemediationRoleStackProps extends StackProps {
  /** The validated configuration. */
  readonly config: KeyAuditConfig;
}

/**
 * Stack with `KeyAuditRemediationRole` only, deployed with the CLI's own credentials like
 * `MemberRoleStack` (no assets, no bootstrap needed).
 */
export class RemediationRoleStack extends Stack {
  /** The remediation role construct. */
  readonly remediationRole: KeyAuditRemediationRole;

  constructor(scope: Construct, id: string, props: RemediationRoleStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, {
      description:
        'key-audit remediation role: lets key-audit enforcement deactivate (and delete) access keys',
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...stackProps,
    });
    this.remediationRole = new KeyAuditRemediationRole(this, 'RemediationRole', {
      roleName: config.remediationRoleName,
      allowDelete: enforcementDeletes(config),
      scannerRoleArn: scannerRoleArn(config),
      ...(config.externalId === undefined ? {} : { externalId: config.externalId }),
      ...(config.organisationId === undefined ? {} : { organisationId: config.organisationId }),
    });
    new CfnOutput(this, 'RemediationRoleArn', {
      description: 'The role key-audit enforcement assumes in this account to change access keys',
      value: this.remediationRole.role.roleArn,
    });
  }
}
