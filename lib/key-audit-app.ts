/**
 * The CDK app's stacks and compliance checks, shared by bin/app.ts and the tests.
 */
import { type App, Validations } from 'aws-cdk-lib';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { KeyAuditConfig } from './config.ts';
import { MemberRoleStack } from './member-role-stack.ts';
import { MemberRoleStackSetStack } from './member-role-stackset-stack.ts';
import { enforcementApplies } from './remediation-role.ts';
import { RemediationRoleStack } from './remediation-role-stack.ts';
import { RemediationRoleStackSetStack } from './remediation-role-stackset-stack.ts';
import { ScannerStack } from './scanner-stack.ts';

/** Stack ids, which are also the names `cdk deploy` takes. */
export const STACK_IDS = {
  scanner: 'KeyAuditScanner',
  memberRole: 'KeyAuditMemberRole',
  memberRoleStackSet: 'KeyAuditMemberRoleStackSet',
  remediationRole: 'KeyAuditRemediationRole',
  remediationRoleStackSet: 'KeyAuditRemediationRoleStackSet',
} as const;

/** The stacks of one app. */
export interface KeyAuditStacks {
  readonly scanner: ScannerStack;
  readonly memberRole: MemberRoleStack;
  /** Only when `stackSet` is configured. */
  readonly memberRoleStackSet?: MemberRoleStackSetStack;
  /** Only when `enforcement.mode` is `apply`. */
  readonly remediationRole?: RemediationRoleStack;
  /** Only when `enforcement.mode` is `apply` and `stackSet` is configured. */
  readonly remediationRoleStackSet?: RemediationRoleStackSetStack;
}

/** Options of `addKeyAuditStacks`. */
export interface AddKeyAuditStacksOptions {
  /** The scanner's handler bundle. @default bundled from lambda/handler.ts at synth time */
  readonly code?: Code;
}

/**
 * Adds the stacks to `app`. All are environment-agnostic (account and region come from the CLI profile
 * at deploy time), so `cdk synth` needs no credentials. The remediation role's stacks exist only when
 * enforcement is `apply`: in `off` and `plan` nothing in the member accounts can change a key.
 */
export const addKeyAuditStacks = (
  app: App,
  config: KeyAuditConfig,
  options: AddKeyAuditStacksOptions = {},
): KeyAuditStacks => {
  const scanner = new ScannerStack(app, STACK_IDS.scanner, {
    config,
    ...(options.code === undefined ? {} : { code: options.code }),
  });
  const memberRole = new MemberRoleStack(app, STACK_IDS.memberRole, { config });
  const memberRoleStackSet =
    config.stackSet === undefined
      ? undefined
      : new MemberRoleStackSetStack(app, STACK_IDS.memberRoleStackSet, { config, stackSet: config.stackSet });
  const applies = enforcementApplies(config);
  const remediationRole = applies
    ? new RemediationRoleStack(app, STACK_IDS.remediationRole, { config })
    : undefined;
  const remediationRoleStackSet =
    applies && config.stackSet !== undefined
      ? new RemediationRoleStackSetStack(app, STACK_IDS.remediationRoleStackSet, {
          config,
          stackSet: config.stackSet,
        })
      : undefined;
  return {
    scanner,
    memberRole,
    ...(memberRoleStackSet === undefined ? {} : { memberRoleStackSet }),
    ...(remediationRole === undefined ? {} : { remediationRole }),
    ...(remediationRoleStackSet === undefined ? {} : { remediationRoleStackSet }),
  };
};

/**
 * Runs cdk-nag's AwsSolutions pack as a CDK validation plugin: synthesis fails on any unacknowledged
 * error, and every finding (acknowledged ones too) is written to the assembly's validation report.
 */
export const addComplianceChecks = (app: App): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
};
