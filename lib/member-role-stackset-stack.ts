/**
 * Organisation-wide deployment of the member role, from the management account (or a delegated
 * StackSets administrator with `stackSet.callAs: DELEGATED_ADMIN`).
 */
import { CliCredentialsStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { KeyAuditConfig, StackSetConfig } from './config.ts';
import { MemberRoleStackSet } from './member-role-stackset.ts';
import { scannerRoleArn } from './scanner-role-arn.ts';

/** Properties of `MemberRoleStackSetStack`. */
export interface MemberRoleStackSetStackProps extends StackProps {
  /** The validated configuration. */
  readonly config: KeyAuditConfig;
  /** The StackSet part of it (required here, optional in the configuration). */
  readonly stackSet: StackSetConfig;
}

/**
 * Stack holding the StackSet. Like `MemberRoleStack` it deploys with CLI credentials (no assets, no
 * bootstrap needed). Without `scannerAccountId` the member roles trust the scanner role of the account
 * this stack is deployed to.
 */
export class MemberRoleStackSetStack extends Stack {
  /** The StackSet construct. */
  readonly memberRoleStackSet: MemberRoleStackSet;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetStackProps) {
    const { config, stackSet, ...stackProps } = props;
    super(scope, id, {
      description: 'key-audit member role StackSet: the read-only role in every account of the target OUs',
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...stackProps,
    });
    this.memberRoleStackSet = new MemberRoleStackSet(this, 'MemberRoleStackSet', {
      config,
      stackSet,
      scannerRoleArn: scannerRoleArn(config),
    });
  }
}
