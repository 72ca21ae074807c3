import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../lambda/domain/errors.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import {
  DEFAULT_CONFIG,
  isIanaTimeZone,
  MAX_POLICY_JSON_BYTES,
  maxGapHours,
  parseKeyAuditConfig,
  parseWeekDays,
  policyJson,
} from '../../lib/config.ts';

/** The problems of an invalid configuration (fails the test when the configuration is valid). */
const problemsOf = (input: unknown): readonly string[] => {
  try {
    parseKeyAuditConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
};

describe('parseKeyAuditConfig', () => {
  it('returns the documented defaults when the configuration is absent or empty', () => {
    expect(parseKeyAuditConfig(undefined)).toEqual(DEFAULT_CONFIG);
    expect(parseKeyAuditConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('takes the policy defaults from the domain policy so that CLI and Lambda agree', () => {
    const config = parseKeyAuditConfig({});
    expect(config.maxKeyAgeDays).toBe(DEFAULT_POLICY.maxKeyAgeDays);
    expect(config.warnDays).toBe(DEFAULT_POLICY.warnDays);
    expect(config.unusedDays).toBe(DEFAULT_POLICY.unusedDays);
    expect(config.rotationGraceDays).toBe(DEFAULT_POLICY.rotationGraceDays);
    expect(config.criticalAgeMultiplier).toBe(DEFAULT_POLICY.criticalAgeMultiplier);
  });

  it('defaults to a Monday 09:00 report and a daily 09:00 alert run in Europe/London', () => {
    const { report, alerts } = parseKeyAuditConfig({}).schedules;
    expect(report).toEqual({ enabled: true, minute: 0, hour: 9, weekDay: 'MON', timeZone: 'Europe/London' });
    expect(alerts).toEqual({ enabled: true, minute: 0, hour: 9, weekDay: '*', timeZone: 'Europe/London' });
  });

  it('keeps the configured values of a complete organisation configuration', () => {
    const input = {
      organisation: true,
      organisationId: 'o-abcdefghij',
      ous: ['ou-ab12-cdef3456', 'r-ab12'],
      exclude: ['012345678901'],
      roleName: 'AuditRead',
      externalId: 'ext-123',
      scannerRoleName: 'audit-scanner',
      scannerAccountId: '444455556666',
      source: 'api',
      maxKeyAgeDays: 60,
      warnDays: 10,
      unusedDays: 30,
      rotationGraceDays: 3,
      criticalAgeMultiplier: 1.5,
      exemptions: [{ accountId: '012345678901', userName: 'ci-*', until: '2030-02-28', reason: 'SEC-1' }],
      schedules: { alerts: { weekDay: 'MON-FRI', hour: 7, minute: 30, timeZone: 'UTC', enabled: false } },
      reportEmails: ['a@example.com'],
      alertEmails: ['b@example.org'],
      slack: { workspaceId: 'T0123ABCDE', alertChannelId: 'C0456FGHIJ' },
      alertSeverity: 'critical',
      concurrency: 10,
      logRetentionDays: 365,
      lambda: { memoryMb: 2048, timeoutSeconds: 600, reservedConcurrency: 2 },
      stackSet: { targets: ['ou-ab12-cdef3456'], region: 'eu-west-2', callAs: 'DELEGATED_ADMIN' },
    };
    const config = parseKeyAuditConfig(input);
    expect(config).toEqual({
      ...input,
      accounts: [],
      production: { accounts: [], ous: [], accountTag: {} },
      maxExemptionDays: 90,
      // Schedules not mentioned keep their defaults; the mentioned one is taken as given.
      schedules: { report: DEFAULT_CONFIG.schedules.report, alerts: input.schedules.alerts },
    });
  });

  it('ignores keys starting with // so that cdk.json can carry comments', () => {
    expect(parseKeyAuditConfig({ '//': 'a comment', schedules: { '// why': 'x' } })).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    [{ accounts: ['12345'] }, 'key-audit.accounts[0]: invalid AWS account id "12345": expected 12 digits'],
    [
      { accounts: ['111122223333', 'abc'] },
      'key-audit.accounts[1]: invalid AWS account id "abc": expected 12 digits',
    ],
    [{ accounts: [11112222333] }, 'key-audit.accounts[0]: 11112222333 must be a quoted string of 12 digits'],
    [{ accounts: '111122223333' }, 'key-audit.accounts: "111122223333" must be a list'],
    [{ organisation: 'yes' }, 'key-audit.organisation: "yes" must be true or false'],
    [{ organisation: true }, 'key-audit.organisationId: is required when organisation is true'],
    [
      { organisation: true, organisationId: 'o-1', accounts: ['111122223333'] },
      'key-audit.organisationId: invalid organisation id "o-1"',
    ],
    [
      { organisation: true, organisationId: 'o-abcdefghij', accounts: ['111122223333'] },
      'key-audit.accounts: cannot be combined with organisation: true',
    ],
    [{ ous: ['ou-ab12-cdef3456'] }, 'key-audit.ous: is only used with organisation: true'],
    [{ exclude: ['111122223333'] }, 'key-audit.exclude: is only used with organisation: true'],
    [
      { organisation: true, organisationId: 'o-abcdefghij', ous: ['sales'] },
      'key-audit.ous[0]: invalid organisational unit id "sales"',
    ],
    [{ roleName: 'has space' }, 'key-audit.roleName: invalid role name "has space"'],
    // The member-role stacks create the role under this name: CreateRole takes no path in RoleName.
    [{ roleName: 'audit/KeyAuditRead' }, 'key-audit.roleName: invalid role name "audit/KeyAuditRead"'],
    [{ scannerRoleName: '' }, 'key-audit.scannerRoleName: invalid role name ""'],
    [{ externalId: 'x' }, 'key-audit.externalId: invalid external id: expected 2-1224 characters'],
    [{ scannerAccountId: '1234' }, 'key-audit.scannerAccountId: invalid AWS account id "1234"'],
    [{ source: 'csv' }, 'key-audit.source: "csv" must be "report" or "api"'],
    [{ maxKeyAgeDays: 0 }, 'key-audit.maxKeyAgeDays: 0 is not a positive whole number of days'],
    [{ maxKeyAgeDays: 90.5 }, 'key-audit.maxKeyAgeDays: 90.5 is not a positive whole number of days'],
    [{ unusedDays: '45' }, 'key-audit.unusedDays: "45" is not a positive whole number of days'],
    [{ rotationGraceDays: -1 }, 'key-audit.rotationGraceDays: -1 is not a positive whole number of days'],
    [{ warnDays: 90 }, 'key-audit.warnDays: 90 must be less than maxKeyAgeDays (90)'],
    [{ warnDays: 20, maxKeyAgeDays: 15 }, 'key-audit.warnDays: 20 must be less than maxKeyAgeDays (15)'],
    [{ criticalAgeMultiplier: 0.5 }, 'key-audit.criticalAgeMultiplier: 0.5 is not a number greater than 1'],
    // 1 would make every too-old key critical at once; the handler refuses it, so synth must too.
    [{ criticalAgeMultiplier: 1 }, 'key-audit.criticalAgeMultiplier: 1 is not a number greater than 1'],
    [{ exemptions: [{ until: '2030-01-01', reason: 'r' }] }, 'key-audit.exemptions[0].userName: missing'],
    [
      { exemptions: [{ userName: 'bob', until: '2030-02-30', reason: 'r' }] },
      'key-audit.exemptions[0].until: "2030-02-30" is not a date (YYYY-MM-DD)',
    ],
    [
      { exemptions: [{ userName: 'bob', until: '2030-01-01', reason: ' ' }] },
      'key-audit.exemptions[0].reason: " " is not a reason',
    ],
    [
      { exemptions: [{ accountId: '1', userName: 'bob', until: '2030-01-01', reason: 'r' }] },
      'key-audit.exemptions[0].accountId: invalid AWS account id "1": expected 12 digits or "*"',
    ],
    [
      { exemptions: [{ userName: 'bob', until: '2030-01-01', reason: 'r', expires: 'x' }] },
      'key-audit.exemptions[0].expires: unknown setting',
    ],
    [
      { schedules: { report: { timeZone: 'Europe/Londn' } } },
      'key-audit.schedules.report.timeZone: "Europe/Londn" is not an IANA time zone',
    ],
    [
      { schedules: { alerts: { hour: 24 } } },
      'key-audit.schedules.alerts.hour: 24 is not a whole number from 0 to 23',
    ],
    [
      { schedules: { alerts: { minute: '*/5' } } },
      'key-audit.schedules.alerts.minute: "*/5" is not a whole number from 0 to 59',
    ],
    [
      { schedules: { report: { weekDay: 'FRI-MON' } } },
      'key-audit.schedules.report.weekDay: "FRI-MON" is not a day-of-week field',
    ],
    [
      { schedules: { report: { enabled: 'no' } } },
      'key-audit.schedules.report.enabled: "no" must be true or false',
    ],
    [{ schedules: { weekly: {} } }, 'key-audit.schedules.weekly: unknown setting'],
    [{ reportEmails: ['not-an-email'] }, 'key-audit.reportEmails[0]: "not-an-email" is not an email address'],
    [{ alertEmails: ['a@example.com', 'b@'] }, 'key-audit.alertEmails[1]: "b@" is not an email address'],
    [
      { slack: { reportChannelId: 'C0123ABCDE' } },
      'key-audit.slack.workspaceId: is required when slack is set',
    ],
    [
      { slack: { workspaceId: 'T0123ABCDE' } },
      'key-audit.slack: needs reportChannelId, alertChannelId or both',
    ],
    [
      { slack: { workspaceId: 't-lower', alertChannelId: 'C1' } },
      'key-audit.slack.workspaceId: "t-lower" is not a Slack workspace id',
    ],
    [
      { slack: { workspaceId: 'T0123ABCDE', alertChannelId: '#alerts' } },
      'key-audit.slack.alertChannelId: "#alerts" is not a Slack channel id',
    ],
    [
      { alertSeverity: 'urgent' },
      'key-audit.alertSeverity: "urgent" must be one of critical, high, medium, low, info',
    ],
    [{ concurrency: 0 }, 'key-audit.concurrency: 0 is not a whole number of accounts from 1 to 50'],
    [{ logRetentionDays: 100 }, 'key-audit.logRetentionDays: 100 is not a CloudWatch Logs retention'],
    [
      { lambda: { memoryMb: 64 } },
      'key-audit.lambda.memoryMb: 64 is not a whole number of MB from 128 to 10240',
    ],
    [
      { lambda: { timeoutSeconds: 901 } },
      'key-audit.lambda.timeoutSeconds: 901 is not a whole number of seconds from 1 to 900',
    ],
    [
      { lambda: { reservedConcurrency: 0 } },
      'key-audit.lambda.reservedConcurrency: 0 is not a positive whole number',
    ],
    [{ stackSet: {} }, 'key-audit.stackSet.targets: needs at least one root or OU id'],
    [
      { stackSet: { targets: ['o-abcdefghij'] } },
      'key-audit.stackSet.targets[0]: invalid organisational unit id "o-abcdefghij"',
    ],
    [
      { stackSet: { targets: ['r-ab12'], region: 'eu-west-2,us-east-1' } },
      'key-audit.stackSet.region: "eu-west-2,us-east-1" is not an AWS region',
    ],
    [
      { stackSet: { targets: ['r-ab12'], callAs: 'ADMIN' } },
      'key-audit.stackSet.callAs: "ADMIN" must be "SELF" or "DELEGATED_ADMIN"',
    ],
    [{ maxKeyAge: 30 }, 'key-audit.maxKeyAge: unknown setting (did you mean maxKeyAgeDays?)'],
  ])('rejects %j naming the field and the problem', (input, expected) => {
    const problems = problemsOf(input);
    expect(
      problems.some((p) => p.startsWith(expected)),
      `${expected}\nin: ${problems.join('\n')}`,
    ).toBe(true);
  });

  it('rejects a configuration that is not an object', () => {
    expect(problemsOf(['accounts'])).toEqual(['key-audit: ["accounts"] must be an object']);
  });

  it('reports every problem at once, in one error whose message lists them all', () => {
    const input = {
      accounts: ['12345'],
      schedules: { report: { timeZone: 'Europe/Londn' } },
      reportEmails: ['nobody'],
      warnDays: 100,
    };
    let error: unknown;
    try {
      parseKeyAuditConfig(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const { problems, message } = error as ConfigurationError;
    const fields = [
      'key-audit.accounts[0]',
      'key-audit.schedules.report.timeZone',
      'key-audit.reportEmails[0]',
      'key-audit.warnDays',
    ];
    expect(problems).toHaveLength(fields.length);
    for (const field of fields) {
      expect(problems.some((p) => p.startsWith(`${field}:`))).toBe(true);
      expect(message).toContain(field);
    }
  });

  it('rejects a policy whose JSON would not fit the 4 KB Lambda environment', () => {
    const exemption = { userName: 'user-with-a-long-name', until: '2030-01-01', reason: 'x'.repeat(100) };
    const count = Math.ceil(MAX_POLICY_JSON_BYTES / JSON.stringify(exemption).length) + 1;
    const problems = problemsOf({ exemptions: Array.from({ length: count }, () => exemption) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^key-audit\.exemptions: the policy JSON is \d+ bytes/);
  });
});

describe('policyJson', () => {
  it('serialises exactly the policy fields the handler reads', () => {
    const parsed: unknown = JSON.parse(policyJson(parseKeyAuditConfig({ maxKeyAgeDays: 30, warnDays: 5 })));
    expect(parsed).toEqual({
      maxKeyAgeDays: 30,
      warnDays: 5,
      unusedDays: DEFAULT_POLICY.unusedDays,
      rotationGraceDays: DEFAULT_POLICY.rotationGraceDays,
      criticalAgeMultiplier: DEFAULT_POLICY.criticalAgeMultiplier,
      maxExemptionDays: DEFAULT_POLICY.maxExemptionDays,
      exemptions: [],
    });
  });
});

describe('isIanaTimeZone', () => {
  it.each(['Europe/London', 'America/New_York', 'UTC', 'Asia/Kolkata'])('accepts %s', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(true);
  });

  it.each(['Europe/Londn', 'europe/london', 'London', '', 'GMT+1'])('rejects %j', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });
});

describe('parseWeekDays', () => {
  it.each([
    ['*', [0, 1, 2, 3, 4, 5, 6]],
    ['MON', [1]],
    ['mon', [1]],
    ['1', [0]],
    ['MON-FRI', [1, 2, 3, 4, 5]],
    ['MON,WED,FRI', [1, 3, 5]],
    ['SAT,SUN', [0, 6]],
    ['2-3,SAT', [1, 2, 6]],
  ])('reads %s as days %j (0 = SUN)', (field, days) => {
    expect(parseWeekDays(field)).toEqual(days);
  });

  it.each(['', 'MONDAY', '8', 'FRI-MON', 'MON-TUE-WED', 'MON#1', 'L'])('rejects %j', (field) => {
    expect(parseWeekDays(field)).toBeNull();
  });
});

describe('maxGapHours', () => {
  it.each([
    ['*', 24],
    ['MON', 168],
    ['MON-FRI', 72],
    ['MON,THU', 96],
    ['SUN,SAT', 144],
  ])('is %s -> %i hours, the longest wait between two runs', (weekDay, hours) => {
    expect(maxGapHours(weekDay)).toBe(hours);
  });
});
