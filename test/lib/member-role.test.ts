import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { KeyAuditMemberRole, MEMBER_ROLE_ACTIONS } from '../../lib/member-role.ts';
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
