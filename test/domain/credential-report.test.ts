import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../lambda/domain/credential-report.ts';
import { CredentialReportParseError } from '../../lambda/domain/errors.ts';

const FIXTURES = new URL('../fixtures/credential-reports/', import.meta.url);
const readFixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

/** The header exactly as AWS writes it. */
const COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;
type Column = (typeof COLUMNS)[number];
const HEADER = COLUMNS.join(',');

/** A user without keys, as AWS writes one; `values` overrides cells. */
const cells = (name: string, values: Partial<Record<Column, string>> = {}): Record<Column, string> => ({
  user: name,
  arn: `arn:aws:iam::123456789012:user/${name}`,
  user_creation_time: '2024-01-01T00:00:00+00:00',
  password_enabled: 'false',
  password_last_used: 'N/A',
  password_last_changed: 'N/A',
  password_next_rotation: 'N/A',
  mfa_active: 'false',
  access_key_1_active: 'false',
  access_key_1_last_rotated: 'N/A',
  access_key_1_last_used_date: 'N/A',
  access_key_1_last_used_region: 'N/A',
  access_key_1_last_used_service: 'N/A',
  access_key_2_active: 'false',
  access_key_2_last_rotated: 'N/A',
  access_key_2_last_used_date: 'N/A',
  access_key_2_last_used_region: 'N/A',
  access_key_2_last_used_service: 'N/A',
  cert_1_active: 'false',
  cert_1_last_rotated: 'N/A',
  cert_2_active: 'false',
  cert_2_last_rotated: 'N/A',
  ...values,
});

/** One CSV line; unquoted by default, as moto writes it. */
const line = (row: Record<Column, string>, columns: readonly Column[] = COLUMNS, quote = false): string =>
  columns.map((column) => (quote ? `"${row[column]}"` : row[column])).join(',');

const row = (name: string, values: Partial<Record<Column, string>> = {}): string => line(cells(name, values));

const report = (...rows: string[]): string => [HEADER, ...rows].join('\n');

const ACTIVE_KEY_1 = {
  access_key_1_active: 'true',
  access_key_1_last_rotated: '2025-01-15T10:22:31+00:00',
  access_key_1_last_used_date: '2025-03-01T08:00:00+00:00',
  access_key_1_last_used_region: 'eu-west-2',
  access_key_1_last_used_service: 's3',
} satisfies Partial<Record<Column, string>>;

/** The error `parseCredentialReport` throws; fails the test when it throws nothing or something else. */
const parseError = (csv: string, source = 'reports/a.csv'): CredentialReportParseError => {
  try {
    parseCredentialReport(csv, source);
  } catch (error) {
    if (error instanceof CredentialReportParseError) return error;
    throw error;
  }
  throw new Error('expected a CredentialReportParseError, but the report parsed');
};

describe('parseCredentialReport', () => {
  describe('with a report as AWS writes it', () => {
    const parsed = parseCredentialReport(readFixture('aws-123456789012.csv'), 'aws.csv');
    const user = (name: string) => parsed.users.find((candidate) => candidate.userName === name);

    it('does read the account id from the ARNs and every user row in file order', () => {
      expect(parsed.accountId).toBe('123456789012');
      expect(parsed.users.map((candidate) => candidate.userName)).toEqual([
        'alice',
        'bob',
        'carol',
        'ci+deploy@example.com',
        'dave',
        'svc-billing-export',
      ]);
    });

    it('does turn the <root_account> row into root instead of a user', () => {
      // The fixture's root row has access_key_1_active=false and last_rotated N/A in both slots.
      expect(parsed.root).toEqual({ accessKeys: [], hasActiveAccessKey: false });
      expect(parsed.users.some((candidate) => candidate.arn.endsWith(':root'))).toBe(false);
    });

    it('does read an active, used key with its date, region and service', () => {
      expect(user('alice')).toEqual({
        userName: 'alice',
        arn: 'arn:aws:iam::123456789012:user/alice',
        path: '/',
        tags: {},
        accessKeys: [
          {
            accessKeyId: null,
            slot: 1,
            status: 'active',
            createdAt: new Date('2025-01-15T10:22:31Z'),
            lastUsedAt: new Date('2025-03-01T08:00:00Z'),
            lastUsedService: 's3',
            lastUsedRegion: 'eu-west-2',
          },
        ],
      });
    });

    it('does keep an inactive key (active=false with a last_rotated date) as status inactive', () => {
      expect(user('bob')?.accessKeys).toEqual([
        expect.objectContaining({ slot: 1, status: 'inactive', createdAt: new Date('2023-05-10T14:00:00Z') }),
      ]);
    });

    it('does read a never-used key with null last-used date, region and service', () => {
      expect(user('carol')?.accessKeys).toEqual([
        expect.objectContaining({
          status: 'active',
          lastUsedAt: null,
          lastUsedRegion: null,
          lastUsedService: null,
        }),
      ]);
    });

    it('does read both slots and map region N/A of a global service (iam) to null', () => {
      const keys = user('ci+deploy@example.com')?.accessKeys ?? [];
      expect(keys.map((key) => [key.slot, key.status, key.lastUsedService, key.lastUsedRegion])).toEqual([
        [1, 'active', 'sts', 'us-east-1'],
        [2, 'active', 'iam', null],
      ]);
    });

    it('does give a user without keys an empty key list', () => {
      expect(user('dave')?.accessKeys).toEqual([]);
    });

    it('does take the IAM path from the ARN', () => {
      expect(user('svc-billing-export')?.path).toBe('/service/billing/');
      expect(user('ci+deploy@example.com')?.path).toBe('/ci/');
    });
  });

  describe('with a report as moto writes it', () => {
    const parsed = parseCredentialReport(readFixture('moto-123456789012.csv'), 'moto.csv');

    it('does leave root null when there is no <root_account> row', () => {
      expect(parsed.root).toBeNull();
    });

    it('does read unquoted user names with commas, rejoining the cells they spill over', () => {
      expect(parsed.users.map((candidate) => [candidate.userName, candidate.arn])).toEqual([
        ['alice', 'arn:aws:iam::123456789012:user/alice'],
        ['a=b,c.d', 'arn:aws:iam::123456789012:user/a=b,c.d'],
        ['ci+deploy@example.com', 'arn:aws:iam::123456789012:user/ci/ci+deploy@example.com'],
        ['no-keys', 'arn:aws:iam::123456789012:user/no-keys'],
      ]);
    });

    it('does read not_supported region and service as unknown (null)', () => {
      const keys = parsed.users.flatMap((candidate) => candidate.accessKeys);
      expect(keys.length).toBe(4);
      for (const key of keys) {
        expect(key.lastUsedRegion).toBeNull();
        expect(key.lastUsedService).toBeNull();
      }
    });

    it('does read an inactive key 1 next to an active key 2', () => {
      const keys = parsed.users.find(
        (candidate) => candidate.userName === 'ci+deploy@example.com',
      )?.accessKeys;
      expect(keys?.map((key) => [key.slot, key.status])).toEqual([
        [1, 'inactive'],
        [2, 'active'],
      ]);
    });
  });

  describe('with IAM user names that need care', () => {
    it.each([
      'ci+deploy@example.com',
      'a=b,c.d',
      'x,y,z',
      'svc_report-gen.v2',
      'first.last@example.co.uk',
      'A1+=,.@_-',
    ])('does read %s, quoted or not', (name) => {
      const values = { ...cells(name), ...ACTIVE_KEY_1 };
      for (const quote of [false, true]) {
        const parsed = parseCredentialReport(report(line(values, COLUMNS, quote)), 'names.csv');
        expect(parsed.users.map((candidate) => candidate.userName)).toEqual([name]);
        expect(parsed.users[0]?.accessKeys[0]?.lastUsedService).toBe('s3');
      }
    });

    it('does take the name from the ARN when the user cell is empty', () => {
      const parsed = parseCredentialReport(report(line({ ...cells('ci-deploy'), user: '' })), 'x.csv');
      expect(parsed.users[0]?.userName).toBe('ci-deploy');
    });

    it('does take the name from the ARN when the user cell is mangled', () => {
      const mangled = { ...cells('ci+deploy@example.com'), user: 'ci%2Bdeploy%40example.com' };
      const parsed = parseCredentialReport(report(line(mangled)), 'x.csv');
      expect(parsed.users[0]?.userName).toBe('ci+deploy@example.com');
    });
  });

  describe('with keys in various states', () => {
    it.each([
      ['active, used', { ...ACTIVE_KEY_1 }, 'active', new Date('2025-03-01T08:00:00Z')],
      [
        'active, never used',
        { access_key_1_active: 'true', access_key_1_last_rotated: '2025-01-15T10:22:31+00:00' },
        'active',
        null,
      ],
      [
        'inactive, never used',
        { access_key_1_active: 'false', access_key_1_last_rotated: '2025-01-15T10:22:31+00:00' },
        'inactive',
        null,
      ],
      [
        'active, used before tracking began',
        { ...ACTIVE_KEY_1, access_key_1_last_used_date: 'no_information' },
        'active',
        null,
      ],
    ] as const)('does read a key that is %s', (_label, values, status, lastUsedAt) => {
      const parsed = parseCredentialReport(report(row('u', values)), 'x.csv');
      expect(parsed.users[0]?.accessKeys).toEqual([
        expect.objectContaining({ slot: 1, status, createdAt: new Date('2025-01-15T10:22:31Z'), lastUsedAt }),
      ]);
    });

    it('does read active=false with last_rotated N/A as no key', () => {
      const parsed = parseCredentialReport(report(row('u')), 'x.csv');
      expect(parsed.users[0]?.accessKeys).toEqual([]);
    });

    it('does read a key in slot 2 only with slot 2', () => {
      const slot2 = { access_key_2_active: 'true', access_key_2_last_rotated: '2025-02-01T00:00:00+00:00' };
      const parsed = parseCredentialReport(report(row('u', slot2)), 'x.csv');
      expect(parsed.users[0]?.accessKeys.map((key) => key.slot)).toEqual([2]);
    });

    it('does mark root hasActiveAccessKey when the root row has an active key', () => {
      const rootRow = line({
        ...cells('<root_account>', ACTIVE_KEY_1),
        arn: 'arn:aws:iam::123456789012:root',
      });
      const parsed = parseCredentialReport(report(rootRow), 'x.csv');
      expect(parsed.root?.hasActiveAccessKey).toBe(true);
      expect(parsed.root?.accessKeys).toEqual([expect.objectContaining({ slot: 1, status: 'active' })]);
      expect(parsed.users).toEqual([]);
    });

    it('does not mark root hasActiveAccessKey for an inactive root key', () => {
      const rootRow = line({
        ...cells('<root_account>', { ...ACTIVE_KEY_1, access_key_1_active: 'false' }),
        arn: 'arn:aws:iam::123456789012:root',
      });
      const parsed = parseCredentialReport(report(rootRow), 'x.csv');
      expect(parsed.root?.hasActiveAccessKey).toBe(false);
      expect(parsed.root?.accessKeys.map((key) => key.status)).toEqual(['inactive']);
    });
  });

  describe('with the layout varied', () => {
    const baseline = parseCredentialReport(readFixture('aws-123456789012.csv'), 'aws.csv');

    it('does find columns by name when they are reordered and extra ones are present', () => {
      const original = readFixture('aws-123456789012.csv').split('\n');
      const [header = [], ...rows] = original.map((text) => [...text.split(','), 'extra'].reverse());
      // The extra column is first now; name it so that the header shows a column this code does not know.
      header[0] = 'some_future_column';
      const reordered = [header, ...rows].map((fields) => fields.join(',')).join('\n');
      expect(parseCredentialReport(reordered, 'reordered.csv')).toEqual(baseline);
    });

    it('does rejoin unquoted comma names when arn comes before user', () => {
      const reversed = [...COLUMNS].reverse();
      const csv = [reversed.join(','), line({ ...cells('a=b,c.d'), ...ACTIVE_KEY_1 }, reversed)].join('\n');
      expect(parseCredentialReport(csv, 'x.csv').users.map((candidate) => candidate.userName)).toEqual([
        'a=b,c.d',
      ]);
    });

    it.each([
      ['a byte-order mark', (text: string) => `\uFEFF${text}`],
      ['CRLF line ends', (text: string) => text.replace(/\n/g, '\r\n')],
      ['a BOM, CRLF and a trailing CRLF', (text: string) => `\uFEFF${text.replace(/\n/g, '\r\n')}\r\n`],
      ['a trailing newline', (text: string) => `${text}\n`],
      ['blank lines between rows', (text: string) => text.replace(/\n/g, '\n\n')],
      [
        'every cell quoted',
        (text: string) =>
          text
            .split('\n')
            .map((textLine) => `"${textLine.split(',').join('","')}"`)
            .join('\n'),
      ],
    ])('does read the same report with %s', (_label, transform) => {
      expect(parseCredentialReport(transform(readFixture('aws-123456789012.csv')), 'x.csv')).toEqual(
        baseline,
      );
    });

    it.each([
      ['aws-cn', 'arn:aws-cn:iam::210987654321:user/ops/deployer', '210987654321', '/ops/'],
      ['aws-us-gov', 'arn:aws-us-gov:iam::310987654321:user/deployer', '310987654321', '/'],
    ])('does read ARNs of the %s partition', (_partition, arn, accountId, path) => {
      const parsed = parseCredentialReport(report(line({ ...cells('deployer'), arn })), 'x.csv');
      expect(parsed.accountId).toBe(accountId);
      expect(parsed.users[0]?.path).toBe(path);
    });

    it.each([
      ['without a trailing newline', HEADER],
      ['with a trailing newline', `${HEADER}\n`],
    ])('does return zero users for a header-only report %s', (_label, csv) => {
      expect(parseCredentialReport(csv, 'empty.csv')).toEqual({ accountId: '', users: [], root: null });
    });
  });

  describe('with input it cannot read', () => {
    const mixedAccounts = report(
      row('alice', ACTIVE_KEY_1),
      line({ ...cells('bob'), arn: 'arn:aws:iam::999999999999:user/bob' }),
    );
    const multiLine = report(
      row('alice'),
      row('bob', { ...ACTIVE_KEY_1, access_key_1_last_used_region: '"eu-west-2\nus-east-1"' }),
    );

    it.each([
      ['an empty file', '', 'reports/a.csv:1: not an IAM credential report: the file is empty'],
      ['whitespace only', '\n  \r\n\n', 'reports/a.csv:1: not an IAM credential report: the file is empty'],
      [
        'JSON',
        '{"GeneratedTime": "2025-01-01"}',
        'reports/a.csv:1: not an IAM credential report: the file holds JSON',
      ],
      [
        'binary',
        '\u0000\u0001\u0002\u0003PK',
        'reports/a.csv:1: not an IAM credential report: the file holds binary',
      ],
      [
        'undecodable bytes',
        '\uFFFDPNG\r\n',
        'reports/a.csv:1: not an IAM credential report: the file holds binary',
      ],
      [
        'HTML',
        '<!DOCTYPE html>\n<html></html>',
        'reports/a.csv:1: not an IAM credential report: the file holds HTML',
      ],
      [
        'a wrong header',
        'name,email\nalice,a@example.com',
        'reports/a.csv:1: not an IAM credential report: expected',
      ],
      [
        'rows without a header',
        row('alice', ACTIVE_KEY_1),
        'reports/a.csv:1: not an IAM credential report: expected a header starting "user,arn,"',
      ],
      [
        'a wrong header above quoting that is not CSV',
        '# Notes\nSee "the "report" here\n',
        'reports/a.csv:1: not an IAM credential report: expected a header starting "user,arn,", got "# Notes"',
      ],
      [
        'semicolon-separated cells',
        `${HEADER.replaceAll(',', ';')}\n`,
        'reports/a.csv:1: cells are separated by ";" instead of ","',
      ],
      [
        'a header lacking key columns',
        'user,arn,access_key_1_active\n',
        'reports/a.csv:1: header lacks required column(s) access_key_1_last_rotated,',
      ],
      [
        'a duplicate column',
        `${HEADER},arn\n`,
        'reports/a.csv:1: arn: the column appears twice in the header',
      ],
      [
        'a truncated row',
        report(row('alice'), row('bob', ACTIVE_KEY_1).slice(0, 60)),
        'reports/a.csv:3: password_enabled: missing',
      ],
      [
        'a bad date',
        report(
          row('alice'),
          row('bob'),
          row('carol', { ...ACTIVE_KEY_1, access_key_1_last_rotated: '2024-13-45' }),
        ),
        'reports/a.csv:4: access_key_1_last_rotated: "2024-13-45" is not an ISO-8601 date',
      ],
      [
        'an impossible last-used date',
        report(row('alice', { ...ACTIVE_KEY_1, access_key_1_last_used_date: '2025-02-29T10:00:00+00:00' })),
        'reports/a.csv:2: access_key_1_last_used_date: "2025-02-29T10:00:00+00:00" is not an ISO-8601 date',
      ],
      [
        'a date without UTC offset',
        report(row('alice', { ...ACTIVE_KEY_1, access_key_1_last_rotated: '2025-01-15T10:22:31' })),
        'reports/a.csv:2: access_key_1_last_rotated: "2025-01-15T10:22:31" is not an ISO-8601 date (it lacks',
      ],
      [
        'a bad boolean',
        report(row('alice', { access_key_2_active: 'yes' })),
        'reports/a.csv:2: access_key_2_active: "yes" is not true or false',
      ],
      [
        'an active key without a creation date',
        report(row('alice', { access_key_1_active: 'true' })),
        'reports/a.csv:2: access_key_1_last_rotated: "N/A" but access_key_1_active is true',
      ],
      [
        'an inactive key with an empty creation date',
        report(row('alice', { access_key_2_last_rotated: '' })),
        'reports/a.csv:2: access_key_2_last_rotated: "" is not an ISO-8601 date',
      ],
      [
        'mixed accounts',
        mixedAccounts,
        'reports/a.csv:3: arn: account 999999999999 differs from account 123456789012 on line 2',
      ],
      [
        'a role ARN',
        report(line({ ...cells('alice'), arn: 'arn:aws:iam::123456789012:role/alice' })),
        'reports/a.csv:2: arn: "arn:aws:iam::123456789012:role/alice" is not an IAM user or root ARN',
      ],
      [
        'an empty ARN',
        report(line({ ...cells('alice'), arn: '' })),
        'reports/a.csv:2: arn: "" is not an IAM user or root ARN',
      ],
      [
        '<root_account> with a user ARN',
        report(line({ ...cells('alice'), user: '<root_account>' })),
        'reports/a.csv:2: user: "<root_account>" does not match the user ARN',
      ],
      [
        'a duplicate user',
        report(row('alice'), row('bob'), row('alice')),
        'reports/a.csv:4: arn: user alice appears again (first on line 2)',
      ],
      [
        'a second root row',
        report(
          line({ ...cells('<root_account>'), arn: 'arn:aws:iam::123456789012:root' }),
          line({ ...cells('<root_account>'), arn: 'arn:aws:iam::123456789012:root' }),
        ),
        'reports/a.csv:3: arn: a second root row (the first is on line 2)',
      ],
      [
        'surplus cells that no comma name explains',
        report(`${row('alice')},oops`),
        'reports/a.csv:2: the row has 23 cells, the header has 22',
      ],
      [
        'a user cell and ARN that disagree about comma names',
        report(line({ ...cells('a,b'), user: 'a,c' })),
        'reports/a.csv:2: the row has 24 cells, the header has 22',
      ],
      [
        'junk in a region cell',
        report(row('alice', { ...ACTIVE_KEY_1, access_key_1_last_used_region: 'eu west\u00002' })),
        'reports/a.csv:2: access_key_1_last_used_region: "eu west\\u00002" is not an AWS region name',
      ],
      [
        'an unclosed quote',
        report(row('alice'), `"bob${row('bob').slice(3)}`, row('carol')),
        'reports/a.csv:3: malformed CSV: a quoted field is never closed',
      ],
      [
        'text after a closing quote',
        report(row('alice'), `"bob"x${row('bob').slice(3)}`),
        'reports/a.csv:3: malformed CSV: text follows the closing quote of a field',
      ],
      [
        'a multi-line quoted cell',
        multiLine,
        'reports/a.csv:3: access_key_1_last_used_region: "eu-west-2\\nus-east-1" is not an AWS region name',
      ],
    ])('does throw a one-line error naming file, line and field for %s', (_label, csv, prefix) => {
      const error = parseError(csv);
      expect(error.message.startsWith(prefix), `${error.message}\ndoes not start with\n${prefix}`).toBe(true);
      expect(error.message).not.toContain('\n');
      expect(error.file).toBe('reports/a.csv');
    });

    it('does count physical lines past a quoted cell that spans a line break', () => {
      // cert_1_last_rotated is not read, so a line break inside it is harmless; bob spans lines 3-4.
      const csv = report(
        row('alice'),
        row('bob', { cert_1_last_rotated: '"N/A\nN/A"' }),
        row('carol', { access_key_1_active: 'maybe' }),
      );
      expect(parseError(csv).message).toBe(
        'reports/a.csv:5: access_key_1_active: "maybe" is not true or false',
      );
    });

    it('does set file, line and field on the error for callers that need them', () => {
      const error = parseError(report(row('alice', { access_key_2_active: 'yes' })));
      expect([error.file, error.line, error.field]).toEqual(['reports/a.csv', 2, 'access_key_2_active']);
      expect(error).toBeInstanceOf(CredentialReportParseError);
    });
  });
});
