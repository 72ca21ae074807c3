import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../bin/cli/option-specs.ts';
import { liveInputOf, parseCommandLine } from '../../bin/cli/parse-args.ts';
import { SCAN_DEFAULTS } from '../../lambda/config/scan-settings.ts';

const TOPIC = 'arn:aws:sns:eu-west-2:444455556666:key-audit-alerts';

const scan = (...args: string[]) => {
  const parsed = parseCommandLine(['scan', ...args]);
  if (parsed.command !== 'scan') throw new Error(`expected scan, got ${parsed.command}`);
  return parsed;
};

describe('parseCommandLine', () => {
  it('uses the documented defaults when only the command is given', () => {
    const parsed = scan();
    expect(parsed.input).toEqual({
      kind: 'live',
      source: 'report',
      accounts: { mode: 'self' },
      roleName: 'KeyAuditReadOnly',
      concurrency: 4,
    });
    expect(parsed).toMatchObject({
      format: 'table',
      failOn: 'medium',
      quiet: false,
      alertSeverity: 'high',
      publishSecurityHub: false,
    });
    expect(parsed.alertSinceMs).toBe(86_400_000);
    expect(parsed.asOf).toBeUndefined();
  });

  it('collects credential report files given after one flag, as a shell glob expands them', () => {
    const parsed = scan('--credential-report', 'a.csv', 'b.csv', '--credential-report', 'c.csv');
    expect(parsed.input).toEqual({ kind: 'files', files: ['a.csv', 'c.csv', 'b.csv'] });
  });

  it('reads accounts, organisation and threshold flags when they are valid', () => {
    const parsed = scan(
      '--org',
      '--ou',
      'ou-ab12-cdef3456,r-ab12',
      '--exclude',
      '111111111111',
      '--max-age-days',
      '30',
      '--as-of',
      '2026-11-23T09:00:00Z',
      '--source',
      'api',
    );
    expect(parsed.input).toMatchObject({
      source: 'api',
      accounts: { mode: 'org', ous: ['ou-ab12-cdef3456', 'r-ab12'], exclude: ['111111111111'] },
    });
    expect(parsed.thresholds).toEqual({ maxKeyAgeDays: 30 });
    expect(parsed.asOf?.toISOString()).toBe('2026-11-23T09:00:00.000Z');
  });

  it.each([[['--help']], [['-h']], [['scan', '-h']], [['scan', '--org', '--help']]])(
    'returns the help command for %j',
    (argv) => {
      expect(parseCommandLine(argv)).toEqual({ command: 'help' });
    },
  );

  it('returns the version command when asked', () => {
    expect(parseCommandLine(['scan', '--version'])).toEqual({ command: 'version' });
  });

  it('takes every default from the configuration schema and the option table', () => {
    const parsed = scan();
    expect(parsed.input).toEqual(liveInputOf(SCAN_DEFAULTS, {}));
    expect(parsed.alertSeverity).toBe(SCAN_DEFAULTS.alertSeverity);
    expect(parsed.format).toBe(OPTIONS.format.default);
    expect(parsed.failOn).toBe(OPTIONS['fail-on'].default);
    expect(parsed.settings).toEqual({});
  });

  it('records the settings given as flags, by setting name', () => {
    const parsed = scan('--role-name', 'audit/KeyAuditReader', '--concurrency', '12', '--warn-days', '5');
    expect(parsed.settings).toEqual({ roleName: 'audit/KeyAuditReader', concurrency: 12, warnDays: 5 });
    // A role to assume may sit under an IAM path; the role key-audit creates (cdk.json roleName) may not.
    expect(parsed.input).toMatchObject({ roleName: 'audit/KeyAuditReader', concurrency: 12 });
  });

  it('drops repeated account ids', () => {
    expect(scan('--accounts', '111111111111,111111111111').input).toMatchObject({
      accounts: { mode: 'accounts', accountIds: ['111111111111'] },
    });
  });

  it('reads --no-color, --profile and --region', () => {
    expect(scan('--no-color', '--profile', 'audit', '--region', 'eu-west-2')).toMatchObject({
      noColor: true,
      profile: 'audit',
      region: 'eu-west-2',
    });
    expect(scan()).toMatchObject({ noColor: false });
    expect(scan()).not.toHaveProperty('profile');
  });

  it.each([
    [[], /^missing command/],
    [['audit'], /^unknown command "audit"/],
    [['scan', '--accounts', '12345'], /^--accounts: invalid AWS account id "12345": expected 12 digits$/],
    [['scan', '--accounts', ''], /^--accounts: no ids given$/],
    [['scan', '--org', '--accounts', '111111111111'], /^--org and --accounts cannot be combined$/],
    [['scan', '--ou', 'ou-ab12-cdef3456'], /^--ou needs --org$/],
    [['scan', '--org', '--ou', 'sales'], /^--ou: invalid organisational unit id "sales"/],
    [['scan', '--source', 'cache'], /^--source: "cache" must be "report" or "api"$/],
    [
      ['scan', '--format', 'xml'],
      /^--format: "xml" must be one of table, json, markdown, email, slack, asff, csv$/,
    ],
    [
      ['scan', '--credential-report', 'a.csv', '--publish-securityhub'],
      /^--publish-securityhub cannot be combined with --credential-report/,
    ],
    [
      ['scan', '--fail-on', 'severe'],
      /^--fail-on: "severe" must be one of critical, high, medium, low, info, none$/,
    ],
    [['scan', '--max-age-days', '0'], /^--max-age-days: 0 is not a positive whole number of days$/],
    [['scan', '--warn-days', '1.5'], /^--warn-days: "1.5" is not a positive whole number of days$/],
    [
      ['scan', '--concurrency', 'many'],
      /^--concurrency: "many" is not a whole number of accounts from 1 to 50$/,
    ],
    [['scan', '--concurrency', '51'], /^--concurrency: 51 is not a whole number of accounts from 1 to 50$/],
    [['scan', '--credential-report', 'a.csv', '--org'], /^--org cannot be combined with --credential-report/],
    [['scan', 'a.csv'], /^unexpected argument "a.csv"/],
    [['scan', '--publish-report', 'my-topic'], /^--publish-report: invalid SNS topic ARN "my-topic"/],
    [['scan', '--alert-since', '2d'], /^--alert-since needs --publish-alerts$/],
    [['scan', '--history', 's3://'], /^--history: history location "s3:\/\/": no bucket after s3:\/\/$/],
    [['scan', '--history', 'ftp://host/x'], /^--history: history location "ftp:\/\/host\/x": expected s3:/],
    [
      [
        'scan',
        '--history',
        './h',
        '--publish-alerts',
        'arn:aws:sns:eu-west-2:123456789012:a',
        '--alert-since',
        '2d',
      ],
      /^--alert-since cannot be combined with --history: a history sends every alert not delivered yet/,
    ],
    [
      ['scan', '--role-name', 'bad role'],
      /^--role-name: invalid role name "bad role": expected an IAM role name/,
    ],
    [['scan', '--external-id', 'x'], /^--external-id: invalid external id: expected 2-1224 characters/],
    [['scan', '--alert-severity', 'urgent'], /^--alert-severity: "urgent" must be one of critical, high/],
    [['scan', '--as-of', 'tomorrow'], /^--as-of: "tomorrow" is not an ISO-8601/],
    [['scan', '--colour'], /^--colour: unknown option \(see --help\)$/],
    [['scan', '--formt', 'json'], /^--formt: unknown option \(did you mean --format\?\) \(see --help\)$/],
    [['scan', '--no-colour'], /^--no-colour: unknown option \(did you mean --no-color\?\)/],
    [['scan', '-x'], /^-x: unknown option \(see --help\)$/],
    [['scan', '--enforce', 'off'], /^--enforce: "off" must be "plan" or "apply"$/],
    [['scan', '--enforce', 'apply', '--publish-alerts', TOPIC], /^--enforce: apply needs --history LOCATION/],
    [
      ['scan', '--enforce', 'apply', '--history', 'hist'],
      /^--enforce: apply needs --publish-alerts TOPIC_ARN/,
    ],
    [
      ['scan', '--credential-report', 'a.csv', '--enforce', 'plan'],
      /^--enforce cannot be combined with --credential-report/,
    ],
    [
      ['scan', '--history', 'ftp://host/dir'],
      /^--history: history location "ftp:\/\/host\/dir": expected s3:/,
    ],
  ])('refuses %j with one line naming the problem', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
    try {
      parseCommandLine(argv);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).name).toBe('InputError');
    }
  });

  it.each(['asff', 'csv'])('accepts --format %s', (format) => {
    expect(scan('--format', format).format).toBe(format);
  });

  it('sets publishSecurityHub when --publish-securityhub is given to a live scan', () => {
    expect(scan('--accounts', '111111111111', '--publish-securityhub').publishSecurityHub).toBe(true);
  });

  it.each(['./audit-history', 's3://key-audit-history/audit'])('reads --history %s', (location) => {
    expect(scan('--history', location).history).toBe(location);
  });

  it('keeps no history without --history', () => {
    expect(scan()).not.toHaveProperty('history');
  });

  it.each([
    [['--enforce', 'plan'], { enforce: 'plan' }],
    [
      ['--enforce', 'plan', '--history', 's3://bucket/audit'],
      { enforce: 'plan', history: 's3://bucket/audit' },
    ],
    [
      ['--enforce', 'apply', '--history', './history', '--publish-alerts', TOPIC],
      { enforce: 'apply', history: './history', publishAlerts: TOPIC },
    ],
  ])('reads %j as enforcement', (args, expected) => {
    expect(scan(...args)).toMatchObject(expected);
  });

  it('enforces nothing without --enforce', () => {
    expect(scan()).not.toHaveProperty('enforce');
  });

  it('accepts --fail-on none to report without failing', () => {
    expect(scan('--fail-on', 'none').failOn).toBe('none');
  });
});

describe('liveInputOf', () => {
  const file = {
    ...SCAN_DEFAULTS,
    organisation: true,
    ous: ['r-ab12'],
    roleName: 'FileRole',
    concurrency: 8,
  };

  it('takes what the command line does not set from the configuration file', () => {
    expect(liveInputOf(file, { concurrency: 2 })).toEqual({
      kind: 'live',
      source: 'report',
      accounts: { mode: 'org', ous: ['r-ab12'], exclude: [] },
      roleName: 'FileRole',
      concurrency: 2,
    });
  });

  it('replaces the file’s choice of accounts as a whole when the command line chooses accounts', () => {
    expect(liveInputOf(file, { accounts: ['111111111111'] }).accounts).toEqual({
      mode: 'accounts',
      accountIds: ['111111111111'],
    });
    expect(liveInputOf(file, { organisation: true }).accounts).toEqual({ mode: 'org', ous: [], exclude: [] });
  });
});
