/**
 * Builds the key-audit CDK app for tests. Bundling is skipped (`aws:cdk:bundling-stacks: []`) unless a
 * test asks for it: esbuild is exercised by one dedicated test only.
 */
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { parseKeyAuditConfig } from '../../lib/config.ts';
import { addComplianceChecks, addKeyAuditStacks, type KeyAuditStacks } from '../../lib/key-audit-app.ts';

/** Options of `buildTestApp`. */
export interface TestAppOptions {
  /** Really bundle the Lambda function with esbuild. @default false */
  readonly bundle?: boolean;
  /** Register the cdk-nag AwsSolutions plugin. @default false */
  readonly compliance?: boolean;
  /** Cloud assembly directory. @default a temporary directory */
  readonly outdir?: string;
  /**
   * Run CDK's built-in CloudFormation schema validation. Its engine takes seconds to start in every test
   * worker, so only the compliance tests turn it on (cfn-lint covers the same ground there too).
   * @default false
   */
  readonly schemaValidation?: boolean;
}

/** A parsed configuration's app and stacks. */
export interface TestApp extends KeyAuditStacks {
  readonly app: App;
}

/** The app for raw configuration `input` (as it would appear under `key-audit` in cdk.json). */
export const buildTestApp = (input: unknown = {}, options: TestAppOptions = {}): TestApp => {
  const app = new App({
    builtinCloudFormationValidation: options.schemaValidation === true,
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    context: options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  const stacks = addKeyAuditStacks(app, parseKeyAuditConfig(input));
  if (options.compliance === true) addComplianceChecks(app);
  return { app, ...stacks };
};

/** Organisation mode with every optional feature on: Slack, emails, external id, StackSet. */
export const FULL_ORGANISATION_CONFIG = {
  organisation: true,
  organisationId: 'o-abcdefghij',
  ous: ['ou-ab12-cdef3456'],
  exclude: ['999988887777'],
  externalId: 'key-audit-7f3a',
  scannerAccountId: '444455556666',
  reportEmails: ['security@example.com'],
  alertEmails: ['oncall@example.com', 'security@example.com'],
  slack: { workspaceId: 'T0123ABCDE', reportChannelId: 'C0123ABCDE', alertChannelId: 'C0456FGHIJ' },
  stackSet: { targets: ['r-ab12'], region: 'eu-west-2' },
} as const;

/** Account mode with two accounts. */
export const ACCOUNTS_CONFIG = { accounts: ['111122223333', '222233334444'] } as const;

/** A statement of a synthesized IAM policy document. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Principal?: unknown;
}

/** Actions of a statement as a list. */
export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Statements of every `AWS::IAM::Policy` attached to `role` (identity policies added with grants). */
export const identityStatements = (template: Template, role: IRole): Statement[] => {
  const logicalId = Stack.of(role).getLogicalId(role.node.defaultChild as CfnElement);
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: logicalId }]) },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
};

/** `arn:${AWS::Partition}<rest>` as CloudFormation renders it. */
export const partitionArn = (rest: string): unknown => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]],
});

/**
 * The scanner construct of the scanner stack for raw configuration `input`, the stack's template, and
 * `id` to reference a construct's CloudFormation resource by its generated logical id (never hard-coded).
 */
export const buildScanner = (input: unknown = {}) => {
  const { scanner: stack } = buildTestApp(input);
  const template = Template.fromStack(stack);
  return { stack, scanner: stack.scanner, template, id: logicalIdIn(stack) };
};

/** The logical id of a construct's CloudFormation resource in `stack`. */
export const logicalIdIn =
  (stack: Stack) =>
  (construct: { node: { defaultChild?: unknown } } | undefined): string => {
    if (construct === undefined) throw new Error('expected a construct, got undefined');
    return stack.getLogicalId(construct.node.defaultChild as CfnElement);
  };

/** Statements of the topic policy of the topic with logical id `topicId`. */
export const topicPolicy = (template: Template, topicId: string): Statement[] => {
  const policies = Object.values(
    template.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: topicId }] } }),
  ) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
  if (policies.length !== 1)
    throw new Error(`expected one policy of topic ${topicId}, got ${policies.length}`);
  return policies[0]?.Properties.PolicyDocument.Statement ?? [];
};

/** The KMS key with logical id `keyId`: its deletion policy and properties. */
export const keyResource = (
  template: Template,
  keyId: string,
): {
  DeletionPolicy?: string;
  Properties: {
    EnableKeyRotation?: boolean;
    PendingWindowInDays?: number;
    KeyPolicy: { Statement: Statement[] };
  };
} => {
  const key = template.findResources('AWS::KMS::Key')[keyId];
  if (key === undefined) throw new Error(`no key ${keyId}`);
  return key as never;
};
