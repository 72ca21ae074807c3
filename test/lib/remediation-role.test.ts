import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../lib/key-audit-app.ts';
import {
  KeyAuditRemediationRole,
  type KeyAuditRemediationRoleProps,
  remediationActions,
} from '../../lib/remediation-role.ts';
import { partitionArn } from './cdk-test-app.ts';

const SCANNER_ROLE_ARN = 'arn:aws:iam::444455556666:role/key-audit-scanner';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const build = (props: Partial<KeyAuditRemediationRoleProps> = {}, compliance = false) => {
  const outdir = mkdtempSync(join(tmpdir(), 'key-audit-remediation-'));
  outdirs.push(outdir);
  const app = new App({ builtinCloudFormationValidation: false, outdir });
  const stack = new Stack(app, 'Test');
  new KeyAuditRemediationRole(stack, 'RemediationRole', {
    roleName: 'KeyAuditRemediation',
    scannerRoleArn: SCANNER_ROLE_ARN,
    allowDelete: false,
    ...props,
  });
  if (compliance) addComplianceChecks(app);
  return { app, stack, template: Template.fromStack(stack) };
};

describe('remediationActions', () => {
  it.each([
    [false, ['iam:UpdateAccessKey']],
    [true, ['iam:UpdateAccessKey', 'iam:DeleteAccessKey']],
  ])('allows delete only when enabled (allowDelete %s)', (allowDelete, expected) => {
    expect(remediationActions(allowDelete)).toEqual(expected);
  });
});

describe('KeyAuditRemediationRole', () => {
  it.each([false, true])(
    'allows only the key changes on the users of its own account (allowDelete %s)',
    (allowDelete) => {
      const { template } = build({ allowDelete });
      template.resourceCountIs('AWS::IAM::Role', 1);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'KeyAuditRemediation',
        ManagedPolicyArns: Match.absent(),
        Policies: [
          {
            PolicyName: 'KeyAuditRemediation',
            PolicyDocument: {
              Statement: [
                {
                  Sid: Match.anyValue(),
                  Effect: 'Allow',
                  Action: allowDelete
                    ? ['iam:UpdateAccessKey', 'iam:DeleteAccessKey']
                    : 'iam:UpdateAccessKey',
                  Resource: {
                    'Fn::Join': [
                      '',
                      ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':user/*'],
                    ],
                  },
                },
              ],
              Version: '2012-10-17',
            },
          },
        ],
      });
    },
  );

  it('trusts only the exact scanner role ARN, through the scanner account and aws:PrincipalArn', () => {
    build().template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: partitionArn(':iam::444455556666:root') },
            Condition: { ArnEquals: { 'aws:PrincipalArn': SCANNER_ROLE_ARN } },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  it('also requires the external id and the organisation when they are configured', () => {
    build({ externalId: 'ext-123', organisationId: 'o-abcdefghij' }).template.hasResourceProperties(
      'AWS::IAM::Role',
      {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Condition: {
                ArnEquals: { 'aws:PrincipalArn': SCANNER_ROLE_ARN },
                StringEquals: { 'sts:ExternalId': 'ext-123', 'aws:PrincipalOrgID': 'o-abcdefghij' },
              },
            }),
          ],
        },
      },
    );
  });

  it.each([false, true])(
    'leaves no unacknowledged cdk-nag finding and acknowledges the user wildcard (allowDelete %s)',
    (allowDelete) => {
      const { app } = build({ allowDelete }, true);
      const assembly = app.synth();
      const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
        pluginReports: {
          pluginName: string;
          conclusion: string;
          violations: unknown[];
          suppressedViolations?: { ruleName: string; reason: string }[];
        }[];
      };
      const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
      expect(nag?.conclusion).toBe('success');
      expect(nag?.violations).toEqual([]);
      expect(nag?.suppressedViolations?.map((s) => s.ruleName)).toEqual([
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:user/*]',
      ]);
    },
    60_000,
  );

  it('needs no props: the default name, deactivation only, trusting the default scanner role of its own account', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Test');
    new KeyAuditRemediationRole(stack, 'RemediationRole');
    const ownAccount = (resource: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, resource]],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'KeyAuditRemediation',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: ownAccount(':root') },
            Condition: { ArnEquals: { 'aws:PrincipalArn': ownAccount(':role/key-audit-scanner') } },
          }),
        ],
      },
      Policies: [
        Match.objectLike({
          PolicyDocument: Match.objectLike({
            Statement: [Match.objectLike({ Action: 'iam:UpdateAccessKey' })],
          }),
        }),
      ],
    });
  });

  it.each<[Partial<KeyAuditRemediationRoleProps>, string]>([
    [{ roleName: 'fix keys' }, 'roleName'],
    [{ externalId: 'x' }, 'externalId'],
    [{ organisationId: 'org-1' }, 'organisationId'],
  ])('does refuse %j with one line naming the prop', (props, prop) => {
    expect(() => build(props)).toThrow(
      new RegExp(`^KeyAuditRemediationRole Test/RemediationRole: invalid props: ${prop}: [^\n]+$`),
    );
  });

  it('passes cfn-lint', () => {
    const assembly = build({ allowDelete: true }).app.synth();
    // W3005 (redundant DependsOn CDK emits) is ignored, as in the app's own gate.
    const lint = spawnSync(
      'cfn-lint',
      ['--format', 'json', '--ignore-checks', 'W3005', '--', join(assembly.directory, 'Test.template.json')],
      { encoding: 'utf8' },
    );
    expect(lint.error).toBeUndefined();
    expect(JSON.parse(lint.stdout === '' ? '[]' : lint.stdout)).toEqual([]);
  }, 60_000);
});
