import { describe, expect, it } from 'vitest';
import { ENV, type Environment, parseHandlerConfig } from '../../lambda/config/handler-config.ts';
import { DEFAULT_ENFORCEMENT } from '../../lambda/domain/enforcement/policy.ts';
import { ConfigurationError } from '../../lambda/domain/errors.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';

const REPORT_TOPIC = 'arn:aws:sns:eu-west-2:123456789012:key-audit-report';
const ALERT_TOPIC = 'arn:aws:sns:eu-west-2:123456789012:key-audit-alerts';

/** The least a stack sets: the two topics. */
const minimal: Environment = {
  KEY_AUDIT_REPORT_TOPIC_ARN: REPORT_TOPIC,
  KEY_AUDIT_ALERT_TOPIC_ARN: ALERT_TOPIC,
};

const problemsOf = (env: Environment): readonly string[] => {
  try {
    parseHandlerConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error('expected a ConfigurationError');
};

describe('parseHandlerConfig', () => {
  it('does fill in the documented defaults and scan the own account when no mode is set', () => {
    expect(parseHandlerConfig({ ...minimal, AWS_REGION: 'eu-west-2', PATH: '/usr/bin' })).toEqual({
      source: 'report',
      targets: { kind: 'caller' },
      roleName: 'KeyAuditReadOnly',
      policy: DEFAULT_POLICY,
      enforcement: DEFAULT_ENFORCEMENT,
      production: { accounts: [], ous: [], accountTag: {} },
      remediationRoleName: 'KeyAuditRemediation',
      reportTopicArn: REPORT_TOPIC,
      alertTopicArn: ALERT_TOPIC,
      alertSeverity: 'high',
      alertWindowHours: 24,
      concurrency: 4,
      securityHub: false,
      serviceName: 'key-audit',
      metricsNamespace: 'KeyAudit',
    });
  });

  it('does read the history location and Security Hub switch the stack sets', () => {
    expect(
      parseHandlerConfig({
        ...minimal,
        KEY_AUDIT_HISTORY: 's3://key-audit-history-444455556666/history',
        KEY_AUDIT_SECURITY_HUB: 'true',
      }),
    ).toMatchObject({ history: 's3://key-audit-history-444455556666/history', securityHub: true });
  });

  it('does read everything the stack sets in organisation mode', () => {
    const config = parseHandlerConfig({
      ...minimal,
      KEY_AUDIT_SOURCE: 'api',
      KEY_AUDIT_ORG: 'true',
      KEY_AUDIT_OUS: 'ou-ab12-cdef3456, r-ab12',
      KEY_AUDIT_EXCLUDE: '111111111111,222222222222',
      KEY_AUDIT_ROLE_NAME: 'audit/KeyAuditReader',
      KEY_AUDIT_EXTERNAL_ID: 'key-audit-2026',
      KEY_AUDIT_POLICY: JSON.stringify({ maxKeyAgeDays: 60, warnDays: 7 }),
      KEY_AUDIT_ALERT_SEVERITY: 'critical',
      KEY_AUDIT_ALERT_WINDOW_HOURS: '72',
      KEY_AUDIT_CONCURRENCY: '8',
      KEY_AUDIT_PRODUCTION: JSON.stringify({
        ous: ['ou-ab12-prod0001'],
        accountTag: { environment: 'prod' },
      }),
      POWERTOOLS_SERVICE_NAME: 'key-audit',
      POWERTOOLS_METRICS_NAMESPACE: 'KeyAudit',
    });
    expect(config).toMatchObject({
      source: 'api',
      targets: {
        kind: 'organisation',
        ous: ['ou-ab12-cdef3456', 'r-ab12'],
        exclude: ['111111111111', '222222222222'],
      },
      roleName: 'audit/KeyAuditReader',
      externalId: 'key-audit-2026',
      policy: { ...DEFAULT_POLICY, maxKeyAgeDays: 60, warnDays: 7 },
      alertSeverity: 'critical',
      alertWindowHours: 72,
      concurrency: 8,
      production: { accounts: [], ous: ['ou-ab12-prod0001'], accountTag: { environment: 'prod' } },
    });
  });

  it('does read the enforcement policy, production accounts and remediation role from their variables', () => {
    const config = parseHandlerConfig({
      ...minimal,
      KEY_AUDIT_ENFORCEMENT: JSON.stringify({ mode: 'apply', deleteAfterDays: 30, maxActionsPerRun: 3 }),
      KEY_AUDIT_PRODUCTION: JSON.stringify({ ous: ['ou-ab12-cdef3456'], accountTag: { env: 'prod' } }),
      KEY_AUDIT_REMEDIATION_ROLE_NAME: 'KeyFixer',
    });
    expect(config).toMatchObject({
      enforcement: { ...DEFAULT_ENFORCEMENT, mode: 'apply', deleteAfterDays: 30, maxActionsPerRun: 3 },
      production: { accounts: [], ous: ['ou-ab12-cdef3456'], accountTag: { env: 'prod' } },
      remediationRoleName: 'KeyFixer',
    });
  });

  it.each([
    [
      { KEY_AUDIT_ENFORCEMENT: '{"mode":"on"}' },
      'KEY_AUDIT_ENFORCEMENT: mode: "on" must be one of off, plan, apply',
    ],
    [
      { KEY_AUDIT_ENFORCEMENT: '{"noticeDay":7}' },
      'KEY_AUDIT_ENFORCEMENT: noticeDay: unknown setting (did you mean noticeDays?)',
    ],
    [{ KEY_AUDIT_ENFORCEMENT: 'apply' }, /^KEY_AUDIT_ENFORCEMENT: not valid JSON: /],
    [
      { KEY_AUDIT_PRODUCTION: '{"accountTag":{"env":1}}' },
      'KEY_AUDIT_PRODUCTION: accountTag.env: 1 is not a tag value (a string of up to 256 characters)',
    ],
  ])('does name the problem of a bad enforcement variable %j', (variables, problem) => {
    expect(problemsOf({ ...minimal, ...variables })).toEqual([
      typeof problem === 'string' ? problem : expect.stringMatching(problem),
    ]);
  });

  it('does scan the listed accounts in account mode', () => {
    expect(
      parseHandlerConfig({ ...minimal, KEY_AUDIT_ACCOUNTS: '111111111111, 222222222222' }).targets,
    ).toEqual({
      kind: 'accounts',
      accountIds: ['111111111111', '222222222222'],
    });
  });

  it('does treat a blank variable as unset', () => {
    expect(parseHandlerConfig({ ...minimal, KEY_AUDIT_SOURCE: ' ' }).source).toBe('report');
  });

  it.each([
    ['alone', {}],
    ['next to organisation mode', { KEY_AUDIT_ORG: 'true' }],
    ['next to organisation mode switched off', { KEY_AUDIT_ORG: 'false' }],
  ])('does refuse an empty KEY_AUDIT_ACCOUNTS %s instead of scanning the own account', (_label, mode) => {
    for (const blank of ['', ' ']) {
      expect(problemsOf({ ...minimal, ...mode, KEY_AUDIT_ACCOUNTS: blank })).toEqual([
        `KEY_AUDIT_ACCOUNTS: ${JSON.stringify(blank)} lists no account id (unset the variable to scan only the scanner account)`,
      ]);
    }
  });

  it.each([
    [ENV.source, 'live', '"live" must be "report" or "api"'],
    [ENV.org, 'yes', '"yes" must be true or false'],
    [ENV.accounts, '1234', 'invalid AWS account id "1234"'],
    [ENV.accounts, ',', 'lists no account id'],
    [ENV.ous, 'ou-ab12-cdef3456', 'is only used with KEY_AUDIT_ORG=true'],
    [ENV.exclude, '111111111111', 'is only used with KEY_AUDIT_ORG=true'],
    [ENV.roleName, 'has space', 'invalid role name "has space"'],
    [ENV.externalId, 'x', 'invalid external id: expected'],
    [ENV.policy, '{"maxKeyAgeDays": 90', 'not valid JSON'],
    [ENV.policy, '{"maxKeyAgeDays": -1}', 'maxKeyAgeDays: -1 is not a positive whole number of days'],
    [ENV.policy, '{"maxAgeDays": 90}', 'maxAgeDays: unknown setting'],
    [ENV.policy, '{"maxExemptionDays": 0}', 'maxExemptionDays: 0 is not a positive whole number of days'],
    [ENV.production, '{"accounts": ["1"]}', 'accounts[0]: invalid AWS account id "1"'],
    [ENV.production, '{"ou": []}', 'ou: unknown setting (did you mean ous?)'],
    [ENV.production, '{"accountTag": {"env": 1}}', 'accountTag.env: 1 is not a tag value'],
    [ENV.production, '{"accountTag": []}', 'accountTag: [] must be an object of tag keys and values'],
    [ENV.production, 'production', 'not valid JSON'],
    [ENV.reportTopicArn, 'key-audit-report', 'invalid SNS topic ARN "key-audit-report"'],
    [ENV.alertTopicArn, 'arn:aws:sqs:eu-west-2:123456789012:q', 'invalid SNS topic ARN'],
    [ENV.alertSeverity, 'urgent', '"urgent" must be one of critical, high, medium, low, info'],
    [ENV.alertWindowHours, '0', 'is not a whole number of hours'],
    [ENV.alertWindowHours, '1.5', 'is not a whole number of hours'],
    [ENV.concurrency, 'four', 'is not a whole number of accounts'],
    [ENV.concurrency, '500', 'from 1 to 50'],
    [
      ENV.history,
      '/tmp/history',
      '"/tmp/history" must be s3://bucket/prefix (the function keeps its history in S3)',
    ],
    [ENV.history, 's3://', 'no bucket after s3://'],
    [ENV.history, 's3://Bucket/x', '"Bucket" is not an S3 bucket name'],
    [ENV.securityHub, 'yes', '"yes" must be true or false'],
  ])('does name %s when it is %j', (name, value, problem) => {
    const problems = problemsOf({ ...minimal, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(problems[0]).toContain(problem);
  });

  it.each([[ENV.reportTopicArn], [ENV.alertTopicArn]])('does require %s', (name) => {
    const { [name]: _removed, ...env } = minimal;
    expect(problemsOf(env)).toEqual([`${name}: missing (the SNS topic ARN to publish to)`]);
  });

  it('does name a bad organisational unit id', () => {
    expect(problemsOf({ ...minimal, KEY_AUDIT_ORG: 'true', KEY_AUDIT_OUS: 'ou-1' })).toEqual([
      expect.stringMatching(/^KEY_AUDIT_OUS: invalid organisational unit id "ou-1"/),
    ]);
  });

  it('does refuse accounts together with organisation mode', () => {
    expect(problemsOf({ ...minimal, KEY_AUDIT_ORG: 'true', KEY_AUDIT_ACCOUNTS: '111111111111' })).toEqual([
      'KEY_AUDIT_ACCOUNTS: cannot be combined with KEY_AUDIT_ORG=true (choose one mode)',
    ]);
  });

  it('does refuse an unknown KEY_AUDIT_ variable, suggesting the one it resembles', () => {
    expect(problemsOf({ ...minimal, KEY_AUDIT_ACOUNTS: '111111111111' })).toEqual([
      'KEY_AUDIT_ACOUNTS: unknown variable (did you mean KEY_AUDIT_ACCOUNTS?)',
    ]);
  });

  it('does report every problem at once, in one error message', () => {
    const env = {
      KEY_AUDIT_SOURCE: 'live',
      KEY_AUDIT_ACCOUNTS: '1234,5678',
      KEY_AUDIT_CONCURRENCY: '0',
      KEY_AUDIT_POLICY: '{"warnDays": 100}',
    };
    let error: unknown;
    try {
      parseHandlerConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      ENV.source,
      ENV.accounts,
      ENV.accounts,
      ENV.policy,
      ENV.reportTopicArn,
      ENV.alertTopicArn,
      ENV.concurrency,
    ]);
    expect((error as Error).message).toBe(`invalid configuration: ${problems.join('; ')}`);
  });
});
