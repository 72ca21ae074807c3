/**
 * `runCli` in-process, with fake streams and a fake live audit: what a subprocess cannot show easily
 * (a TTY stderr for the progress line, a TTY stdout for colour, a scan with an unreachable account),
 * and the exit-code mapping of `exitCodeFor`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT, exitCodeFor } from '../../bin/cli/exit-code.ts';
import { type CliIo, runCli } from '../../bin/cli/main.ts';
import { reportFromInventory } from '../../lambda/app/report-from-inventory.ts';
import { type LiveAudit, runLiveAudit } from '../../lambda/app/run-audit.ts';
import { CallerIdentityError } from '../../lambda/aws/sts-sessions.ts';
import type { Inventory } from '../../lambda/domain/inventory.ts';
import type { Severity } from '../../lambda/domain/severity.ts';
import type { JsonReport } from '../../lambda/present/render/json.ts';
import type { ScanOptions } from '../../lambda/scan/scan-accounts.ts';
import {
  AS_OF,
  accessKey,
  ago,
  failedAccount,
  iamUser,
  inventoryOf,
  scannedAccount,
} from '../domain/factories.ts';
import {
  accountUnreachable,
  keyDueSoon,
  keyTooOld,
  makeReport,
  tagExemption,
} from '../present/render/report-factory.ts';
import { DEMO } from './helpers.ts';

// The live audit is the only part that needs AWS; everything else (parsing, policy, rendering, exit
// codes) runs for real.
vi.mock(import('../../lambda/app/run-audit.ts'), async (importOriginal) => ({
  ...(await importOriginal()),
  runLiveAudit: vi.fn(),
}));

const ESC = '\u001b[';
const CLEAR_LINE = '\r\u001b[2K';
const SCANNED_ID = '111122223333';
const FAILED_ID = '444455556666';

/** A stream that records what is written, claiming to be a terminal or not. */
class FakeStream {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

const fakeIo = (tty: { stdout?: boolean; stderr?: boolean } = {}) => {
  const stdout = new FakeStream(tty.stdout ?? false, 160);
  const stderr = new FakeStream(tty.stderr ?? false);
  const io: CliIo = { stdout, stderr, now: () => AS_OF, version: '0.0.0-test' };
  return { io, stdout, stderr };
};

/** One account with a 120-day-old key (key-too-old, high) and, optionally, one that could not be read. */
const inventory = (withFailure: boolean): Inventory =>
  inventoryOf(
    scannedAccount([iamUser('old-key', [accessKey({ createdAt: ago(120) })])], { accountId: SCANNED_ID }),
    ...(withFailure ? [failedAccount(FAILED_ID)] : []),
  );

/**
 * A live audit of `scanned`, reporting progress as the real scan does: at the start, as users are read,
 * and after each account; `warnings` are the audit's.
 */
const fakeAudit =
  (scanned: Inventory, warnings: readonly string[] = []) =>
  async (_targets: unknown, options: ScanOptions): Promise<LiveAudit> => {
    const total = scanned.accounts.length;
    options.onProgress?.({ event: 'started', accountsDone: 0, accountsTotal: total, users: 0, elapsedMs: 0 });
    scanned.accounts.forEach((account, index) => {
      options.onProgress?.({
        event: 'users',
        accountsDone: index,
        accountsTotal: total,
        users: 1250 * (index + 1),
        elapsedMs: 1000 * (index + 1),
        accountId: account.accountId,
      });
      options.onProgress?.({
        event: 'account',
        accountsDone: index + 1,
        accountsTotal: total,
        users: 1250 * (index + 1),
        elapsedMs: 1000 * (index + 1),
        accountId: account.accountId,
      });
    });
    return {
      report: reportFromInventory(scanned, options),
      scan: {
        ...scanned,
        callerAccountId: SCANNED_ID,
        accountNames: {},
        accountsNotScanned: [],
        stopReason: null,
        ownCredentialAccounts: [],
        warnings,
      },
      isProduction: () => false,
      warnings,
    };
  };

const auditMock = vi.mocked(runLiveAudit);

beforeEach(() => {
  auditMock.mockReset();
  auditMock.mockImplementation(fakeAudit(inventory(false)));
  vi.stubEnv('NO_COLOR', undefined);
  vi.stubEnv('FORCE_COLOR', undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('runCli progress line', () => {
  it.each([
    { stderrTty: true, quiet: false, drawn: true },
    { stderrTty: true, quiet: true, drawn: false },
    { stderrTty: false, quiet: false, drawn: false },
    { stderrTty: false, quiet: true, drawn: false },
  ])(
    'draws progress: $drawn when stderr is a TTY: $stderrTty and --quiet: $quiet',
    async ({ stderrTty, quiet, drawn }) => {
      auditMock.mockImplementation(fakeAudit(inventory(true)));
      const { io, stdout, stderr } = fakeIo({ stderr: stderrTty });
      const code = await runCli(
        ['scan', '--accounts', SCANNED_ID, '--format', 'json', ...(quiet ? ['--quiet'] : [])],
        io,
      );
      expect(code).toBe(EXIT.incomplete);
      if (drawn) {
        // Each update rewrites the same line; the last write clears it so later output starts clean.
        expect(stderr.chunks.every((chunk) => chunk.startsWith(CLEAR_LINE))).toBe(true);
        expect(stderr.text).toContain('scanning 0/2 accounts, 0 users read');
        expect(stderr.text).toContain('scanning 2/2 accounts, 2,500 users read');
        expect(stderr.chunks.at(-1)).toBe(CLEAR_LINE);
      } else {
        expect(stderr.text).toBe('');
      }
      // The progress line never reaches stdout, which stays parseable JSON.
      expect(() => JSON.parse(stdout.text)).not.toThrow();
    },
  );
});

describe('runCli warnings', () => {
  it('prints each warning of the audit as one line on stderr, whatever --quiet says', async () => {
    const warning =
      'exclude: account 999999999999 is not in the organisation, so it excludes nothing (a typo?)';
    auditMock.mockImplementation(fakeAudit(inventory(false), [warning]));
    const { io, stdout, stderr } = fakeIo();
    const code = await runCli(
      ['scan', '--org', '--exclude', '999999999999', '--format', 'json', '--quiet'],
      io,
    );
    expect(code).toBe(EXIT.violations);
    expect(stderr.text).toBe(`key-audit: warning: ${warning}\n`);
    expect(() => JSON.parse(stdout.text)).not.toThrow();
  });

  it("passes the configuration file's production settings to the live audit", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'key-audit-main-'));
    try {
      const config = join(dir, 'config.json');
      const production = { accounts: [SCANNED_ID], ous: ['ou-ab12-prod0001'], accountTag: {} };
      await writeFile(config, JSON.stringify({ production }));
      const { io } = fakeIo();
      await runCli(['scan', '--org', '--config', config, '--format', 'json'], io);
      expect(auditMock.mock.calls[0]?.[1]).toMatchObject({ production });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('runCli colour', () => {
  const tableOf = (...extra: string[]) => [
    'scan',
    '--credential-report',
    DEMO.reports[0],
    '--as-of',
    DEMO.asOf,
    '--fail-on',
    'none',
    ...extra,
  ];

  it.each([
    { stdoutTty: true, noColor: false, coloured: true },
    { stdoutTty: true, noColor: true, coloured: false },
    { stdoutTty: false, noColor: false, coloured: false },
  ])(
    'colours the table: $coloured when stdout is a TTY: $stdoutTty and NO_COLOR is set: $noColor',
    async ({ stdoutTty, noColor, coloured }) => {
      if (noColor) vi.stubEnv('NO_COLOR', '1');
      const { io, stdout } = fakeIo({ stdout: stdoutTty });
      expect(await runCli(tableOf(), io)).toBe(EXIT.ok);
      expect(stdout.text).toContain('svc-orders-api');
      expect(stdout.text.includes(ESC)).toBe(coloured);
    },
  );

  it.each([
    { flags: ['--no-color'], env: {}, stdoutTty: true, coloured: false },
    { flags: ['--no-color'], env: { FORCE_COLOR: '1' }, stdoutTty: true, coloured: false },
    { flags: [], env: { FORCE_COLOR: '1' }, stdoutTty: false, coloured: true },
    { flags: [], env: { FORCE_COLOR: '0' }, stdoutTty: true, coloured: false },
    { flags: [], env: { NO_COLOR: '' }, stdoutTty: true, coloured: true },
  ])(
    'colours the table: $coloured with flags $flags, environment $env and a TTY stdout: $stdoutTty',
    async ({ flags, env, stdoutTty, coloured }) => {
      for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
      const { io, stdout } = fakeIo({ stdout: stdoutTty });
      expect(await runCli(tableOf(...flags), io)).toBe(EXIT.ok);
      expect(stdout.text.includes(ESC)).toBe(coloured);
    },
  );

  it('writes no colour to an --output file even when stdout is a TTY', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'key-audit-main-'));
    try {
      const output = join(dir, 'report.txt');
      const { io, stdout } = fakeIo({ stdout: true });
      expect(await runCli(tableOf('--output', output), io)).toBe(EXIT.ok);
      expect(stdout.text).toBe('');
      const written = await readFile(output, 'utf8');
      expect(written).toContain('svc-orders-api');
      expect(written).not.toContain(ESC);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('runCli live scan', () => {
  it.each([
    { flags: [] as string[], targets: { kind: 'caller' } },
    {
      flags: ['--accounts', '111111111111,222222222222'],
      targets: { kind: 'accounts', accountIds: ['111111111111', '222222222222'] },
    },
    {
      flags: ['--org', '--ou', 'ou-ab12-cdef3456', '--exclude', '333333333333'],
      targets: { kind: 'organisation', ous: ['ou-ab12-cdef3456'], exclude: ['333333333333'] },
    },
  ])('scans $targets.kind for $flags', async ({ flags, targets }) => {
    const { io } = fakeIo();
    await runCli(['scan', '--format', 'json', ...flags], io);
    expect(auditMock).toHaveBeenCalledTimes(1);
    expect(auditMock.mock.calls[0]?.[0]).toEqual(targets);
  });

  it('passes the source, role, external id and concurrency flags to the scan, and now() as the instant', async () => {
    const { io, stdout } = fakeIo();
    await runCli(
      [
        'scan',
        '--accounts',
        SCANNED_ID,
        '--source',
        'api',
        '--role-name',
        'AuditRole',
        '--external-id',
        'ext-1234',
        '--concurrency',
        '9',
        '--format',
        'json',
      ],
      io,
    );
    expect(auditMock.mock.calls[0]?.[1]).toMatchObject({
      source: 'api',
      roleName: 'AuditRole',
      externalId: 'ext-1234',
      concurrency: 9,
      asOf: AS_OF,
    });
    expect((JSON.parse(stdout.text) as JsonReport).asOf).toBe(AS_OF.toISOString());
  });

  it.each(['medium', 'none'])(
    'exits 3 with --fail-on %s when an account failed, reporting it as failed and unreachable',
    async (failOn) => {
      auditMock.mockImplementation(fakeAudit(inventory(true)));
      const { io, stdout } = fakeIo();
      const code = await runCli(
        ['scan', '--accounts', SCANNED_ID, '--format', 'json', '--fail-on', failOn],
        io,
      );
      expect(code).toBe(EXIT.incomplete);
      const report = JSON.parse(stdout.text) as JsonReport;
      expect(report.accounts.map((a) => [a.accountId, a.status])).toEqual([
        [SCANNED_ID, 'scanned'],
        [FAILED_ID, 'failed'],
      ]);
      expect(report.findings.filter((f) => f.rule === 'account-unreachable').map((f) => f.accountId)).toEqual(
        [FAILED_ID],
      );
      // The scanned account's findings are still there: one failure hides nothing else.
      expect(report.findings.some((f) => f.accountId === SCANNED_ID && f.rule === 'key-too-old')).toBe(true);
    },
  );

  it('prints --stats to stderr, keeping stdout for the report', async () => {
    const { io, stdout, stderr } = fakeIo();
    await runCli(['scan', '--stats', '--format', 'json'], io);
    expect(stderr.text).toMatch(/^account\s+operation\s+calls\s+retries\n/);
    expect(stdout.text).not.toContain('operation');
    expect(() => JSON.parse(stdout.text)).not.toThrow();
  });

  it('reports an AWS failure of the whole run in one plain line when there are no credentials', async () => {
    auditMock.mockRejectedValue(
      new CallerIdentityError(
        'CredentialsProviderError',
        'cannot identify the caller (check AWS credentials): Could not load credentials',
      ),
    );
    const { io, stderr } = fakeIo();
    expect(await runCli(['scan'], io)).toBe(EXIT.usage);
    expect(stderr.text).toBe(
      'key-audit: cannot identify the caller (check AWS credentials): Could not load credentials\n',
    );
  });

  it.each([['\r\n'], ['\u2028'], ['\u2029']])(
    'cuts an error message at its first line break %j',
    async (lineBreak) => {
      auditMock.mockRejectedValue(
        new CallerIdentityError('AccessDenied', `cannot identify the caller${lineBreak}from an AWS message`),
      );
      const { io, stderr } = fakeIo();
      expect(await runCli(['scan'], io)).toBe(EXIT.usage);
      expect(stderr.text).toBe('key-audit: cannot identify the caller\n');
    },
  );

  it('reports an unexpected error in one line, with its stack only under --debug', async () => {
    auditMock.mockRejectedValue(new TypeError('cannot read properties of undefined\nsecond line'));
    const plain = fakeIo();
    expect(await runCli(['scan'], plain.io)).toBe(EXIT.usage);
    expect(plain.stderr.text).toBe('key-audit: TypeError: cannot read properties of undefined\n');

    const debug = fakeIo();
    expect(await runCli(['scan', '--debug'], debug.io)).toBe(EXIT.usage);
    const [first, ...rest] = debug.stderr.text.split('\n');
    expect(first).toBe('key-audit: TypeError: cannot read properties of undefined');
    expect(rest.some((line) => /^\s+at /.test(line))).toBe(true);
  });
});

describe('exitCodeFor', () => {
  // A high finding, a low one, and a critical one that is exempt (so it never counts).
  const mixed = makeReport([
    keyTooOld({ ageDays: 120 }),
    keyDueSoon(),
    keyTooOld({
      userName: 'vendor',
      accessKeyId: 'AKIAVENDOR0000000001',
      ageDays: 400,
      exemption: tagExemption(),
    }),
  ]);

  it('builds the mixed report it claims to: high, low, and an exempt critical', () => {
    expect(mixed.findings.map((f) => [f.severity, f.exempt])).toEqual([
      ['critical', true],
      ['high', false],
      ['low', false],
    ]);
  });

  it.each<{ failOn: Severity | 'none'; code: number }>([
    { failOn: 'critical', code: EXIT.ok },
    { failOn: 'high', code: EXIT.violations },
    { failOn: 'medium', code: EXIT.violations },
    { failOn: 'low', code: EXIT.violations },
    { failOn: 'info', code: EXIT.violations },
    { failOn: 'none', code: EXIT.ok },
  ])('returns $code for a high and a low finding with --fail-on $failOn', ({ failOn, code }) => {
    expect(exitCodeFor(mixed, failOn)).toBe(code);
  });

  it.each<Severity | 'none'>(['critical', 'high', 'medium', 'low', 'info', 'none'])(
    'returns 0 for a report without findings with --fail-on %s',
    (failOn) => {
      expect(exitCodeFor(makeReport([]), failOn)).toBe(EXIT.ok);
    },
  );

  it.each<Severity | 'none'>(['critical', 'high', 'medium', 'low', 'info', 'none'])(
    'returns 3 when an account failed, whatever the violations, with --fail-on %s',
    (failOn) => {
      const report = makeReport([accountUnreachable(), keyTooOld({ ageDays: 400 })]);
      expect(report.summary.failedAccounts).toBe(1);
      expect(exitCodeFor(report, failOn)).toBe(EXIT.incomplete);
    },
  );

  it('returns 3 when the run stopped before every account was scanned', () => {
    const report = makeReport([keyDueSoon()], {
      incomplete: { reason: 'the run reached its time limit', accountsNotScanned: ['999999999999'] },
    });
    expect(report.summary.failedAccounts).toBe(0);
    expect(exitCodeFor(report, 'none')).toBe(EXIT.incomplete);
  });
});

describe('runCli --help', () => {
  it.each([60, 100])('wraps to a %i-column terminal', async (columns) => {
    const stdout = new FakeStream(true, columns);
    const io: CliIo = { stdout, stderr: new FakeStream(false), now: () => AS_OF, version: '0.0.0-test' };
    expect(await runCli(['-h'], io)).toBe(EXIT.ok);
    const lines = stdout.text.split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(columns);
    expect(lines.some((line) => line.length > columns - 10)).toBe(true);
  });

  it('wraps to 80 columns when stdout is not a terminal', async () => {
    const { io, stdout } = fakeIo();
    const piped = new FakeStream(false);
    expect(await runCli(['--help'], { ...io, stdout: piped })).toBe(EXIT.ok);
    expect(stdout.text).toBe('');
    expect(Math.max(...piped.text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });
});

describe('runCli --profile', () => {
  it('names an unknown profile in one line before any AWS call', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'key-audit-main-'));
    try {
      vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
      vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
      const { io, stderr } = fakeIo();
      expect(await runCli(['scan', '--profile', 'nope'], io)).toBe(EXIT.usage);
      expect(stderr.text).toBe(
        `key-audit: profile "nope" not found in ${join(dir, 'config')} or ${join(dir, 'credentials')}\n`,
      );
      expect(auditMock).not.toHaveBeenCalled();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('runCli --config', () => {
  it('scans what the configuration file says unless a flag says otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'key-audit-main-'));
    try {
      const config = join(dir, 'config.json');
      await writeFile(
        config,
        JSON.stringify({
          accounts: [SCANNED_ID],
          roleName: 'FileRole',
          concurrency: 7,
          reportEmails: ['a@example.com'],
        }),
      );
      const { io } = fakeIo();
      await runCli(['scan', '--config', config, '--concurrency', '2', '--format', 'json'], io);
      expect(auditMock.mock.calls[0]?.[0]).toEqual({ kind: 'accounts', accountIds: [SCANNED_ID] });
      expect(auditMock.mock.calls[0]?.[1]).toMatchObject({ roleName: 'FileRole', concurrency: 2 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
