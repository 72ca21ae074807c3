/**
 * The member-account roles as standalone CloudFormation templates, for the StackSets' `TemplateBody`. Each
 * is synthesized from the same construct as its per-account stack (`KeyAuditMemberRole`,
 * `KeyAuditRemediationRole`), in a separate App so that nothing of the outer app (assets, bootstrap rule,
 * cross-stack references) leaks into it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnOutput, CfnParameter, CliCredentialsStackSynthesizer, Stack } from 'aws-cdk-lib';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { KeyAuditConfig } from './config.ts';
import { KeyAuditMemberRole } from './member-role.ts';
import { enforcementDeletes, KeyAuditRemediationRole } from './remediation-role.ts';

/** The template parameter carrying the scanner role's ARN (filled in by the StackSet). */
export const SCANNER_ROLE_ARN_PARAMETER = 'ScannerRoleArn';

/** What both roles' trust reads from the configuration. */
type TrustConfig = Pick<KeyAuditConfig, 'externalId' | 'organisationId'>;

/** The trust settings of `config` that are set. */
const trustProps = (config: TrustConfig) => ({
  ...(config.externalId === undefined ? {} : { externalId: config.externalId }),
  ...(config.organisationId === undefined ? {} : { organisationId: config.organisationId }),
});

/**
 * Synthesizes a template holding the role `addRole` adds (given the scanner role ARN parameter) and
 * returns it as a JSON string. The outdir is an explicit temporary directory (removed afterwards) and
 * autoSynth is off: under the CDK CLI a bare `new App()` would write into the outer app's cdk.out and
 * overwrite its manifest.
 */
const roleTemplateBody = (
  stackId: string,
  description: string,
  roleKind: string,
  outputName: string,
  addRole: (stack: Stack, scannerRoleArn: string) => Role,
): string => {
  const outdir = mkdtempSync(join(tmpdir(), 'key-audit-role-'));
  try {
    // No built-in schema validation here: its engine takes seconds to start, and the template is tiny
    // (the tests lint it with cfn-lint).
    const app = new App({
      outdir,
      autoSynth: false,
      analyticsReporting: false,
      stackTraces: false,
      builtinCloudFormationValidation: false,
    });
    const stack = new Stack(app, stackId, {
      description,
      synthesizer: new CliCredentialsStackSynthesizer(),
    });
    const arn = new CfnParameter(stack, SCANNER_ROLE_ARN_PARAMETER, {
      type: 'String',
      description: `ARN of the key-audit scanner role allowed to assume the ${roleKind} role`,
      allowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$',
    });
    const role = addRole(stack, arn.valueAsString);
    new CfnOutput(stack, outputName, { value: role.roleArn });
    const template: unknown = app.synth().getStackArtifact(stack.artifactId).template;
    return JSON.stringify(template);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

/** The read-only member role's template (with the Security Hub import when `securityHub` is on). */
export const memberRoleTemplateBody = (
  config: Pick<KeyAuditConfig, 'roleName' | 'securityHub'> & TrustConfig,
): string =>
  roleTemplateBody(
    'KeyAuditMemberRole',
    'key-audit member role (StackSet instance): read-only IAM access for the key-audit scanner',
    'member',
    'MemberRoleArn',
    (stack, scannerRoleArn) =>
      new KeyAuditMemberRole(stack, 'MemberRole', {
        roleName: config.roleName,
        scannerRoleArn,
        securityHub: config.securityHub,
        ...trustProps(config),
      }).role,
  );

/** The remediation role's template (with `iam:DeleteAccessKey` only when enforcement deletes). */
export const remediationRoleTemplateBody = (
  config: Pick<KeyAuditConfig, 'remediationRoleName' | 'enforcement'> & TrustConfig,
): string =>
  roleTemplateBody(
    'KeyAuditRemediationRole',
    'key-audit remediation role (StackSet instance): deactivates (and deletes) access keys for enforcement',
    'remediation',
    'RemediationRoleArn',
    (stack, scannerRoleArn) =>
      new KeyAuditRemediationRole(stack, 'RemediationRole', {
        roleName: config.remediationRoleName,
        allowDelete: enforcementDeletes(config),
        scannerRoleArn,
        ...trustProps(config),
      }).role,
  );
