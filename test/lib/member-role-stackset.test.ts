import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MEMBER_ROLE_ACTIONS } from '../../lib/member-role.ts';
import { SCANNER_ROLE_ARN_PARAMETER } from '../../lib/member-role-template.ts';
import { buildTestApp, FULL_ORGANISATION_CONFIG, partitionArn } from './cdk-test-app.ts';

interface StackSetProperties {
  TemplateBody: string;
  Parameters: { ParameterKey: string; ParameterValue: unknown }[];
}

const stackSetOf = (input: unknown): { template: Template; properties: StackSetProperties } => {
  const { memberRoleStackSet } = buildTestApp(input);
  if (memberRoleStackSet === undefined) throw new Error('expected a StackSet stack');
  const template = Template.fromStack(memberRoleStackSet);
  const [resource] = Object.values(template.findResources('AWS::CloudFormation::StackSet')) as {
    Properties: StackSetProperties;
  }[];
  if (resource === undefined) throw new Error('expected a StackSet resource');
  return { template, properties: resource.Properties };
};

describe('MemberRoleStackSet', () => {
  it('is not part of the app unless stackSet is configured', () => {
    const { app, memberRoleStackSet } = buildTestApp({});
    expect(memberRoleStackSet).toBeUndefined();
    expect(
      app
        .synth()
        .stacks.map((s) => s.stackName)
        .sort(),
    ).toEqual(['KeyAuditMemberRole', 'KeyAuditScanner']);
  });

  it('deploys service-managed to the configured targets in one region, following accounts that join or leave', () => {
    const { template } = stackSetOf(FULL_ORGANISATION_CONFIG);
    template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: [...FULL_ORGANISATION_CONFIG.stackSet.targets] },
          Regions: [FULL_ORGANISATION_CONFIG.stackSet.region],
        },
      ],
    });
  });

  it('calls as delegated administrator when configured', () => {
    const { template } = stackSetOf({
      stackSet: { targets: ['ou-ab12-cdef3456'], callAs: 'DELEGATED_ADMIN' },
    });
    template.hasResourceProperties('AWS::CloudFormation::StackSet', { CallAs: 'DELEGATED_ADMIN' });
  });

  it('passes the scanner role ARN of the scanner account to the member role template', () => {
    const { properties } = stackSetOf(FULL_ORGANISATION_CONFIG);
    expect(properties.Parameters).toEqual([
      {
        ParameterKey: SCANNER_ROLE_ARN_PARAMETER,
        ParameterValue: partitionArn(
          `:iam::${FULL_ORGANISATION_CONFIG.scannerAccountId}:role/key-audit-scanner`,
        ),
      },
    ]);
  });

  it('uses the synthesized member role as template body, with the same actions and trust conditions', () => {
    const { properties } = stackSetOf(FULL_ORGANISATION_CONFIG);
    const body = Template.fromJSON(JSON.parse(properties.TemplateBody) as Record<string, unknown>);
    body.templateMatches({ Parameters: { [SCANNER_ROLE_ARN_PARAMETER]: { Type: 'String' } } });
    body.resourceCountIs('AWS::IAM::Role', 1);
    body.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'KeyAuditReadOnly',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: {
              AWS: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':iam::',
                    { 'Fn::Select': [4, { 'Fn::Split': [':', { Ref: SCANNER_ROLE_ARN_PARAMETER }] }] },
                    ':root',
                  ],
                ],
              },
            },
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': { Ref: SCANNER_ROLE_ARN_PARAMETER } },
              StringEquals: {
                'sts:ExternalId': FULL_ORGANISATION_CONFIG.externalId,
                'aws:PrincipalOrgID': FULL_ORGANISATION_CONFIG.organisationId,
              },
            },
          },
        ],
        Version: '2012-10-17',
      },
      Policies: [
        { PolicyName: 'KeyAuditRead', PolicyDocument: { Statement: [{ Action: [...MEMBER_ROLE_ACTIONS] }] } },
      ],
    });
    // Member accounts are not bootstrapped: the body must not check for a bootstrap version.
    expect((body.toJSON() as Record<string, unknown>).Rules).toBeUndefined();
  });

  it('gives the member roles the Security Hub import when securityHub is on', () => {
    const off = stackSetOf(FULL_ORGANISATION_CONFIG).properties.TemplateBody;
    const on = stackSetOf({ ...FULL_ORGANISATION_CONFIG, securityHub: true }).properties.TemplateBody;
    expect(off).not.toContain('securityhub:');
    expect(on).toContain('securityhub:BatchImportFindings');
  });

  it('keeps the template body within the 51,200-byte TemplateBody limit', () => {
    expect(Buffer.byteLength(stackSetOf(FULL_ORGANISATION_CONFIG).properties.TemplateBody)).toBeLessThan(
      51_200,
    );
  });
});
