import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Size, Stack, TimeZone } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type KeyAuditConfig, parseKeyAuditConfig } from '../../lib/config.ts';
import { HANDLER_NODE_MAJOR } from '../../lib/handler-bundle.ts';
import { handlerCodeFromSource } from '../../lib/handler-source-code.ts';
import { addComplianceChecks } from '../../lib/key-audit-app.ts';
import { KeyAuditScanner, type KeyAuditScannerProps } from '../../lib/key-audit-scanner.ts';
import { KeyAuditPropsError } from '../../lib/prop-validation.ts';
import { scannerPropsFromConfig } from '../../lib/scanner-stack.ts';
import {
  ACCOUNTS_CONFIG,
  actionsOf,
  FULL_ORGANISATION_CONFIG,
  identityStatements,
  logicalIdIn,
} from './cdk-test-app.ts';

const REPORT_TOPIC_ARN = 'arn:aws:sns:eu-west-2:111122223333:security-reports';
const ALERT_TOPIC_ARN = 'arn:aws:sns:eu-west-2:111122223333:on-call';
const PAGER_TOPIC_ARN = 'arn:aws:sns:eu-west-2:111122223333:pager';

/** A stack of its own holding one scanner (bundling skipped: the handler's code is not what is tested). */
const scannerIn = (
  props: KeyAuditScannerProps = {},
  app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }),
) => {
  const stack = new Stack(app, 'Test');
  const scanner = new KeyAuditScanner(stack, 'KeyAudit', { code: handlerCodeFromSource(), ...props });
  return { app, stack, scanner, template: Template.fromStack(stack), id: logicalIdIn(stack) };
};

/** The error `props` fail with. */
const propsError = (props: KeyAuditScannerProps): KeyAuditPropsError => {
  try {
    scannerIn(props);
  } catch (error) {
    if (error instanceof KeyAuditPropsError) return error;
    throw error;
  }
  throw new Error('expected the props to be refused');
};

describe('KeyAuditScanner', () => {
  it('scans its own account with every default when given no props, and adds no outputs', () => {
    const { scanner, template } = scannerIn();
    expect(scanner.config).toEqual(DEFAULT_CONFIG);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    // Report, alert and alarm topics; the topics' key, the alarm topic's own key, the log group's key.
    template.resourceCountIs('AWS::SNS::Topic', 3);
    template.resourceCountIs('AWS::KMS::Key', 3);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: DEFAULT_CONFIG.scannerRoleName });
    expect(template.findOutputs('*')).toEqual({});
  });

  it('runs on the Node.js major version the handler is bundled for', () => {
    const { template } = scannerIn();
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: Runtime.NODEJS_24_X.name });
    expect(Runtime.NODEJS_24_X.name).toBe(`nodejs${HANDLER_NODE_MAJOR}.x`);
  });

  it('takes sizes, durations, retention, schedules and role names in CDK types', () => {
    const { template, scanner } = scannerIn({
      memorySize: Size.gibibytes(2),
      timeout: Duration.minutes(10),
      logRetention: RetentionDays.ONE_YEAR,
      reservedConcurrentExecutions: 2,
      reportSchedule: { weekDay: 'MON-FRI', hour: 7, minute: 30, timeZone: TimeZone.EUROPE_BERLIN },
      alertSchedule: { enabled: false },
      scannerRoleName: 'audit-scanner',
      memberRoleName: 'AuditRead',
      accounts: ['111122223333'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048,
      Timeout: 600,
      ReservedConcurrentExecutions: 2,
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 7 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { State: 'DISABLED' });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'audit-scanner' });
    expect(scanner.config.roleName).toBe('AuditRead');
  });

  it.each<[string, unknown]>([
    ['own account', {}],
    ['account mode', ACCOUNTS_CONFIG],
    ['organisation mode with Slack and emails', FULL_ORGANISATION_CONFIG],
    [
      'changed policy, schedules and sizes',
      {
        maxKeyAgeDays: 60,
        warnDays: 10,
        exemptions: [{ accountId: '*', userName: 'legacy-*', until: '2027-01-31', reason: 'CHG-4821' }],
        schedules: { report: { hour: 7, weekDay: 'MON-FRI', timeZone: 'UTC' }, alerts: { enabled: false } },
        logRetentionDays: 365,
        lambda: { memoryMb: 2048, timeoutSeconds: 600, reservedConcurrency: 1 },
      },
    ],
    [
      'history retention, Security Hub and enforcement',
      {
        ...ACCOUNTS_CONFIG,
        historyRetentionDays: 731,
        securityHub: true,
        enforcement: { mode: 'apply', deleteAfterDays: 30 },
        remediationRoleName: 'AuditRemediation',
      },
    ],
  ])('stands for the same configuration cdk.json does when ScannerStack adapts it: %s', (_title, input) => {
    const config = parseKeyAuditConfig(input);
    const { scanner } = scannerIn(scannerPropsFromConfig(config));
    // The StackSet and the scanner account concern the member roles, not the scanner.
    const { stackSet: _stackSet, scannerAccountId: _account, ...scannerPart }: KeyAuditConfig = config;
    expect(scanner.config).toEqual(scannerPart);
  });

  it.each<[string, KeyAuditScannerProps, string]>([
    ['memory below the Lambda minimum', { memorySize: Size.mebibytes(64) }, 'memorySize'],
    ['a timeout beyond 15 minutes', { timeout: Duration.minutes(16) }, 'timeout'],
    ['a timeout with a fraction of a second', { timeout: Duration.millis(1500) }, 'timeout'],
    ['a retention CloudWatch Logs does not offer', { logRetention: RetentionDays.INFINITE }, 'logRetention'],
    ['a member role name IAM refuses', { memberRoleName: 'key audit' }, 'memberRoleName'],
    [
      'an organisation id of the wrong shape',
      { organisation: { organisationId: 'org-1' } },
      'organisation.organisationId',
    ],
    [
      'an OU id of the wrong shape',
      { organisation: { organisationId: 'o-abcdefghij', ous: ['ou-1'] } },
      'organisation.ous[0]',
    ],
    ['a day that does not exist', { reportSchedule: { weekDay: 'FUNDAY' } }, 'reportSchedule.weekDay'],
    ['an hour past midnight', { alertSchedule: { hour: 24 } }, 'alertSchedule.hour'],
    ['a short account id', { accounts: ['12345'] }, 'accounts[0]'],
    ['a threshold of zero', { maxKeyAgeDays: 0 }, 'maxKeyAgeDays'],
    ['a history retention in hours', { historyRetention: Duration.hours(36) }, 'historyRetention'],
    ['a history prefix with an empty folder', { historyPrefix: 'audit//' }, 'historyPrefix'],
    ['a history prefix without its final /', { historyPrefix: 'audit' }, 'historyPrefix'],
    [
      'a retention for a bucket it does not create',
      {
        historyBucket: Bucket.fromBucketName(new Stack(), 'Evidence', 'evidence'),
        historyRetention: Duration.days(30),
      },
      'historyRetention',
    ],
    [
      'an enforcement mode that does not exist',
      { enforcement: { mode: 'force' as never } },
      'enforcement.mode',
    ],
    ['deletion after half a day', { enforcement: { deleteAfterDays: 0.5 } }, 'enforcement.deleteAfterDays'],
    ['a remediation role name IAM refuses', { remediationRoleName: 'fix keys' }, 'remediationRoleName'],
  ])('does fail synthesis with one line naming the prop: %s', (_title, props, prop) => {
    const error = propsError(props);
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(
      new RegExp(`^KeyAuditScanner Test/KeyAudit: invalid props: ${prop.replace(/[.[\]]/g, '\\$&')}: `),
    );
  });

  it('does report a history prop problem together with the configuration problems', () => {
    const error = propsError({ maxKeyAgeDays: 0, historyPrefix: '/audit/' });
    expect(error.problems).toEqual([
      expect.stringMatching(/^maxKeyAgeDays: /),
      expect.stringMatching(/^historyPrefix: /),
    ]);
  });

  it('does refuse accounts and organisation together, naming accounts', () => {
    const error = propsError({
      accounts: ['111122223333'],
      organisation: { organisationId: 'o-abcdefghij' },
    });
    expect(error.problems).toEqual([expect.stringMatching(/^accounts: /)]);
  });

  it('does tell how to give the handler code when the prebuilt bundle is not there (running from sources)', () => {
    const stack = new Stack(new App(), 'Test');
    expect(() => new KeyAuditScanner(stack, 'KeyAudit')).toThrow(
      /no prebuilt scanner handler .*pass the code prop/,
    );
  });
});

describe('KeyAuditScanner with topics or a key of its own', () => {
  it('publishes to existing topics without creating topics or their keys, and leaves their policies alone', () => {
    const app = new App({
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const shared = new Stack(app, 'Shared');
    const reportTopic = Topic.fromTopicArn(shared, 'Reports', REPORT_TOPIC_ARN);
    const alertTopic = Topic.fromTopicArn(shared, 'Alerts', ALERT_TOPIC_ARN);
    const alarmTopic = Topic.fromTopicArn(shared, 'Pager', PAGER_TOPIC_ARN);
    const { scanner, template, id } = scannerIn(
      { reportTopic, alertTopic, alarmTopic, alertEmails: ['oncall@example.com'] },
      app,
    );
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    // Only the log group's key remains.
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(id(scanner.logKey)).toBeDefined();
    expect(scanner.topicKey).toBeUndefined();
    expect(scanner.alarmTopicKey).toBeUndefined();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      TopicArn: PAGER_TOPIC_ARN,
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      TopicArn: ALERT_TOPIC_ARN,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          KEY_AUDIT_REPORT_TOPIC_ARN: REPORT_TOPIC_ARN,
          KEY_AUDIT_ALERT_TOPIC_ARN: ALERT_TOPIC_ARN,
        }),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [PAGER_TOPIC_ARN] });
    const publish = identityStatements(template, scanner.role).find((s) =>
      actionsOf(s).includes('sns:Publish'),
    );
    expect(publish?.Resource).toEqual([REPORT_TOPIC_ARN, ALERT_TOPIC_ARN]);
  });

  it('may encrypt for an existing topic with a known key, and only for that key', () => {
    const app = new App({
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const shared = new Stack(app, 'Shared');
    const keyArn = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const alertTopic = Topic.fromTopicAttributes(shared, 'Alerts', { topicArn: ALERT_TOPIC_ARN, keyArn });
    const { scanner, template, id } = scannerIn({ alertTopic }, app);
    // The report topic and the alarm topic.
    template.resourceCountIs('AWS::SNS::Topic', 2);
    const kms = identityStatements(template, scanner.role).find((s) =>
      actionsOf(s).includes('kms:GenerateDataKey'),
    );
    expect(kms?.Resource).toEqual([{ 'Fn::GetAtt': [id(scanner.topicKey), 'Arn'] }, keyArn]);
  });

  it('encrypts the topics it creates with a key it is given instead of creating one', () => {
    const app = new App({
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const shared = new Stack(app, 'Shared');
    const topicKey = new Key(shared, 'TeamKey', { enableKeyRotation: true });
    const { scanner, template, id } = scannerIn({ topicKey }, app);
    // The alarm topic's own key and the log group's key only.
    template.resourceCountIs('AWS::KMS::Key', 2);
    expect([id(scanner.alarmTopicKey), id(scanner.logKey)].sort()).toEqual(
      Object.keys(template.findResources('AWS::KMS::Key')).sort(),
    );
    expect(scanner.topicKey).toBe(topicKey);
    // Alarms do not publish to these topics, so the key's policy gains no service principal.
    expect(JSON.stringify(Template.fromStack(shared).toJSON())).not.toContain('cloudwatch.amazonaws.com');
  });

  const outdirs: string[] = [];
  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no unacknowledged cdk-nag finding when it brings nothing of its own but the function and the log key', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'key-audit-construct-'));
    outdirs.push(outdir);
    const app = new App({
      outdir,
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const shared = new Stack(app, 'Shared');
    // Not scannerIn: its Template would synthesize the app before the checks are registered.
    new KeyAuditScanner(new Stack(app, 'Test'), 'KeyAudit', {
      code: handlerCodeFromSource(),
      reportTopic: Topic.fromTopicArn(shared, 'Reports', REPORT_TOPIC_ARN),
      alertTopic: Topic.fromTopicArn(shared, 'Alerts', ALERT_TOPIC_ARN),
      alarmTopic: Topic.fromTopicArn(shared, 'Pager', PAGER_TOPIC_ARN),
      historyBucket: Bucket.fromBucketName(shared, 'Evidence', 'security-evidence'),
      historyPrefix: 'key-audit/',
      reportEmails: ['security@example.com'],
    });
    addComplianceChecks(app);
    const assembly = app.synth();
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    for (const plugin of report.pluginReports) expect(plugin.violations, plugin.pluginName).toEqual([]);
  });
});

describe('KeyAuditScanner with a history bucket of its own', () => {
  it('keeps the history in a bucket it is given, under the prefix, and leaves the bucket alone', () => {
    const app = new App({
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const evidence = Bucket.fromBucketName(new Stack(app, 'Shared'), 'Evidence', 'security-evidence');
    const { scanner, template } = scannerIn(
      { historyBucket: evidence, historyPrefix: 'audit/key-audit/' },
      app,
    );
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::S3::BucketPolicy', 0);
    expect(scanner.historyBucket).toBe(evidence);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ KEY_AUDIT_HISTORY: 's3://security-evidence/audit/key-audit/' }),
      },
    });
    const statements = identityStatements(template, scanner.role);
    expect(statements.find((s) => s.Sid === 'ReadAndWriteHistory')?.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::security-evidence/audit/key-audit/*']],
    });
    expect(statements.find((s) => s.Sid === 'ListHistory')?.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::security-evidence']],
    });
  });

  it('may encrypt and decrypt with the key of a bucket it is given, and only with that key', () => {
    const app = new App({
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const keyArn = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const shared = new Stack(app, 'Shared');
    const evidence = Bucket.fromBucketAttributes(shared, 'Evidence', {
      bucketName: 'security-evidence',
      encryptionKey: Key.fromKeyArn(shared, 'EvidenceKey', keyArn),
    });
    const { scanner, template } = scannerIn({ historyBucket: evidence }, app);
    const statement = identityStatements(template, scanner.role).find((s) => s.Sid === 'EncryptHistory');
    expect(statement?.Resource).toBe(keyArn);
    expect(actionsOf(statement as never)).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
  });

  it('encrypts its log group with a key it is given', () => {
    const app = new App({
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const logKey = new Key(new Stack(app, 'Shared'), 'LogKey', { enableKeyRotation: true });
    const { scanner, template } = scannerIn({ logKey }, app);
    expect(scanner.logKey).toBe(logKey);
    // The topics' key and the alarm topic's key only.
    template.resourceCountIs('AWS::KMS::Key', 2);
  });
});

describe('KeyAuditScanner with Security Hub and enforcement', () => {
  it('tells the function to import into Security Hub only when securityHub is on', () => {
    const variables = (props: KeyAuditScannerProps) =>
      (
        Object.values(scannerIn(props).template.findResources('AWS::Lambda::Function'))[0] as {
          Properties: { Environment: { Variables: Record<string, unknown> } };
        }
      ).Properties.Environment.Variables;
    expect(variables({ securityHub: true }).KEY_AUDIT_SECURITY_HUB).toBe('true');
    expect(variables({})).not.toHaveProperty('KEY_AUDIT_SECURITY_HUB');
  });

  it('may assume the remediation role of the listed accounts only when enforcement is apply', () => {
    const assumable = (props: KeyAuditScannerProps): unknown => {
      const { scanner, template } = scannerIn({ accounts: ['111122223333'], ...props });
      return identityStatements(template, scanner.role).find((s) => actionsOf(s).includes('sts:AssumeRole'))
        ?.Resource;
    };
    expect(
      JSON.stringify(assumable({ enforcement: { mode: 'apply' }, remediationRoleName: 'Fix' })),
    ).toContain(':role/Fix');
    expect(JSON.stringify(assumable({ enforcement: { mode: 'plan' } }))).not.toContain('KeyAuditRemediation');
  });
});
