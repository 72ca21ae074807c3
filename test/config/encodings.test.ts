/**
 * The three encodings of one configuration agree: cdk.json's `key-audit` context (the CDK app), the
 * Lambda environment the stack derives from it (the handler) and the CLI's `--config` file. A file valid
 * for one is valid for the other, and all three derive the same policy from it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadPolicy } from '../../bin/cli/load-policy.ts';
import { parseHandlerConfig } from '../../lambda/config/handler-config.ts';
import { ConfigurationError } from '../../lambda/domain/errors.ts';
import { policyOf } from '../../lambda/domain/policy-config.ts';
import { parseKeyAuditConfig } from '../../lib/config.ts';
import { scannerEnvironment } from '../../lib/scanner-environment.ts';

const TOPICS = {
  reportTopicArn: 'arn:aws:sns:eu-west-2:444455556666:key-audit-report',
  alertTopicArn: 'arn:aws:sns:eu-west-2:444455556666:key-audit-alerts',
};

const VALID: readonly (readonly [string, Record<string, unknown>])[] = [
  ['the defaults', {}],
  [
    'a policy',
    {
      maxKeyAgeDays: 60,
      warnDays: 10,
      unusedDays: 30,
      rotationGraceDays: 3,
      criticalAgeMultiplier: 1.5,
      exemptions: [
        { userName: ' ci-* ', until: '2030-01-31', reason: ' legacy CI ' },
        { accountId: '111122223333', userName: 'svc-?', until: '2030-02-28', reason: 'SEC-1' },
      ],
    },
  ],
  [
    'a whole deployment with comments',
    {
      '//': 'cdk.json has no comments; keys starting with // are ignored',
      organisation: true,
      organisationId: 'o-abcdefghij',
      ous: ['ou-ab12-cdef3456'],
      exclude: ['999988887777'],
      production: { accounts: ['111122223333'], ous: ['r-ab12'], accountTag: { environment: 'production' } },
      roleName: 'KeyAuditRead',
      externalId: 'key-audit-7f3a',
      source: 'api',
      alertSeverity: 'critical',
      concurrency: 8,
      maxKeyAgeDays: 45,
      warnDays: 7,
      exemptions: [{ userName: 'legacy-*', until: '2027-01-31', reason: 'CHG-4821' }],
      schedules: { alerts: { weekDay: 'MON-FRI', hour: 7 } },
      reportEmails: ['security@example.com'],
      slack: { workspaceId: 'T0123ABCDE', alertChannelId: 'C0456FGHIJ' },
      lambda: { memoryMb: 2048 },
      stackSet: { targets: ['r-ab12'] },
    },
  ],
  [
    'enforcement in apply mode with production accounts',
    {
      production: { accounts: ['111122223333'], ous: ['ou-ab12-cdef3456'], accountTag: { env: 'prod' } },
      enforcement: { mode: 'apply', deactivateOverdueAfterDays: 30, deleteAfterDays: 60, noticeDays: 10 },
      remediationRoleName: 'KeyFixer',
    },
  ],
];

const INVALID: readonly (readonly [string, Record<string, unknown>])[] = [
  ['a typo', { maxKeyAge: 30 }],
  [
    'a bad threshold and a bad exemption',
    { warnDays: 0, exemptions: [{ userName: 'a', until: '2030-13-01' }] },
  ],
  ['contradicting thresholds', { maxKeyAgeDays: 10, warnDays: 10 }],
  ['a bad deployment-only setting', { schedules: { report: { hour: 24 } } }],
  ['organisation mode without its id', { organisation: true }],
  ['a bad enforcement setting', { enforcement: { mode: 'yes', maxActionsPerRun: 0 } }],
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'key-audit-encodings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `content` as a CLI config file. */
const configFile = async (name: string, content: unknown): Promise<string> => {
  const path = join(dir, `${name.replaceAll(' ', '-')}.json`);
  await writeFile(path, JSON.stringify(content));
  return path;
};

/** The problems of a configuration error, without the prefix that names the encoding. */
const problems = async (read: () => unknown, prefix: string): Promise<readonly string[]> => {
  try {
    await read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems.map((p) => {
      expect(p.startsWith(prefix), p).toBe(true);
      return p.slice(prefix.length);
    });
  }
  throw new Error('expected a ConfigurationError');
};

describe('one configuration, three encodings', () => {
  it.each(VALID)(
    'derives the same policy in the CDK app, the handler and the CLI from %s',
    async (name, input) => {
      const config = parseKeyAuditConfig(input);
      const handler = parseHandlerConfig(scannerEnvironment(config, TOPICS));
      const cli = await loadPolicy(await configFile(name, input), {});
      expect(handler.policy).toEqual(policyOf(config));
      expect(cli).toEqual(policyOf(config));
    },
  );

  it.each(VALID)('reads the same scan settings in the handler and the CLI from %s', async (name, input) => {
    const config = parseKeyAuditConfig(input);
    const handler = parseHandlerConfig(scannerEnvironment(config, TOPICS));
    const cli = await loadConfig(await configFile(name, input), {});
    expect({ ...cli, exemptions: undefined }).toEqual({ ...config, exemptions: undefined });
    expect(handler).toMatchObject({
      enforcement: cli.enforcement,
      production: cli.production,
      remediationRoleName: cli.remediationRoleName,
      source: cli.source,
      roleName: cli.roleName,
      alertSeverity: cli.alertSeverity,
      concurrency: cli.concurrency,
    });
  });

  it.each(INVALID)('refuses %s in cdk.json and in a CLI file alike', async (name, input) => {
    const path = await configFile(name, input);
    const cdk = await problems(() => parseKeyAuditConfig(input), 'key-audit.');
    const cli = await problems(() => loadConfig(path, {}), `${path}: `);
    expect(cli).toEqual(cdk);
  });

  it('never repeats the external id in a problem', async () => {
    const secret = 'x';
    const cdk = await problems(() => parseKeyAuditConfig({ externalId: secret }), 'key-audit.');
    const handler = await problems(
      () =>
        parseHandlerConfig({
          KEY_AUDIT_EXTERNAL_ID: secret,
          KEY_AUDIT_REPORT_TOPIC_ARN: TOPICS.reportTopicArn,
          KEY_AUDIT_ALERT_TOPIC_ARN: TOPICS.alertTopicArn,
        }),
      'KEY_AUDIT_EXTERNAL_ID: ',
    );
    for (const problem of [...cdk, ...handler]) expect(problem).not.toContain(`"${secret}"`);
  });
});
