import { describe, expect, it } from 'vitest';
import { parseKeyAuditConfig } from '../../lib/config.ts';
import {
  environmentBytes,
  MAX_ENVIRONMENT_BYTES,
  scannerEnvironment,
} from '../../lib/scanner-environment.ts';

const topics = { reportTopicArn: 'arn:report', alertTopicArn: 'arn:alert' };
const envFor = (input: unknown): Record<string, string> =>
  scannerEnvironment(parseKeyAuditConfig(input), topics);

describe('scannerEnvironment', () => {
  it('selects the own account by setting neither KEY_AUDIT_ACCOUNTS nor KEY_AUDIT_ORG when no mode is configured', () => {
    const env = envFor({});
    expect(env).not.toHaveProperty('KEY_AUDIT_ACCOUNTS');
    expect(env).not.toHaveProperty('KEY_AUDIT_ORG');
    expect(env).not.toHaveProperty('KEY_AUDIT_EXTERNAL_ID');
  });

  it('lists the accounts comma-separated in account mode', () => {
    const env = envFor({ accounts: ['111122223333', '222233334444'] });
    expect(env.KEY_AUDIT_ACCOUNTS).toBe('111122223333,222233334444');
    expect(env).not.toHaveProperty('KEY_AUDIT_ORG');
  });

  it('sets KEY_AUDIT_ORG, KEY_AUDIT_OUS and KEY_AUDIT_EXCLUDE in organisation mode', () => {
    const env = envFor({
      organisation: true,
      organisationId: 'o-abcdefghij',
      ous: ['ou-ab12-cdef3456', 'ou-ab12-abcd1234'],
      exclude: ['999988887777'],
    });
    expect(env).toMatchObject({
      KEY_AUDIT_ORG: 'true',
      KEY_AUDIT_OUS: 'ou-ab12-cdef3456,ou-ab12-abcd1234',
      KEY_AUDIT_EXCLUDE: '999988887777',
    });
    expect(env).not.toHaveProperty('KEY_AUDIT_ACCOUNTS');
  });

  it('omits empty OU and exclude lists in organisation mode (whole organisation)', () => {
    const env = envFor({ organisation: true, organisationId: 'o-abcdefghij' });
    expect(env.KEY_AUDIT_ORG).toBe('true');
    expect(env).not.toHaveProperty('KEY_AUDIT_OUS');
    expect(env).not.toHaveProperty('KEY_AUDIT_EXCLUDE');
  });

  it('passes names, policy, topics, severity, window and concurrency under the contract names', () => {
    const exemption = { userName: 'ci-*', until: '2030-01-31', reason: 'SEC-1' };
    const env = envFor({
      roleName: 'AuditRead',
      externalId: 'ext-123',
      source: 'api',
      maxKeyAgeDays: 60,
      exemptions: [exemption],
      alertSeverity: 'critical',
      concurrency: 8,
    });
    expect(env).toMatchObject({
      KEY_AUDIT_SOURCE: 'api',
      KEY_AUDIT_ROLE_NAME: 'AuditRead',
      KEY_AUDIT_EXTERNAL_ID: 'ext-123',
      KEY_AUDIT_REPORT_TOPIC_ARN: 'arn:report',
      KEY_AUDIT_ALERT_TOPIC_ARN: 'arn:alert',
      KEY_AUDIT_ALERT_SEVERITY: 'critical',
      KEY_AUDIT_ALERT_WINDOW_HOURS: '24',
      KEY_AUDIT_CONCURRENCY: '8',
      POWERTOOLS_SERVICE_NAME: 'key-audit',
      POWERTOOLS_METRICS_NAMESPACE: 'KeyAudit',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    const policy: unknown = JSON.parse(env.KEY_AUDIT_POLICY ?? '');
    expect(policy).toMatchObject({ maxKeyAgeDays: 60, exemptions: [exemption] });
  });

  it('carries production as JSON only when it names an account, OU or tag', () => {
    expect(envFor({})).not.toHaveProperty('KEY_AUDIT_PRODUCTION');
    const production = { accounts: ['111122223333'], ous: [], accountTag: { environment: 'production' } };
    expect(JSON.parse(envFor({ production }).KEY_AUDIT_PRODUCTION ?? '')).toEqual(production);
  });

  it('sets KEY_AUDIT_HISTORY to the history location and KEY_AUDIT_SECURITY_HUB when they are on', () => {
    const historyLocation = 's3://key-audit-history-444455556666/history';
    const env = scannerEnvironment(parseKeyAuditConfig({ securityHub: true }), {
      ...topics,
      history: historyLocation,
    });
    expect(env).toMatchObject({ KEY_AUDIT_HISTORY: historyLocation, KEY_AUDIT_SECURITY_HUB: 'true' });
  });

  it('leaves KEY_AUDIT_HISTORY and KEY_AUDIT_SECURITY_HUB out by default', () => {
    const env = envFor({});
    expect(env).not.toHaveProperty('KEY_AUDIT_HISTORY');
    expect(env).not.toHaveProperty('KEY_AUDIT_SECURITY_HUB');
  });

  it('passes the enforcement policy as JSON only when it is on, and production accounts only when some are named', () => {
    const off = envFor({});
    expect(off).not.toHaveProperty('KEY_AUDIT_ENFORCEMENT');
    expect(off).not.toHaveProperty('KEY_AUDIT_REMEDIATION_ROLE_NAME');
    expect(off).not.toHaveProperty('KEY_AUDIT_PRODUCTION');
    const on = envFor({
      enforcement: { mode: 'apply', deleteAfterDays: 30 },
      production: { ous: ['r-ab12'] },
    });
    expect(JSON.parse(on.KEY_AUDIT_ENFORCEMENT ?? '')).toMatchObject({ mode: 'apply', deleteAfterDays: 30 });
    expect(JSON.parse(on.KEY_AUDIT_PRODUCTION ?? '')).toEqual({
      accounts: [],
      ous: ['r-ab12'],
      accountTag: {},
    });
  });

  it.each([
    ['*', '24'],
    ['MON-FRI', '72'],
    ['MON', '168'],
  ])('sets the alert window to the longest gap between alert runs (weekDay %s -> %s h)', (weekDay, hours) => {
    expect(envFor({ schedules: { alerts: { weekDay } } }).KEY_AUDIT_ALERT_WINDOW_HOURS).toBe(hours);
  });

  it('hands the history location over as KEY_AUDIT_HISTORY, and none when there is no history', () => {
    const config = parseKeyAuditConfig({});
    expect(scannerEnvironment(config, { ...topics, history: 's3://evidence/key-audit/' })).toMatchObject({
      KEY_AUDIT_HISTORY: 's3://evidence/key-audit/',
    });
    expect(scannerEnvironment(config, topics)).not.toHaveProperty('KEY_AUDIT_HISTORY');
  });

  it('sets KEY_AUDIT_SECURITY_HUB=true only when securityHub is on', () => {
    expect(envFor({ securityHub: true }).KEY_AUDIT_SECURITY_HUB).toBe('true');
    expect(envFor({ securityHub: false })).not.toHaveProperty('KEY_AUDIT_SECURITY_HUB');
    expect(envFor({})).not.toHaveProperty('KEY_AUDIT_SECURITY_HUB');
  });

  it('keeps the whole environment within the 4 KB Lambda limit for the largest accepted policy', () => {
    const exemption = { userName: 'user-with-a-long-name', until: '2030-01-01', reason: 'x'.repeat(100) };
    const input = { exemptions: [] as (typeof exemption)[], externalId: 'e'.repeat(64), securityHub: true };
    // Grow the exemptions until the parser refuses one more: that is the largest accepted policy.
    for (;;) {
      const next = { ...input, exemptions: [...input.exemptions, exemption] };
      try {
        parseKeyAuditConfig(next);
      } catch {
        break;
      }
      input.exemptions = next.exemptions;
    }
    // Real topic ARNs: arn:aws:sns:<region>:<account>:<stack>-<id>-<suffix>, at most 256 characters each.
    const long = `arn:aws:sns:ap-southeast-2:111122223333:${'t'.repeat(210)}`;
    // The history bucket's generated name has at most 63 characters.
    const env = scannerEnvironment(parseKeyAuditConfig(input), {
      reportTopicArn: long,
      alertTopicArn: long,
      history: `s3://${'b'.repeat(63)}/`,
    });
    expect(environmentBytes(env)).toBeLessThanOrEqual(MAX_ENVIRONMENT_BYTES);
  });

  it('refuses, naming the size, a configuration whose environment would not fit in 4 KB', () => {
    const exemptions = Array.from({ length: 16 }, (_, i) => ({
      userName: `user-${i}`,
      until: '2030-01-01',
      reason: 'x'.repeat(100),
    }));
    const accounts = Array.from({ length: 60 }, (_, i) => String(100000000000 + i));
    const config = parseKeyAuditConfig({
      exemptions,
      production: { accounts },
      enforcement: { mode: 'apply' },
    });
    expect(() => scannerEnvironment(config, topics)).toThrow(
      /key-audit: the scanner's Lambda environment would be \d+ bytes, more than the 4096 Lambda allows/,
    );
  });
});
