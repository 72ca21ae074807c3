/**
 * The member role as a standalone CloudFormation template, for the StackSet's `TemplateBody`. It is
 * synthesized from the same `KeyAuditMemberRole` construct as the per-account stack, in a separate App so
 * that nothing of the outer app (assets, bootstrap rule, cross-stack references) leaks into it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnOutput, CfnParameter, CliCredentialsStackSynthesizer, Stack } from 'aws-cdk-lib';
import type { KeyAuditConfig } from './config.ts';
import { KeyAuditMemberRole } from './member-role.ts';

/** The template parameter carrying the scanner role's ARN (filled in by the StackSet). */
export const SCANNER_ROLE_ARN_PARAMETER = 'ScannerRoleArn';

/**
 * Synthesizes the member role template and returns it as a JSON string. The outdir is an explicit
 * temporary directory (removed afterwards) and autoSynth is off: under the CDK CLI a bare `new App()`
 * would write into the outer app's cdk.out and overwrite its manifest.
 */
export const memberRoleTemplateBody = (
  config: Pick<KeyAuditConfig, 'roleName' | 'externalId' | 'organisationId'>,
): string => {
  const outdir = mkdtempSync(join(tmpdir(), 'key-audit-member-role-'));
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
    const stack = new Stack(app, 'KeyAuditMemberRole', {
      description:
        'key-audit member role (StackSet instance): read-only IAM access for the key-audit scanner',
      synthesizer: new CliCredentialsStackSynthesizer(),
    });
    const arn = new CfnParameter(stack, SCANNER_ROLE_ARN_PARAMETER, {
      type: 'String',
      description: 'ARN of the key-audit scanner role allowed to assume the member role',
      allowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$',
    });
    const memberRole = new KeyAuditMemberRole(stack, 'MemberRole', {
      roleName: config.roleName,
      scannerRoleArn: arn.valueAsString,
      ...(config.externalId === undefined ? {} : { externalId: config.externalId }),
      ...(config.organisationId === undefined ? {} : { organisationId: config.organisationId }),
    });
    new CfnOutput(stack, 'MemberRoleArn', { value: memberRole.role.roleArn });
    const template: unknown = app.synth().getStackArtifact(stack.artifactId).template;
    return JSON.stringify(template);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};
