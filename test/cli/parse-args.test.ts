import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../bin/cli/parse-args.ts';

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

  it('returns help and version commands when asked', () => {
    expect(parseCommandLine(['--help'])).toEqual({ command: 'help' });
    expect(parseCommandLine(['scan', '--version'])).toEqual({ command: 'version' });
  });

  it.each([
    [[], /^missing command/],
    [['audit'], /^unknown command "audit"/],
    [['scan', '--accounts', '12345'], /^--accounts: "12345" is not a 12-digit AWS account id$/],
    [['scan', '--accounts', ''], /^--accounts: no account ids given$/],
    [['scan', '--org', '--accounts', '111111111111'], /^--org and --accounts cannot be combined$/],
    [['scan', '--ou', 'ou-ab12-cdef3456'], /^--ou needs --org$/],
    [['scan', '--org', '--ou', 'sales'], /^--ou: "sales" is not an organisational unit id/],
    [['scan', '--source', 'cache'], /^--source: "cache" is not report or api$/],
    [
      ['scan', '--format', 'xml'],
      /^--format: "xml" is not one of table, json, markdown, email, slack, asff, csv$/,
    ],
    [
      ['scan', '--credential-report', 'a.csv', '--publish-securityhub'],
      /^--publish-securityhub needs a live scan/,
    ],
    [['scan', '--fail-on', 'severe'], /^--fail-on: "severe" is not critical, high, medium, low or info$/],
    [['scan', '--max-age-days', '0'], /^--max-age-days: "0" is not a positive whole number$/],
    [['scan', '--warn-days', '1.5'], /^--warn-days: "1.5" is not a positive whole number$/],
    [['scan', '--concurrency', 'many'], /^--concurrency: "many" is not a positive whole number$/],
    [['scan', '--credential-report', 'a.csv', '--org'], /^--org cannot be combined with --credential-report/],
    [['scan', 'a.csv'], /^unexpected argument "a.csv"/],
    [['scan', '--publish-report', 'my-topic'], /^--publish-report: "my-topic" is not an SNS topic ARN/],
    [['scan', '--alert-since', '2d'], /^--alert-since needs --publish-alerts$/],
    [['scan', '--role-name', 'bad role'], /^--role-name: "bad role" is not an IAM role name$/],
    [['scan', '--as-of', 'tomorrow'], /^--as-of: "tomorrow" is not an ISO-8601/],
    [['scan', '--colour'], /Unknown option '--colour'.*\(see --help\)$/],
  ])('refuses %j with one line naming the problem', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
    try {
      parseCommandLine(argv);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).name).toBe('InputError');
    }
  });

  it('accepts --fail-on none to report without failing', () => {
    expect(scan('--fail-on', 'none').failOn).toBe('none');
  });

  it.each(['asff', 'csv'])('accepts --format %s', (format) => {
    expect(scan('--format', format).format).toBe(format);
  });

  it('sets publishSecurityHub when --publish-securityhub is given to a live scan', () => {
    expect(scan('--accounts', '111111111111', '--publish-securityhub').publishSecurityHub).toBe(true);
  });
});
