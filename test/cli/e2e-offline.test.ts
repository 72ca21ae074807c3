/**
 * `key-audit scan --credential-report ...` end to end, as a child process: exit codes, one-line errors,
 * every output format and the threshold flags, on the demo data (examples/README.md) and on bad inputs
 * generated in a temp directory. No network: file mode never builds an AWS request.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPTION_SPECS } from '../../bin/cli/option-specs.ts';
import { isAtLeast, SEVERITIES } from '../../lambda/domain/severity.ts';
import type { JsonFinding, JsonReport } from '../../lambda/present/render/json.ts';
import { CONTRACT_FINDING_KEYS } from '../contract/json-contract.ts';
import { type CliRun, DEMO, linesOf, REPO_ROOT, runKeyAudit, scanDemo } from './helpers.ts';

const TMP = mkdtempSync(join(tmpdir(), 'key-audit-e2e-'));
const tmp = (name: string): string => join(TMP, name);

const PRODUCTION = DEMO.reports[0];
const STAGING = DEMO.reports[1];
const productionCsv = readFileSync(PRODUCTION, 'utf8');
const productionLines = linesOf(productionCsv);
const header = productionLines[0] ?? '';
const rowOf = (userName: string): string => {
  const row = productionLines.find((line) => line.startsWith(`${userName},`));
  if (row === undefined) throw new Error(`examples: no row for ${userName}`);
  return row;
};
const demoConfig = JSON.parse(readFileSync(DEMO.config, 'utf8')) as { policy: Record<string, unknown> };

/** The README says jane.doe is compliant and the production root user has no key: nothing to find. */
const CLEAN = tmp('clean.csv');
const GARBAGE = tmp('garbage.csv');
const HEADER_ONLY = tmp('header-only.csv');
const BAD_DATE = tmp('bad-date.csv');
/** svc-orders-api's row with its key 1 creation date broken; the error must point at that line. */
const BAD_DATE_LINE = productionLines.findIndex((line) => line.startsWith('svc-orders-api,')) + 1;
const SAME_ACCOUNT = tmp('production-again.csv');
const BAD_JSON = tmp('bad-json.json');
const UNKNOWN_TOP_KEY = tmp('unknown-top-key.json');
const UNKNOWN_POLICY_KEY = tmp('unknown-policy-key.json');
const BAD_EXEMPTION_DATE = tmp('bad-exemption-date.json');
const MISSING = tmp('does-not-exist.csv');

beforeAll(() => {
  writeFileSync(CLEAN, [header, rowOf('<root_account>'), rowOf('jane.doe')].join('\n'));
  writeFileSync(GARBAGE, 'name,age\nalice,42\n');
  writeFileSync(HEADER_ONLY, `${header}\n`);
  const row = rowOf('svc-orders-api');
  writeFileSync(BAD_DATE, productionCsv.replace(row, row.replace('2026-05-07T14:12:05+00:00', 'not-a-date')));
  writeFileSync(SAME_ACCOUNT, productionCsv);
  writeFileSync(BAD_JSON, '{"policy": {"maxKeyAgeDays": 90,}}');
  writeFileSync(UNKNOWN_TOP_KEY, JSON.stringify({ policy: {}, polcy: { maxKeyAgeDays: 30 } }));
  writeFileSync(UNKNOWN_POLICY_KEY, JSON.stringify({ policy: { maxKeyAgeDay: 30 } }));
  writeFileSync(
    BAD_EXEMPTION_DATE,
    JSON.stringify({ policy: { exemptions: [{ userName: 'jane.doe', until: '2026-13-01', reason: 'x' }] } }),
  );
});

afterAll(() => {
  rmSync(TMP, { recursive: true, force: true });
});

const runs = new Map<string, Promise<CliRun>>();
/** The demo scan; identical command lines run once, since the output is fixed by --as-of. */
const demo = (extra: readonly string[] = []): Promise<CliRun> => {
  const key = extra.join('\u0000');
  const cached = runs.get(key);
  if (cached !== undefined) return cached;
  const run = scanDemo(extra);
  runs.set(key, run);
  return run;
};

const json = (run: CliRun): JsonReport => JSON.parse(run.stdout) as JsonReport;

/** The contract's finding keys, plus the extras key-audit always adds: present in every finding. */
const FINDING_KEYS: readonly (keyof JsonFinding)[] = [
  ...CONTRACT_FINDING_KEYS,
  'userArn',
  'overdueDays',
  'exemption',
];

/** The start of every ANSI escape sequence (colour, cursor movement). */
const ANSI = '\u001b[';

describe.concurrent('key-audit scan exit codes', () => {
  it('exits 2 on the demo data, which has violations at the default --fail-on medium', async () => {
    const run = await demo();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
  });

  it.each([
    // The clean file has no findings at all, so no threshold is reached.
    { file: 'clean', failOn: [] as string[], code: 0 },
    { file: 'clean', failOn: ['--fail-on', 'info'], code: 0 },
    { file: 'clean', failOn: ['--fail-on', 'critical'], code: 0 },
    // Staging with the demo config: the only critical (legacy-ftp-upload) is exempt; a high remains.
    { file: 'staging', failOn: ['--fail-on', 'critical'], code: 0 },
    { file: 'staging', failOn: ['--fail-on', 'high'], code: 2 },
    { file: 'staging', failOn: ['--fail-on', 'low'], code: 2 },
    { file: 'staging', failOn: ['--fail-on', 'none'], code: 0 },
  ])('exits $code for the $file report with $failOn', async ({ file, failOn, code }) => {
    const run = await runKeyAudit([
      'scan',
      '--credential-report',
      file === 'clean' ? CLEAN : STAGING,
      '--config',
      DEMO.config,
      '--as-of',
      DEMO.asOf,
      '--format',
      'json',
      ...failOn,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    if (file === 'clean') expect(json(run).findings).toEqual([]);
  });

  it('exits 0 with --fail-on none even though the demo has critical findings', async () => {
    const run = await demo(['--fail-on', 'none']);
    expect(json(await demo(['--format', 'json'])).summary.bySeverity.critical).toBeGreaterThan(0);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });
});

describe.concurrent('key-audit scan input errors', () => {
  const scan = (...args: string[]) => ['scan', ...args];
  const withDemoFile = (...args: string[]) => scan('--credential-report', PRODUCTION, ...args);

  it.each([
    { what: 'an unknown flag', args: scan('--bogus'), names: ['--bogus'] },
    { what: 'an unknown command', args: ['frobnicate'], names: ['frobnicate'] },
    { what: 'an unknown format', args: withDemoFile('--format', 'xml'), names: ['--format', 'xml'] },
    { what: 'an unknown severity', args: withDemoFile('--fail-on', 'severe'), names: ['--fail-on'] },
    { what: 'a zero threshold', args: withDemoFile('--max-age-days', '0'), names: ['--max-age-days'] },
    { what: 'a date that is not ISO-8601', args: withDemoFile('--as-of', 'yesterday'), names: ['--as-of'] },
    {
      what: 'a live flag with report files',
      args: withDemoFile('--accounts', '111111111111'),
      names: ['--accounts', '--credential-report'],
    },
    {
      what: 'thresholds that contradict each other',
      args: withDemoFile('--warn-days', '100'),
      names: ['warnDays', 'maxKeyAgeDays'],
    },
    {
      what: 'a missing file',
      args: scan('--credential-report', MISSING),
      names: [MISSING, 'no such file'],
    },
    { what: 'a directory', args: scan('--credential-report', TMP), names: [TMP, 'directory'] },
    {
      what: 'a CSV that is not a credential report',
      args: scan('--credential-report', GARBAGE),
      names: [`${GARBAGE}:1`],
    },
    {
      what: 'a bad date in a report row',
      args: scan('--credential-report', BAD_DATE),
      names: [`${BAD_DATE}:${BAD_DATE_LINE}`, 'access_key_1_last_rotated', 'not-a-date'],
    },
    {
      what: 'a header-only report',
      args: scan('--credential-report', HEADER_ONLY),
      names: [HEADER_ONLY, 'no rows'],
    },
    {
      what: 'two reports of the same account',
      args: scan('--credential-report', PRODUCTION, SAME_ACCOUNT),
      names: [SAME_ACCOUNT, PRODUCTION, '111111111111'],
    },
    { what: 'a missing config file', args: withDemoFile('--config', MISSING), names: [MISSING] },
    { what: 'config that is not JSON', args: withDemoFile('--config', BAD_JSON), names: [BAD_JSON, 'JSON'] },
    {
      what: 'an unknown top-level config key',
      args: withDemoFile('--config', UNKNOWN_TOP_KEY),
      names: [UNKNOWN_TOP_KEY, 'polcy'],
    },
    {
      what: 'an unknown policy key',
      args: withDemoFile('--config', UNKNOWN_POLICY_KEY),
      names: [UNKNOWN_POLICY_KEY, 'maxKeyAgeDay', 'did you mean maxKeyAgeDays'],
    },
    {
      what: 'an invalid exemption date',
      args: withDemoFile('--config', BAD_EXEMPTION_DATE),
      names: [BAD_EXEMPTION_DATE, 'exemptions[0].until', '2026-13-01'],
    },
  ])('exits 1 with one stderr line naming the culprit for $what', async ({ args, names }) => {
    const run = await runKeyAudit(args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = linesOf(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^key-audit: /);
    for (const name of names) expect(lines[0]).toContain(name);
  });

  it('adds the stack trace under --debug, after the same first line', async () => {
    const plain = await runKeyAudit(['scan', '--credential-report', BAD_DATE]);
    const debug = await runKeyAudit(['scan', '--credential-report', BAD_DATE, '--debug']);
    expect(debug.code).toBe(1);
    const lines = linesOf(debug.stderr);
    expect(lines[0]).toBe(linesOf(plain.stderr)[0]);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).some((line) => /^\s+at .*\.ts:\d+:\d+\)?$/.test(line))).toBe(true);
    expect(plain.stderr).not.toMatch(/^\s+at /m);
  });
});

describe.concurrent('key-audit scan --format json', () => {
  it('follows the schemaVersion 1 contract with every finding key present and a consistent summary', async () => {
    const run = await demo(['--format', 'json']);
    expect(run.code).toBe(2);
    const report = json(run);
    expect(report.schemaVersion).toBe(1);
    expect(report.asOf).toBe(new Date(DEMO.asOf).toISOString());
    // The demo config spells out every policy field, so the effective policy is exactly the file's.
    expect(report.policy).toEqual({ ...demoConfig.policy, maxExemptionDays: 90 });

    // One account per file, named by the ARNs (the file names start with the account id).
    const rowsPerFile = DEMO.reports.map((file) => {
      const rows = linesOf(readFileSync(file, 'utf8')).slice(1);
      return {
        accountId: basename(file).slice(0, 12),
        users: rows.filter((r) => !r.startsWith('<root')).length,
      };
    });
    expect(report.accounts.map((a) => ({ accountId: a.accountId, status: a.status }))).toEqual(
      rowsPerFile.map(({ accountId }) => ({ accountId, status: 'scanned' })),
    );
    for (const [index, account] of report.accounts.entries()) {
      expect(account).toMatchObject({ source: 'credential-report', users: rowsPerFile[index]?.users });
    }

    for (const finding of report.findings) {
      for (const key of FINDING_KEYS) expect(finding, `${finding.id} has ${key}`).toHaveProperty(key);
      // Credential reports carry no key ids: the null is written out, not omitted.
      expect(finding.accessKeyId).toBeNull();
      // `rule:account` for account-level findings (the root key), `rule:account:key` otherwise.
      expect([finding.id, finding.id.slice(0, finding.id.lastIndexOf(':'))]).toContain(
        `${finding.rule}:${finding.accountId}`,
      );
      expect('rotation' in finding).toBe(finding.rule === 'two-active-keys');
    }
    expect(new Set(report.findings.map((f) => f.id)).size).toBe(report.findings.length);

    // The config exempts legacy-ftp-* in staging, and nothing else.
    const exempt = report.findings.filter((f) => f.exempt);
    expect(exempt.length).toBeGreaterThan(0);
    for (const finding of exempt) {
      expect(finding).toMatchObject({ accountId: '222222222222', exemption: { source: 'config' } });
      expect(finding.userName).toMatch(/^legacy-ftp-/);
    }

    const counted = report.findings.filter((f) => !f.exempt);
    const { summary } = report;
    expect(summary.violations).toBe(counted.filter((f) => isAtLeast(f.severity, 'medium')).length);
    expect(summary.warnings).toBe(counted.filter((f) => !isAtLeast(f.severity, 'medium')).length);
    expect(summary.exempt).toBe(exempt.length);
    for (const severity of SEVERITIES) {
      expect(summary.bySeverity[severity], severity).toBe(
        counted.filter((f) => f.severity === severity).length,
      );
    }
    expect(summary).toMatchObject({
      accounts: report.accounts.length,
      failedAccounts: 0,
      users: rowsPerFile.reduce((sum, f) => sum + f.users, 0),
    });
    // examples/README.md: 44 users, 24 findings, 3 of them exempt.
    expect({ users: summary.users, findings: report.findings.length, exempt: summary.exempt }).toEqual({
      users: 44,
      findings: 24,
      exempt: 3,
    });
  });

  it('gives the same finding ids on every run, whatever the order of the files', async () => {
    const first = await demo(['--format', 'json']);
    const reversed = await runKeyAudit([
      'scan',
      '--credential-report',
      ...[...DEMO.reports].reverse(),
      '--config',
      DEMO.config,
      '--as-of',
      DEMO.asOf,
      '--format',
      'json',
    ]);
    const ids = (run: CliRun) => json(run).findings.map((f) => f.id);
    expect(ids(reversed)).toEqual(ids(first));
    // Accounts are listed in input order; everything else is the same report.
    const { accounts: reversedAccounts, ...reversedRest } = json(reversed);
    const { accounts: firstAccounts, ...firstRest } = json(first);
    expect(reversedRest).toEqual(firstRest);
    expect([...reversedAccounts].reverse()).toEqual(firstAccounts);
  });

  it('writes --output to the file and nothing to stdout, with the same exit code', async () => {
    const output = tmp('report.json');
    const run = await demo(['--format', 'json', '--output', output]);
    const toStdout = await demo(['--format', 'json']);
    expect(run).toMatchObject({ code: 2, stdout: '', stderr: '' });
    expect(await readFile(output, 'utf8')).toBe(toStdout.stdout);
  });
});

describe.concurrent('key-audit scan other formats', () => {
  it('prints an email with a Subject line under 100 characters, then a blank line and the body', async () => {
    const run = await demo(['--format', 'email']);
    expect(run.code).toBe(2);
    const [subject, blank, ...body] = linesOf(run.stdout);
    expect(subject).toMatch(/^Subject: \S/);
    expect((subject ?? '').length).toBeLessThan(100);
    expect(blank).toBe('');
    expect(body.join('\n')).toContain('2026-11-23');
  });

  it('prints a valid AWS Chatbot custom notification for --format slack', async () => {
    const run = await demo(['--format', 'slack']);
    const notification = JSON.parse(run.stdout) as {
      version: string;
      source: string;
      content: { textType: string; title: string; description: string };
    };
    expect(notification).toMatchObject({ version: '1.0', source: 'custom' });
    expect(notification.content.textType).toBe('client-markdown');
    expect(notification.content.title.length).toBeGreaterThan(0);
    expect(notification.content.description).toContain('svc-orders-api');
  });

  it('prints a Markdown table for --format markdown', async () => {
    const run = await demo(['--format', 'markdown']);
    const lines = linesOf(run.stdout);
    const separator = lines.findIndex((line) => /^\|(\s*:?-{3,}:?\s*\|)+$/.test(line));
    expect(separator).toBeGreaterThan(0);
    expect(lines[separator - 1]).toMatch(/^\|.*\|$/);
    expect(lines[separator + 1]).toMatch(/^\|.*\|$/);
  });

  it('prints a plain table without ANSI codes when stdout is not a terminal', async () => {
    const run = await demo();
    expect(run.stdout).not.toContain(ANSI);
    for (const file of DEMO.reports) expect(run.stdout).toContain(basename(file).slice(0, 12));
    expect(run.stdout).toContain('svc-orders-api');
  });
});

describe.concurrent('key-audit scan threshold flags', () => {
  const findingsWith = async (flags: readonly string[]): Promise<readonly JsonFinding[]> => {
    const run = await demo(['--format', 'json', ...flags]);
    expect(run.stderr).toBe('');
    return json(run).findings;
  };
  const where = (findings: readonly JsonFinding[], rule: string) => findings.filter((f) => f.rule === rule);

  it('keeps only keys past --max-age-days 365 as too old, none of them critical before 730 days', async () => {
    const before = where(await findingsWith([]), 'key-too-old');
    const after = where(await findingsWith(['--max-age-days', '365']), 'key-too-old');
    expect(before.some((f) => f.severity === 'high' && (f.ageDays ?? 0) <= 365)).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    expect(after.map((f) => f.id)).toEqual(before.filter((f) => (f.ageDays ?? 0) > 365).map((f) => f.id));
    for (const finding of after) expect(finding.severity).toBe('high');
  });

  it('drops keys unused for fewer than --unused-days 110 (README: 59, 69 and 100 days; 120 stays)', async () => {
    const before = where(await findingsWith([]), 'key-unused');
    const after = where(await findingsWith(['--unused-days', '110']), 'key-unused');
    expect(before.length).toBeGreaterThan(1);
    expect(after.map((f) => [f.accountId, f.userName])).toEqual([['333333333333', 'svc-data-scraper']]);
  });

  it('warns about no key with --warn-days 1, since every due key is at least 2 days from its limit', async () => {
    expect(where(await findingsWith([]), 'key-due-soon').length).toBeGreaterThan(0);
    expect(where(await findingsWith(['--warn-days', '1']), 'key-due-soon')).toEqual([]);
  });

  it('escalates rotations to high once the newer key is older than --rotation-grace-days 1', async () => {
    // ci-deploy's and staging svc-orders-api's new keys are about 3 and 5 days old: inside 7 days, past 1.
    const inProgress = (findings: readonly JsonFinding[]) =>
      where(findings, 'two-active-keys')
        .filter((f) => f.userName !== 'dev.experiments')
        .map((f) => [f.userName, f.severity]);
    expect(inProgress(await findingsWith([]))).toEqual([
      ['ci-deploy', 'low'],
      ['svc-orders-api', 'low'],
    ]);
    expect(inProgress(await findingsWith(['--rotation-grace-days', '1']))).toEqual([
      ['ci-deploy', 'high'],
      ['svc-orders-api', 'high'],
    ]);
  });
});

describe.concurrent('key-audit --help and --version', () => {
  it('lists every option with its default and exits 0', async () => {
    const run = await runKeyAudit(['--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = linesOf(run.stdout);
    for (const spec of OPTION_SPECS) {
      // An entry is the flag's line plus the indented lines its text wraps to.
      const flag = `${spec.short === undefined ? '' : `-${spec.short}, `}--${spec.name}`;
      const start = lines.findIndex((line) => line.startsWith(`  ${flag} `) || line === `  ${flag}`);
      expect(start, `--${spec.name} listed`).toBeGreaterThanOrEqual(0);
      const next = lines.findIndex((line, index) => index > start && !/^ {3,}\S/.test(line));
      const entry = lines
        .slice(start, next === -1 ? undefined : next)
        .join(' ')
        .replace(/\s+/g, ' ');
      expect(entry).toContain(spec.description.replaceAll('`', ''));
      if (spec.defaultText !== undefined) expect(entry).toContain(`(default: ${spec.defaultText})`);
      else expect(entry).not.toContain('(default:');
    }
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const run = await runKeyAudit(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `key-audit ${version}\n`, stderr: '' });
  });
});
