import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MEMBER_ROLE_ACTIONS } from '../../lib/member-role.ts';
import { ORGANIZATIONS_ACTIONS } from '../../lib/scanner-role.ts';
import {
  ACCOUNTS_CONFIG,
  actionsOf,
  buildTestApp,
  FULL_ORGANISATION_CONFIG,
  identityStatements,
  partitionArn,
  type Statement,
} from './cdk-test-app.ts';

const scannerStatements = (input: unknown): { template: Template; statements: Statement[]; stack: Stack } => {
  const { scanner } = buildTestApp(input);
  const template = Template.fromStack(scanner);
  return { template, statements: identityStatements(template, scanner.scanner.role), stack: scanner };
};

const allActions = (statements: readonly Statement[]): string[] => statements.flatMap(actionsOf).sort();

/** What every mode needs besides scanning: identity, metrics, publishing, encryption, logging. */
const COMMON_ACTIONS = [
  'sts:GetCallerIdentity',
  'cloudwatch:PutMetricData',
  'sns:Publish',
  'kms:GenerateDataKey',
  'kms:Decrypt',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
];

describe('ScannerRole', () => {
  it('has the configured fixed name and is assumable by Lambda only', () => {
    const { template } = scannerStatements({ scannerRoleName: 'security-key-audit' });
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'security-key-audit',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
        ],
      },
    });
  });

  it('reads IAM directly and assumes no role in own-account mode', () => {
    const { statements } = scannerStatements({});
    expect(allActions(statements)).toEqual([...COMMON_ACTIONS, ...MEMBER_ROLE_ACTIONS].sort());
    const read = statements.find((s) => s.Sid === 'ReadOwnAccountKeys');
    expect(read?.Resource).toBe('*');
  });

  it('may assume exactly the member role of each listed account in account mode', () => {
    const { statements } = scannerStatements({ ...ACCOUNTS_CONFIG, roleName: 'AuditRead' });
    expect(allActions(statements)).toEqual([...COMMON_ACTIONS, 'sts:AssumeRole'].sort());
    const assume = statements.filter((s) => actionsOf(s).includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    expect(assume[0]?.Resource).toEqual(
      ACCOUNTS_CONFIG.accounts.map((account) => partitionArn(`:iam::${account}:role/AuditRead`)),
    );
    expect(assume[0]?.Condition).toBeUndefined();
  });

  it('may assume the member role in any account of its organisation only, and read Organizations, in organisation mode', () => {
    const { statements } = scannerStatements(FULL_ORGANISATION_CONFIG);
    expect(allActions(statements)).toEqual(
      [...COMMON_ACTIONS, 'sts:AssumeRole', ...ORGANIZATIONS_ACTIONS].sort(),
    );
    const assume = statements.find((s) => actionsOf(s).includes('sts:AssumeRole'));
    expect(assume?.Resource).toEqual(partitionArn(':iam::*:role/KeyAuditReadOnly'));
    expect(assume?.Condition).toEqual({
      StringEquals: { 'aws:ResourceOrgID': FULL_ORGANISATION_CONFIG.organisationId },
    });
    expect(statements.find((s) => actionsOf(s).includes('organizations:ListAccounts'))?.Resource).toBe('*');
  });

  it('writes metrics only to the KeyAudit namespace', () => {
    const { statements } = scannerStatements({});
    const metrics = statements.find((s) => actionsOf(s).includes('cloudwatch:PutMetricData'));
    expect(metrics?.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'KeyAudit' } });
  });

  it('publishes to its two topics only and uses only their key', () => {
    const { scanner } = buildTestApp({});
    const template = Template.fromStack(scanner);
    const statements = identityStatements(template, scanner.scanner.role);
    const ref = (construct: { node: { defaultChild?: unknown } }): unknown => ({
      Ref: Stack.of(scanner).getLogicalId(construct.node.defaultChild as never),
    });
    const publish = statements.find((s) => actionsOf(s).includes('sns:Publish'));
    expect(publish?.Resource).toEqual([ref(scanner.scanner.reportTopic), ref(scanner.scanner.alertTopic)]);
    const kms = statements.find((s) => actionsOf(s).includes('kms:GenerateDataKey'));
    expect(kms?.Resource).toEqual({
      'Fn::GetAtt': [
        Stack.of(scanner).getLogicalId(scanner.scanner.topicKey?.node.defaultChild as never),
        'Arn',
      ],
    });
  });
});
