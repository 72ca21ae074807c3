import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SECURITY_HUB_IMPORT_ACTIONS } from '../../lambda/aws/security-hub.ts';
import { DEFAULT_CONFIG } from '../../lib/config.ts';
import {
  KeyAuditMemberRole,
  type KeyAuditMemberRoleProps,
  MEMBER_ROLE_ACTIONS,
} from '../../lib/member-role.ts';
import { buildTestApp, partitionArn } from './cdk-test-app.ts';

describe('KeyAuditMemberRole', () => {
  it('allows exactly the seven IAM read actions', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Test');
    new KeyAuditMemberRole(stack, 'MemberRole', {
      roleName: 'KeyAuditReadOnly',
      scannerRoleArn: 'arn:aws:iam::444455556666:role/key-audit-scanner',
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'KeyAuditReadOnly',
      ManagedPolicyArns: Match.absent(),
      Policies: [
        {
          PolicyName: Match.anyValue(),
          PolicyDocument: {
            Statement: [
              { Sid: Match.anyValue(), Effect: 'Allow', Action: [...MEMBER_ROLE_ACTIONS], Resource: '*' },
            ],
            Version: '2012-10-17',
          },
        },
      ],
    });
    expect([...MEMBER_ROLE_ACTIONS].sort()).toEqual(
      [
        'iam:GenerateCredentialReport',
        'iam:GetCredentialReport',
        'iam:ListUsers',
        'iam:ListAccessKeys',
        'iam:GetAccessKeyLastUsed',
        'iam:ListUserTags',
        'iam:GetAccountSummary',
      ].sort(),
    );
  });

  it('trusts only the exact scanner role ARN, through the scanner account and aws:PrincipalArn', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Test');
    const scannerRoleArn = 'arn:aws:iam::444455556666:role/key-audit-scanner';
    new KeyAuditMemberRole(stack, 'MemberRole', { roleName: 'KeyAuditReadOnly', scannerRoleArn });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: partitionArn(':iam::444455556666:root') },
            Condition: { ArnEquals: { 'aws:PrincipalArn': scannerRoleArn } },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  it('also requires the external id and the organisation when they are configured', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Test');
    new KeyAuditMemberRole(stack, 'MemberRole', {
      roleName: 'KeyAuditReadOnly',
      scannerRoleArn: 'arn:aws:iam::444455556666:role/key-audit-scanner',
      externalId: 'ext-123',
      organisationId: 'o-abcdefghij',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: {
              ArnEquals: Match.anyValue(),
              StringEquals: { 'sts:ExternalId': 'ext-123', 'aws:PrincipalOrgID': 'o-abcdefghij' },
            },
          }),
        ],
      },
    });
  });
});

describe('KeyAuditMemberRole with Security Hub', () => {
  const statementsOf = (securityHub: boolean | undefined) => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Test');
    new KeyAuditMemberRole(stack, 'MemberRole', securityHub === undefined ? {} : { securityHub });
    const [role] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role')) as {
      Properties: { Policies: { PolicyDocument: { Statement: { Sid: string; Action: unknown }[] } }[] };
    }[];
    return role?.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement) ?? [];
  };

  it('may also import findings into Security Hub, on any resource, when securityHub is on', () => {
    expect(statementsOf(true)).toContainEqual({
      Sid: 'ImportFindingsIntoSecurityHub',
      Effect: 'Allow',
      Action: [...SECURITY_HUB_IMPORT_ACTIONS],
      Resource: '*',
    });
  });

  it.each([undefined, false])(
    'stays IAM read-only, without Security Hub, when securityHub is %s',
    (securityHub) => {
      const actions = statementsOf(securityHub).flatMap((s) => s.Action);
      expect(actions).toEqual([...MEMBER_ROLE_ACTIONS]);
    },
  );

  it('gets the Security Hub actions through MemberRoleStack when securityHub is configured', () => {
    const { memberRole } = buildTestApp({ securityHub: true });
    expect(JSON.stringify(Template.fromStack(memberRole).toJSON())).toContain(
      'securityhub:BatchImportFindings',
    );
  });
});

describe('KeyAuditMemberRole used alone', () => {
  const stackWithRole = (props: KeyAuditMemberRoleProps = {}) => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Test');
    new KeyAuditMemberRole(stack, 'MemberRole', props);
    return Template.fromStack(stack);
  };

  const ownAccountArn = (resource: string) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, resource]],
  });

  it('needs no props: the default role name, trusting the default scanner role of its own account', () => {
    stackWithRole().hasResourceProperties('AWS::IAM::Role', {
      RoleName: DEFAULT_CONFIG.roleName,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: ownAccountArn(':root') },
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': ownAccountArn(`:role/${DEFAULT_CONFIG.scannerRoleName}`) },
            },
          }),
        ],
      },
    });
  });

  it.each<[KeyAuditMemberRoleProps, string]>([
    [{ roleName: 'key audit' }, 'roleName'],
    [{ externalId: 'x' }, 'externalId'],
    [{ organisationId: 'org-1' }, 'organisationId'],
  ])('does refuse %j with one line naming the prop', (props, prop) => {
    expect(() => stackWithRole(props)).toThrow(
      new RegExp(`^KeyAuditMemberRole Test/MemberRole: invalid props: ${prop}: [^\n]+$`),
    );
  });

  it('does accept values known only at deploy time (tokens)', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Test');
    const name = new CfnParameter(stack, 'RoleName', { type: 'String' });
    new KeyAuditMemberRole(stack, 'MemberRole', { roleName: name.valueAsString });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: { Ref: 'RoleName' } });
  });
});

describe('MemberRoleStack', () => {
  it('trusts the scanner role of the configured scanner account', () => {
    const { memberRole } = buildTestApp({
      scannerAccountId: '444455556666',
      scannerRoleName: 'audit-scanner',
      roleName: 'AuditRead',
    });
    Template.fromStack(memberRole).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'AuditRead',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: partitionArn(':iam::444455556666:root') },
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': partitionArn(':iam::444455556666:role/audit-scanner') },
            },
          }),
        ],
      },
    });
  });

  it('trusts the scanner role of its own account when no scanner account is configured', () => {
    const { memberRole } = buildTestApp({});
    const ownAccountRole = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/key-audit-scanner'],
      ],
    };
    Template.fromStack(memberRole).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Condition: { ArnEquals: { 'aws:PrincipalArn': ownAccountRole } } })],
      },
    });
  });

  it('needs no bootstrapped account: no bootstrap version parameter or rule, no assets', () => {
    const { app, memberRole } = buildTestApp({});
    const template = Template.fromStack(memberRole).toJSON() as Record<string, unknown>;
    expect(template.Parameters).toBeUndefined();
    expect(template.Rules).toBeUndefined();
    const artifact = app.synth().getStackArtifact(memberRole.artifactId);
    expect(artifact.assumeRoleArn).toBeUndefined();
  });
});
