/**
 * The stack and the handler share one contract: the environment the stack sets is exactly what the
 * handler accepts, and the metric the alarm watches is the one the handler emits. Each side has its own
 * tests; this one joins them, so a renamed variable fails here rather than at the first scheduled run.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../lambda/app/scheduled-job.ts';
import { ENV, parseHandlerConfig } from '../../lambda/config/handler-config.ts';
import { ACCOUNTS_CONFIG, buildTestApp, FULL_ORGANISATION_CONFIG } from './cdk-test-app.ts';

/** What the stack's references (topics, the history bucket) resolve to when deployed. */
const SAMPLE_TOPICS: Readonly<Record<string, string>> = {
  [ENV.reportTopicArn]: 'arn:aws:sns:eu-west-2:444455556666:key-audit-report',
  [ENV.alertTopicArn]: 'arn:aws:sns:eu-west-2:444455556666:key-audit-alerts',
  [ENV.history]: 's3://keyauditscanner-historybucket-1a2b3c4d5e6f/',
};

/** The scanner function's environment, with CloudFormation references replaced by sample values. */
const deployedEnvironment = (input: unknown): Record<string, string> => {
  const { scanner } = buildTestApp(input);
  const functions = Template.fromStack(scanner).findResources('AWS::Lambda::Function');
  const withEnv = Object.values(functions).filter(
    (fn) => (fn as { Properties?: { Environment?: unknown } }).Properties?.Environment !== undefined,
  );
  expect(withEnv).toHaveLength(1);
  const variables = (withEnv[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } })
    .Properties.Environment.Variables;
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      if (typeof value === 'string') return [name, value];
      const sample = SAMPLE_TOPICS[name];
      if (sample === undefined) throw new Error(`${name} is not a literal and has no sample value`);
      return [name, sample];
    }),
  );
};

describe('stack-to-handler environment contract', () => {
  it.each([
    ['own account', {}, { kind: 'caller' }],
    ['account mode', ACCOUNTS_CONFIG, { kind: 'accounts', accountIds: ACCOUNTS_CONFIG.accounts }],
    [
      'organisation mode',
      FULL_ORGANISATION_CONFIG,
      { kind: 'organisation', ous: FULL_ORGANISATION_CONFIG.ous, exclude: FULL_ORGANISATION_CONFIG.exclude },
    ],
  ])('is accepted by the handler in %s', (_mode, input, targets) => {
    const config = parseHandlerConfig(deployedEnvironment(input));
    expect(config.targets).toEqual(targets);
    expect(config.reportTopicArn).toBe(SAMPLE_TOPICS[ENV.reportTopicArn]);
    expect(config.alertTopicArn).toBe(SAMPLE_TOPICS[ENV.alertTopicArn]);
    expect(config.history).toBe(SAMPLE_TOPICS[ENV.history]);
    expect(config.policy.maxKeyAgeDays).toBe(90);
    expect(config.securityHub).toBe(false);
  });

  it('turns the Security Hub import on in the handler when securityHub is on', () => {
    expect(
      parseHandlerConfig(deployedEnvironment({ ...ACCOUNTS_CONFIG, securityHub: true })).securityHub,
    ).toBe(true);
  });

  it('carries thresholds, exemptions and the external id through to the handler when configured', () => {
    const config = parseHandlerConfig(
      deployedEnvironment({
        ...ACCOUNTS_CONFIG,
        maxKeyAgeDays: 60,
        warnDays: 10,
        externalId: 'key-audit-7f3a',
        alertSeverity: 'critical',
        exemptions: [{ userName: 'legacy-*', until: '2027-01-31', reason: 'CHG-4821 partner bridge' }],
      }),
    );
    expect(config.policy).toMatchObject({ maxKeyAgeDays: 60, warnDays: 10 });
    expect(config.policy.exemptions).toEqual([
      { accountId: '*', userName: 'legacy-*', until: '2027-01-31', reason: 'CHG-4821 partner bridge' },
    ]);
    expect(config.externalId).toBe('key-audit-7f3a');
    expect(config.alertSeverity).toBe('critical');
  });

  it('emits the failed-accounts metric in the namespace and dimension the alarm watches', () => {
    const { scanner } = buildTestApp({});
    const alarms = Template.fromStack(scanner).findResources('AWS::CloudWatch::Alarm');
    const failed = Object.values(alarms)
      .map((a) => (a as { Properties: Record<string, unknown> }).Properties)
      .filter((p) => p.MetricName === METRIC.accountsFailed);
    expect(failed).toHaveLength(1);
    const config = parseHandlerConfig(deployedEnvironment({}));
    expect(failed[0]).toMatchObject({
      Namespace: config.metricsNamespace,
      Dimensions: [{ Name: 'service', Value: config.serviceName }],
    });
  });
});
