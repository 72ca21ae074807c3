/**
 * Organisation-wide deployment of the remediation role, when enforcement is `apply`, from the management
 * account (or a delegated StackSets administrator), to the same targets as the member role's StackSet.
 */
import { CliCredentialsStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { KeyAuditConfig, StackSetConfig } from './config.ts';
import { RemediationRoleStackSet } from './member-role-stackset.ts';
import { scannerRoleArn } from './scanner-role-arn.ts';

/** Properties of `RemediationRoleStackSetStack`. */
export interface RemediationRoleStackSetStackProps extends StackProps {
  /** The validated configuration. */
  readonly config: KeyAuditConfig;
  /** The StackSet part of it (required here, optional in the configuration). */
  readonly stackSet: StackSetConfig;
}

/** Stack holding the remediation role's StackSet; deploys with CLI credentials (no assets, no bootstrap). */
export class RemediationRoleStackSetStack extends Stack {
  /** The StackSet construct. */
  readonly remediationRoleStackSet: RemediationRoleStackSet;

  constructor(scope: Construct, id: string, props: RemediationRoleStackSetStackProps) {
    const { config, stackSet, ...stackProps } = props;
    super(scope, id, {
      description:
        'key-audit remediation role StackSet: the role enforcement changes keys with, in every account of the target OUs',
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...stackProps,
    });
    this.remediationRoleStackSet = new RemediationRoleStackSet(this, 'RemediationRoleStackSet', {
      config,
      stackSet,
      scannerRoleArn: scannerRoleArn(config),
    });
  }
}
