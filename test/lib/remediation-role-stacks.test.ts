import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { STACK_IDS } from '../../lib/key-audit-app.ts';
import { SCANNER_ROLE_ARN_PARAMETER } from '../../lib/member-role-template.ts';
import { remediationActions } from '../../lib/remediation-role.ts';
import { buildTestApp, FULL_ORGANISATION_CONFIG, partitionArn } from './cdk-test-app.ts';

const APPLY = { enforcement: { mode: 'apply' } } as const;

/** The remediation role's inline policy actions in a template (a stack's or a StackSet's body). */
const roleActions = (template: Template): unknown[] => {
  const roles = Object.values(template.findResources('AWS::IAM::Role')) as {
    Properties: { RoleName: string; Policies: { PolicyDocument: { Statement: { Action: unknown }[] } }[] };
  }[];
  expect(roles).toHaveLength(1);
  return (roles[0]?.Properties.Policies ?? []).flatMap((p) =>
    p.PolicyDocument.Statement.map((s) => s.Action),
  );
};

describe('remediation role stacks', () => {
  it.each([
    ['off', {}],
    ['plan', { enforcement: { mode: 'plan', deleteAfterDays: 30 } }],
  ])('are not part of the app when enforcement is %s, StackSet or not', (_mode, extra) => {
    const built = buildTestApp({ ...FULL_ORGANISATION_CONFIG, ...extra });
    expect(built.remediationRole).toBeUndefined();
    expect(built.remediationRoleStackSet).toBeUndefined();
    expect(built.app.synth().stacks.map((s) => s.stackName)).not.toContain(STACK_IDS.remediationRole);
  });

  it('adds the per-account stack, but no StackSet, when enforcement is apply without stackSet', () => {
    const { app, remediationRole, remediationRoleStackSet } = buildTestApp(APPLY);
    expect(remediationRole).toBeDefined();
    expect(remediationRoleStackSet).toBeUndefined();
    expect(
      app
        .synth()
        .stacks.map((s) => s.stackName)
        .sort(),
    ).toEqual([STACK_IDS.memberRole, STACK_IDS.remediationRole, STACK_IDS.scanner].sort());
  });

  it.each([
    [{}, false],
    [{ deleteAfterDays: 30 }, true],
  ])('allows deleting keys only when deleteAfterDays is set (%j)', (settings, deletes) => {
    const { remediationRole } = buildTestApp({
      enforcement: { mode: 'apply', ...settings },
      remediationRoleName: 'AuditRemediation',
    });
    const template = Template.fromStack(remediationRole as never);
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'AuditRemediation' });
    const expected = remediationActions(deletes);
    expect(roleActions(template)).toEqual([expected.length === 1 ? expected[0] : expected]);
  });

  it('trusts only the scanner role of the scanner account, with external id and organisation', () => {
    const { remediationRole } = buildTestApp({ ...FULL_ORGANISATION_CONFIG, ...APPLY });
    Template.fromStack(remediationRole as never).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: partitionArn(`:iam::${FULL_ORGANISATION_CONFIG.scannerAccountId}:root`) },
            Condition: {
              ArnEquals: {
                'aws:PrincipalArn': partitionArn(
                  `:iam::${FULL_ORGANISATION_CONFIG.scannerAccountId}:role/key-audit-scanner`,
                ),
              },
              StringEquals: {
                'sts:ExternalId': FULL_ORGANISATION_CONFIG.externalId,
                'aws:PrincipalOrgID': FULL_ORGANISATION_CONFIG.organisationId,
              },
            },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  it('needs no bootstrapped account: no bootstrap version parameter or rule, no assets', () => {
    const { app, remediationRole } = buildTestApp(APPLY);
    const artifact = app.synth().getStackArtifact((remediationRole as { artifactId: string }).artifactId);
    expect((artifact.template as Record<string, unknown>).Parameters).toBeUndefined();
    expect(artifact.assumeRoleArn).toBeUndefined();
  });

  it('deploys the remediation role to the member role StackSet targets when enforcement is apply', () => {
    const { remediationRoleStackSet } = buildTestApp({
      ...FULL_ORGANISATION_CONFIG,
      enforcement: { mode: 'apply', deleteAfterDays: 30 },
    });
    const template = Template.fromStack(remediationRoleStackSet as never);
    template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
    const [stackSet] = Object.values(template.findResources('AWS::CloudFormation::StackSet')) as {
      Properties: {
        StackSetName: string;
        TemplateBody: string;
        StackInstancesGroup: unknown;
        Parameters: unknown;
      };
    }[];
    expect(stackSet?.Properties).toMatchObject({
      StackSetName: 'key-audit-remediation-role',
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: [...FULL_ORGANISATION_CONFIG.stackSet.targets] },
          Regions: [FULL_ORGANISATION_CONFIG.stackSet.region],
        },
      ],
      Parameters: [
        {
          ParameterKey: SCANNER_ROLE_ARN_PARAMETER,
          ParameterValue: partitionArn(
            `:iam::${FULL_ORGANISATION_CONFIG.scannerAccountId}:role/key-audit-scanner`,
          ),
        },
      ],
    });
    const body = Template.fromJSON(
      JSON.parse(stackSet?.Properties.TemplateBody ?? '{}') as Record<string, unknown>,
    );
    body.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'KeyAuditRemediation',
      AssumeRolePolicyDocument: {
        Statement: [
          { Condition: { ArnEquals: { 'aws:PrincipalArn': { Ref: SCANNER_ROLE_ARN_PARAMETER } } } },
        ],
      },
    });
    expect(roleActions(body)).toEqual([remediationActions(true)]);
    expect((body.toJSON() as Record<string, unknown>).Rules).toBeUndefined();
  });
});
