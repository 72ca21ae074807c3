import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { LOGS_KEY_ACTIONS } from '../../lib/scanner-function.ts';
import {
  actionsOf,
  buildScanner,
  buildTestApp,
  FULL_ORGANISATION_CONFIG,
  identityStatements,
  keyResource,
} from './cdk-test-app.ts';

const CONTRACT = [
  'KEY_AUDIT_SOURCE',
  'KEY_AUDIT_ROLE_NAME',
  'KEY_AUDIT_POLICY',
  'KEY_AUDIT_REPORT_TOPIC_ARN',
  'KEY_AUDIT_ALERT_TOPIC_ARN',
  'KEY_AUDIT_ALERT_SEVERITY',
  'KEY_AUDIT_ALERT_WINDOW_HOURS',
  'KEY_AUDIT_CONCURRENCY',
  'KEY_AUDIT_HISTORY',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
];

describe('ScannerFunction', () => {
  it('runs on Node.js 22 or newer, on arm64, with 1024 MB and the 900 s maximum by default', () => {
    const { template } = buildScanner({});
    template.resourceCountIs('AWS::Lambda::Function', 1);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: {
        Runtime: string;
        Architectures: string[];
        MemorySize: number;
        Timeout: number;
        Handler: string;
      };
    }[];
    expect(Number(/^nodejs(\d+)\.x$/.exec(fn?.Properties.Runtime ?? '')?.[1])).toBeGreaterThanOrEqual(22);
    expect(fn?.Properties).toMatchObject({
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 900,
      Handler: 'index.handler',
    });
  });

  it('takes memory, timeout and reserved concurrency from the configuration', () => {
    const { template } = buildScanner({
      lambda: { memoryMb: 2048, timeoutSeconds: 600, reservedConcurrency: 2 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048,
      Timeout: 600,
      ReservedConcurrentExecutions: 2,
    });
  });

  it('reserves no concurrency by default', () => {
    const { template } = buildScanner({});
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent() });
  });

  it('does not let Lambda retry a failed asynchronous run, and records it in the dead-letter queue', () => {
    const { scanner, template, id } = buildScanner({});
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [id(scanner.deadLetterQueue), 'Arn'] } },
      },
    });
    const send = identityStatements(template, scanner.role).find((s) =>
      actionsOf(s).includes('sqs:SendMessage'),
    );
    expect(send?.Resource).toEqual({ 'Fn::GetAtt': [id(scanner.deadLetterQueue), 'Arn'] });
  });

  it('sets every variable of the environment contract, with the topic ARNs as references', () => {
    const { scanner, template, id } = buildScanner(FULL_ORGANISATION_CONFIG);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    }[];
    const variables = fn?.Properties.Environment.Variables ?? {};
    for (const name of CONTRACT) expect(variables, name).toHaveProperty(name);
    expect(variables).toMatchObject({
      KEY_AUDIT_ORG: 'true',
      KEY_AUDIT_OUS: FULL_ORGANISATION_CONFIG.ous.join(','),
      KEY_AUDIT_EXCLUDE: FULL_ORGANISATION_CONFIG.exclude.join(','),
      KEY_AUDIT_EXTERNAL_ID: FULL_ORGANISATION_CONFIG.externalId,
      KEY_AUDIT_REPORT_TOPIC_ARN: { Ref: id(scanner.reportTopic) },
      KEY_AUDIT_ALERT_TOPIC_ARN: { Ref: id(scanner.alertTopic) },
      POWERTOOLS_SERVICE_NAME: 'key-audit',
      POWERTOOLS_METRICS_NAMESPACE: 'KeyAudit',
    });
  });

  it.each([
    [{}, 90],
    [{ logRetentionDays: 365 }, 365],
  ])('logs to its own log group kept %s -> %i days, retained when the stack is deleted', (input, days) => {
    const { scanner, template, id } = buildScanner(input);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: days },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: id(scanner.logGroup) } },
    });
  });

  it('encrypts its log group with a rotating key retained with it', () => {
    const { scanner, template, id } = buildScanner({});
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [id(scanner.logKey), 'Arn'] },
    });
    const key = keyResource(template, id(scanner.logKey));
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('lets CloudWatch Logs use the key for log groups of this account and region only', () => {
    const { scanner, template, id } = buildScanner({});
    const statements = keyResource(template, id(scanner.logKey)).Properties.KeyPolicy.Statement;
    const logs = statements.filter((s) => JSON.stringify(s.Principal).includes('logs.'));
    expect(logs).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        Action: [...LOGS_KEY_ACTIONS],
        Condition: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':logs:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':log-group:*',
                ],
              ],
            },
          },
        },
      }),
    ]);
  });
});

describe('ScannerFunction bundling', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'key-audit-bundle-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles lambda/handler.ts with local esbuild into one ES module that imports only Node built-ins', () => {
    const { app, scanner } = buildTestApp({}, { bundle: true, outdir });
    const assembly = app.synth();
    const template = Template.fromJSON(assembly.getStackArtifact(scanner.artifactId).template);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: { Code: { S3Key: string } };
    }[];
    const hash = fn?.Properties.Code.S3Key.replace(/\.zip$/, '') ?? '';
    const bundle = join(assembly.directory, `asset.${hash}`, 'index.mjs');
    expect(existsSync(bundle), bundle).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    // A bundle of the handler and its SDK clients; an empty or runaway bundle means a broken build.
    const size = statSync(bundle).size;
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(10 * 1024 * 1024);

    // externalModules: [] means the AWS SDK is inside the bundle, so nothing but Node itself is imported,
    // apart from the SDK's optional SigV4a signers, which it loads (in a try) only for multi-region
    // endpoints that key-audit never calls.
    const code = readFileSync(bundle, 'utf8');
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const optional = new Set(['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a']);
    // Not after `/` or `.`: the Security Hub client holds the REST path "/findings/import" in a string.
    const loaded = [
      ...code.matchAll(/(?<![/.])\bimport\s*(?:[\w$*{},\s]+\sfrom\s*)?["']([^"']+)["']/g),
      ...code.matchAll(/\b(?:import|require)\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] ?? '');
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((specifier) => !builtins.has(specifier) && !optional.has(specifier))).toEqual([]);

    // The module loads as Lambda loads it (ESM, require shim in place) and exports the handler.
    const probe = `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(typeof m.handler);`;
    const exported = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-2', ...lambdaLikeEnvironment() },
      encoding: 'utf8',
    });
    expect(exported).toBe('function');
  });
});

/** A plausible runtime environment for importing the bundle (topic ARNs resolved). */
const lambdaLikeEnvironment = (): Record<string, string> => ({
  KEY_AUDIT_SOURCE: 'report',
  KEY_AUDIT_ROLE_NAME: 'KeyAuditReadOnly',
  KEY_AUDIT_POLICY:
    '{"maxKeyAgeDays":90,"warnDays":14,"unusedDays":45,"rotationGraceDays":7,"criticalAgeMultiplier":2,"exemptions":[]}',
  KEY_AUDIT_REPORT_TOPIC_ARN: 'arn:aws:sns:eu-west-2:111122223333:report',
  KEY_AUDIT_ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-2:111122223333:alerts',
  KEY_AUDIT_ALERT_SEVERITY: 'high',
  KEY_AUDIT_ALERT_WINDOW_HOURS: '24',
  KEY_AUDIT_CONCURRENCY: '4',
  POWERTOOLS_SERVICE_NAME: 'key-audit',
  POWERTOOLS_METRICS_NAMESPACE: 'KeyAudit',
  POWERTOOLS_LOG_LEVEL: 'INFO',
});
