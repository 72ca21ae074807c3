import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SECURITY_HUB_IMPORT_ACTIONS } from '../../lambda/aws/security-hub.ts';
import { MEMBER_ROLE_ACTIONS } from '../../lib/member-role.ts';
import { remediationActions } from '../../lib/remediation-role.ts';
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

/**
 * What every mode needs besides scanning: identity, publishing, encryption, logging, the history, and
 * recording failed invocations in the dead-letter queue.
 */
const COMMON_ACTIONS = [
  'sts:GetCallerIdentity',
  'sns:Publish',
  'kms:GenerateDataKey',
  'kms:Decrypt',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  'sqs:SendMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
];

const APPLY = { enforcement: { mode: 'apply' } } as const;
const APPLY_AND_DELETE = { enforcement: { mode: 'apply', deleteAfterDays: 30 } } as const;

describe('ScannerRole', () => {
  it('has the configured fixed name and is assumable only by Lambda functions of its own account and region', () => {
    const { template } = scannerStatements({ scannerRoleName: 'security-key-audit' });
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'security-key-audit',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'lambda.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':lambda:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      ':function:*',
                    ],
                  ],
                },
              },
            },
          },
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

  it('has no CloudWatch permission: metrics go through the logs in embedded metric format', () => {
    const { statements } = scannerStatements(FULL_ORGANISATION_CONFIG);
    expect(allActions(statements).filter((action) => action.startsWith('cloudwatch:'))).toEqual([]);
  });

  it.each([
    ['off', {}],
    ['plan', { enforcement: { mode: 'plan', deleteAfterDays: 30 } }],
  ])('changes no key and assumes no remediation role when enforcement is %s', (_mode, extra) => {
    for (const input of [{}, ACCOUNTS_CONFIG, FULL_ORGANISATION_CONFIG]) {
      const { statements } = scannerStatements({ ...input, ...extra });
      expect(allActions(statements)).not.toContain('iam:UpdateAccessKey');
      expect(JSON.stringify(statements)).not.toContain('KeyAuditRemediation');
    }
  });

  it('may also assume the remediation role of each listed account when enforcement is apply', () => {
    const { statements } = scannerStatements({ ...ACCOUNTS_CONFIG, ...APPLY, remediationRoleName: 'Fix' });
    expect(allActions(statements)).toEqual([...COMMON_ACTIONS, 'sts:AssumeRole'].sort());
    const assume = statements.find((s) => actionsOf(s).includes('sts:AssumeRole'));
    expect(assume?.Resource).toEqual(
      ACCOUNTS_CONFIG.accounts.flatMap((account) => [
        partitionArn(`:iam::${account}:role/KeyAuditReadOnly`),
        partitionArn(`:iam::${account}:role/Fix`),
      ]),
    );
  });

  it('may also assume the remediation role in any account of its organisation only when enforcement is apply', () => {
    const { statements } = scannerStatements({ ...FULL_ORGANISATION_CONFIG, ...APPLY });
    const assume = statements.find((s) => actionsOf(s).includes('sts:AssumeRole'));
    expect(assume?.Resource).toEqual([
      partitionArn(':iam::*:role/KeyAuditReadOnly'),
      partitionArn(':iam::*:role/KeyAuditRemediation'),
    ]);
    expect(assume?.Condition).toEqual({
      StringEquals: { 'aws:ResourceOrgID': FULL_ORGANISATION_CONFIG.organisationId },
    });
  });

  it.each([
    [APPLY, false],
    [APPLY_AND_DELETE, true],
  ])('changes its own account keys directly in own-account mode with %j', (extra, deletes) => {
    const { statements } = scannerStatements(extra);
    const change = statements.find((s) => s.Sid === 'ChangeOwnAccountKeys');
    expect(actionsOf(change as Statement)).toEqual(remediationActions(deletes));
    expect(change?.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':user/*']],
    });
  });

  it('imports findings into Security Hub directly in own-account mode when securityHub is on, and only then', () => {
    const on = scannerStatements({ securityHub: true }).statements;
    const importing = on.find((s) => s.Sid === 'ImportOwnAccountFindings');
    expect(actionsOf(importing as Statement)).toEqual([...SECURITY_HUB_IMPORT_ACTIONS]);
    expect(importing?.Resource).toBe('*');
    expect(allActions(scannerStatements({}).statements)).not.toContain('securityhub:BatchImportFindings');
    // Other modes import through the member roles.
    expect(allActions(scannerStatements({ ...ACCOUNTS_CONFIG, securityHub: true }).statements)).not.toContain(
      'securityhub:BatchImportFindings',
    );
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
