/**
 * `npm run bench`: starts moto_server, seeds an organisation, runs the real key-audit CLI against it with
 * both sources plus the naive sequential baseline, bundles the Lambda, checks the budgets, prints one
 * verdict per budget and check, and writes bench/results.json and docs/performance.md. Exit 0 when every
 * budget passes, 2 when one fails, 1 when the benchmark itself failed (moto missing, a scan or check failed).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_USER_CONCURRENCY } from '../lambda/aws/iam-inventory.ts';
import type { JsonReport } from '../lambda/present/render/json.ts';
import { DEFAULT_ACCOUNT_CONCURRENCY } from '../lambda/scan/scan-accounts.ts';
import { buildPackage } from '../scripts/build.ts';
import { motoEnv, resetMoto, startMotoServer } from '../test/support/moto-server.ts';
import {
  type BudgetResult,
  checkBundleSize,
  checkPeakRss,
  checkReportCalls,
  checkSpeedup,
  exitCodeFor,
} from './budgets.ts';
import { median } from './bundle-stats.ts';
import { callerCalls, callsPerAccount, parseStats } from './call-stats.ts';
import {
  CLI_STARTUP_BUDGET_MS,
  measureCliStartup,
  renderCliStartup,
  withCliStartupSection,
} from './cli-startup.ts';
import { measureLambdaBundle } from './lambda-bundle.ts';
import { measureProcess } from './measure-process.ts';
import {
  BENCH_HELP,
  BenchOptionError,
  type BenchOptions,
  DEFAULT_BENCH_OPTIONS,
  parseBenchOptions,
} from './options.ts';
import { updatePerformanceDoc } from './performance-doc.ts';
import {
  type BenchResults,
  type CheckResult,
  type MachineInfo,
  type ScenarioResult,
  type SeedingResult,
  verdictLines,
} from './results.ts';
import {
  HEADROOM_SHARE,
  LAMBDA_TIMEOUT_SECONDS,
  LATENCY_ASSUMPTIONS,
  measuredCapacity,
  modelCapacity,
  modelSpeedups,
  type ReportWait,
} from './scaling-model.ts';
import {
  checkCoverage,
  checkFlaggedUsers,
  checkNaiveCoverage,
  checkSameFindings,
  plural,
} from './scan-checks.ts';
import { type SeededBenchOrganisation, seedBenchOrganisation } from './seed.ts';
import { AS_OF_OFFSET_DAYS } from './user-mix.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * How the scan under test waits for credential reports, for the model: it starts every account's report
 * ahead of its turn (REPORT_HEAD_START_CONCURRENCY in lambda/scan/scan-options.ts).
 */
const REPORT_WAIT: ReportWait = 'ahead';
const SCAN_TIMEOUT_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

const started = performance.now();
const log = (message: string): void => {
  process.stderr.write(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`,
  );
};

/** The parent's environment without any AWS settings, pointed at moto. */
const childEnv = (endpoint: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  return { ...env, ...motoEnv(endpoint), NO_COLOR: '1' };
};

const machineInfo = async (moto: { version: string; launcher: string }): Promise<MachineInfo> => {
  const release = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const distro = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1];
  const cpus = os.cpus();
  return {
    os: `${distro ? `${distro}, ` : ''}${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    moto: moto.version,
    motoLauncher: moto.launcher,
  };
};

const tail = (text: string): string => text.trim().split('\n').slice(-8).join('\n');

const CLI = ['--import', 'tsx', 'bin/key-audit.ts'];

/** What a scenario leaves for the checks besides its table row. */
interface ScenarioRun {
  readonly result: ScenarioResult;
  readonly perAccount: Map<string, number>;
  readonly report: JsonReport | null;
}

interface ScenarioContext {
  readonly env: NodeJS.ProcessEnv;
  readonly org: SeededBenchOrganisation;
  readonly usersPerAccount: number;
  readonly asOf: string;
  readonly startupMs: number;
}

const runScenario = async (
  id: string,
  kind: 'report' | 'api' | 'naive',
  context: ScenarioContext,
): Promise<ScenarioRun> => {
  const { org } = context;
  const accountIds = org.accounts.map((a) => a.accountId);
  const args =
    kind === 'naive'
      ? ['--import', 'tsx', 'bench/naive-scan.ts', ...accountIds]
      : [
          ...CLI,
          'scan',
          '--org',
          '--exclude',
          org.managementAccountId,
          '--source',
          kind,
          '--format',
          'json',
          '--stats',
          '--quiet',
          '--as-of',
          context.asOf,
          '--fail-on',
          'none',
        ];
  log(
    `${id}: ${kind === 'naive' ? 'naive baseline' : `key-audit --source ${kind}`} over ${plural(accountIds.length, 'account')}`,
  );
  const run = await measureProcess(process.execPath, args, {
    env: context.env,
    cwd: ROOT,
    timeoutMs: SCAN_TIMEOUT_MS,
  });
  if (run.exitCode !== 0)
    throw new Error(`${id} exited with ${run.exitCode ?? run.signal}:\n${tail(run.stderr)}`);
  const stats = parseStats(run.stderr);
  const perAccount = callsPerAccount(stats);
  const memberCalls = accountIds.map((accountId) => perAccount.get(accountId) ?? 0);
  const byOperation: Record<string, number> = {};
  for (const row of stats.rows) byOperation[row.operation] = (byOperation[row.operation] ?? 0) + row.calls;
  const report = kind === 'naive' ? null : (JSON.parse(run.stdout) as JsonReport);
  const users = org.accounts.reduce((sum, a) => sum + a.users, 0);
  const result: ScenarioResult = {
    id,
    tool: kind === 'naive' ? 'naive script' : 'key-audit CLI',
    source: kind,
    concurrency:
      kind === 'naive'
        ? '1 call at a time'
        : `${DEFAULT_ACCOUNT_CONCURRENCY} accounts × ${DEFAULT_USER_CONCURRENCY} users`,
    command: `node ${args.map((a) => (a === context.asOf ? '<as-of>' : a)).join(' ')}`,
    accounts: accountIds.length,
    usersPerAccount: context.usersPerAccount,
    users,
    keys: org.accounts.reduce((sum, a) => sum + a.keys, 0),
    flaggedUsers: org.accounts.reduce((sum, a) => sum + a.flaggedUsers, 0),
    wallMs: run.wallMs,
    scanMs: Math.max(0, run.wallMs - context.startupMs),
    peakRssBytes: run.peakRssBytes,
    rssMethod: run.rssMethod,
    calls: {
      total: stats.totalCalls,
      perAccountMean: memberCalls.reduce((a, b) => a + b, 0) / memberCalls.length,
      perAccountMax: Math.max(...memberCalls),
      assumeRole: callerCalls(stats, 'AssumeRole'),
      retries: stats.totalRetries,
      byOperation,
    },
    findings: report === null ? null : report.findings.length,
  };
  log(
    `${id}: ${(run.wallMs / 1000).toFixed(1)} s, ${stats.totalCalls} calls, peak RSS ` +
      `${run.peakRssBytes === null ? 'n/a' : `${(run.peakRssBytes / 1e6).toFixed(1)} MB`}`,
  );
  return { result, perAccount, report };
};

/** The checks of a CLI scan: coverage and exactly the flagged users. */
const scanChecks = (run: ScenarioRun, org: SeededBenchOrganisation): CheckResult[] =>
  run.report === null
    ? []
    : [
        checkCoverage(run.result.id, run.report, org.accounts),
        checkFlaggedUsers(run.result.id, run.report, org.accounts),
      ];

/** Both sources agree, when both produced a report. */
const sameFindings = (label: string, a: ScenarioRun, b: ScenarioRun): CheckResult[] =>
  a.report === null || b.report === null
    ? []
    : [
        checkSameFindings(
          label,
          { id: a.result.id, report: a.report },
          { id: b.result.id, report: b.report },
        ),
      ];

const seedingResult = (
  organisation: SeedingResult['organisation'],
  org: SeededBenchOrganisation,
): SeedingResult => ({
  organisation,
  accounts: org.accounts.length,
  users: org.accounts.reduce((sum, a) => sum + a.users, 0),
  keys: org.accounts.reduce((sum, a) => sum + a.keys, 0),
  flaggedUsers: org.accounts.reduce((sum, a) => sum + a.flaggedUsers, 0),
  ms: org.seedingMs,
});

/** Median wall time and peak RSS of `key-audit --version`: the process at rest, every module loaded. */
const measureStartup = async (env: NodeJS.ProcessEnv): Promise<{ ms: number; rssBytes: number | null }> => {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const run = await measureProcess(process.execPath, [...CLI, '--version'], {
      env,
      cwd: ROOT,
      timeoutMs: 60_000,
    });
    if (run.exitCode !== 0) throw new Error(`key-audit --version failed:\n${tail(run.stderr)}`);
    times.push(run.wallMs);
    if (run.peakRssBytes !== null) rss.push(run.peakRssBytes);
  }
  return { ms: median(times) ?? 0, rssBytes: median(rss) };
};

const bench = async (options: BenchOptions): Promise<number> => {
  // The prose around the generated sections: the file itself, or the committed document for a new file.
  const markdown = resolve(ROOT, options.markdown);
  const template = await readFile(markdown, 'utf8').catch(() =>
    readFile(resolve(ROOT, DEFAULT_BENCH_OPTIONS.markdown), 'utf8'),
  );
  log('starting moto_server');
  const moto = await startMotoServer();
  log(`moto ${moto.version} at ${moto.endpoint} (${moto.launcher})`);
  const env = childEnv(moto.endpoint);
  const seeding: SeedingResult[] = [];
  const runs: Record<string, ScenarioRun> = {};
  let startupMs = 0;
  let startupRssBytes: number | null = null;
  let asOf = '';
  let org: SeededBenchOrganisation;
  let big: SeededBenchOrganisation | null = null;
  try {
    ({ ms: startupMs, rssBytes: startupRssBytes } = await measureStartup(env));
    log(`CLI start: ${(startupMs / 1000).toFixed(2)} s`);

    await resetMoto(moto.endpoint);
    log(`seeding ${options.accounts} accounts × ${options.usersPerAccount} users`);
    org = await seedBenchOrganisation(moto.endpoint, {
      accounts: options.accounts,
      usersPerAccount: options.usersPerAccount,
      staleShare: options.staleShare,
    });
    seeding.push(seedingResult('organisation', org));
    log(`seeded in ${(org.seedingMs / 1000).toFixed(1)} s`);
    asOf = new Date(Date.now() + AS_OF_OFFSET_DAYS * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const context = { env, org, usersPerAccount: options.usersPerAccount, asOf, startupMs };
    runs['org-report'] = await runScenario('org-report', 'report', context);
    runs['org-api'] = await runScenario('org-api', 'api', context);
    runs['org-naive'] = await runScenario('org-naive', 'naive', context);

    if (!options.skipBig) {
      await resetMoto(moto.endpoint);
      log(`seeding 1 account × ${options.bigAccountUsers} users`);
      big = await seedBenchOrganisation(moto.endpoint, {
        accounts: 1,
        usersPerAccount: options.bigAccountUsers,
        staleShare: options.staleShare,
        parallelAccounts: 1,
        userConcurrency: 8,
      });
      seeding.push(seedingResult('big-account', big));
      log(`seeded in ${(big.seedingMs / 1000).toFixed(1)} s`);
      const bigContext = { env, org: big, usersPerAccount: options.bigAccountUsers, asOf, startupMs };
      runs['big-report'] = await runScenario('big-report', 'report', bigContext);
      runs['big-api'] = await runScenario('big-api', 'api', bigContext);
    }
  } finally {
    await moto.stop();
  }

  log('bundling the Lambda');
  const lambda = await measureLambdaBundle(options.initRuns);
  log(`bundle ${lambda.bytes} bytes, init median ${lambda.init.medianMs?.toFixed(0) ?? 'n/a'} ms`);

  const orgReport = runs['org-report'];
  const orgApi = runs['org-api'];
  const orgNaive = runs['org-naive'];
  const bigReport = runs['big-report'];
  const bigApi = runs['big-api'];
  if (orgReport === undefined || orgApi === undefined || orgNaive === undefined)
    throw new Error('an organisation scenario did not run');

  const reportAccounts = [orgReport, ...(bigReport === undefined ? [] : [bigReport])];
  const seededFor = (run: ScenarioRun) => (run === bigReport && big !== null ? big : org);
  const budgets: BudgetResult[] = [
    checkReportCalls(
      reportAccounts.flatMap((run) =>
        seededFor(run).accounts.map((a) => ({
          accountId: a.accountId,
          calls: run.perAccount.get(a.accountId) ?? 0,
          flaggedUsers: a.flaggedUsers,
        })),
      ),
      reportAccounts.reduce((sum, run) => sum + run.result.calls.assumeRole, 0),
    ),
    checkSpeedup(
      orgReport.result.wallMs,
      orgNaive.result.wallMs,
      `${options.accounts} accounts × ${options.usersPerAccount} users, ${(options.staleShare * 100).toFixed(0)}% flagged`,
    ),
    checkPeakRss(
      'big-report-rss',
      `report source, 1 account × ${options.bigAccountUsers} users`,
      bigReport === undefined ? undefined : bigReport.result.peakRssBytes,
    ),
    checkPeakRss(
      'big-api-rss',
      `api source, 1 account × ${options.bigAccountUsers} users`,
      bigApi === undefined ? undefined : bigApi.result.peakRssBytes,
    ),
    checkBundleSize(lambda.bytes),
  ];

  const checks: CheckResult[] = [
    ...scanChecks(orgReport, org),
    ...scanChecks(orgApi, org),
    ...sameFindings('organisation', orgReport, orgApi),
    checkNaiveCoverage(orgNaive.result.id, orgNaive.result.calls.byOperation, org.accounts),
    ...(big !== null && bigReport !== undefined && bigApi !== undefined
      ? [
          ...scanChecks(bigReport, big),
          ...scanChecks(bigApi, big),
          ...sameFindings('big account', bigReport, bigApi),
        ]
      : []),
    {
      check: 'the Lambda bundle initialises',
      ok: lambda.init.error === null,
      detail: lambda.init.error ?? `${lambda.init.runsMs.length} imports`,
    },
  ];

  const workload = (run: ScenarioRun, source: 'report' | 'api') => ({
    source,
    users: run.result.usersPerAccount,
    flaggedUsers: run.result.flaggedUsers / run.result.accounts,
    iamCalls: run.result.calls.perAccountMean,
  });
  const measuredRows = [orgReport, bigReport]
    .filter((run): run is ScenarioRun => run !== undefined)
    .map((run) =>
      measuredCapacity('report', run.result.usersPerAccount, run.result.accounts, run.result.scanMs / 1000),
    );
  const modelled = modelCapacity(
    [
      workload(orgReport, 'report'),
      ...(bigReport === undefined ? [] : [workload(bigReport, 'report')]),
      workload(orgApi, 'api'),
      ...(bigApi === undefined ? [] : [workload(bigApi, 'api')]),
    ],
    REPORT_WAIT,
  );

  const results: BenchResults = {
    schemaVersion: 1,
    date: new Date().toISOString(),
    machine: await machineInfo(moto),
    options: {
      accounts: options.accounts,
      usersPerAccount: options.usersPerAccount,
      staleShare: options.staleShare,
      bigAccountUsers: options.skipBig ? null : options.bigAccountUsers,
    },
    asOf,
    startupMs,
    startupRssBytes,
    seeding,
    scenarios: Object.values(runs).map((run) => run.result),
    lambda,
    budgets,
    checks,
    scaling: {
      lambdaTimeoutSeconds: LAMBDA_TIMEOUT_SECONDS,
      headroomShare: HEADROOM_SHARE,
      accountConcurrency: DEFAULT_ACCOUNT_CONCURRENCY,
      userConcurrency: DEFAULT_USER_CONCURRENCY,
      assumptions: LATENCY_ASSUMPTIONS,
      reportWait: REPORT_WAIT,
      rows: [...measuredRows, ...modelled],
      speedups: modelSpeedups(
        workload(orgReport, 'report'),
        orgNaive.result.calls.perAccountMean,
        orgReport.result.accounts,
        REPORT_WAIT,
      ),
    },
    totalMs: performance.now() - started,
  };

  const out = resolve(ROOT, options.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  await mkdir(dirname(markdown), { recursive: true });
  // The CLI's start-up (issue 12's budget) is measured on the package build, beside the scan benchmarks.
  await buildPackage();
  const startup = measureCliStartup(21);
  const startupSection = renderCliStartup(startup, new Date().toISOString().slice(0, 10));
  await writeFile(markdown, withCliStartupSection(updatePerformanceDoc(template, results), startupSection));
  log(
    `key-audit --help: median ${startup.clean.cliMedianMs.toFixed(1)} ms ` +
      `(budget ${CLI_STARTUP_BUDGET_MS} ms: ${startup.withinBudget ? 'PASS' : 'FAIL'})`,
  );
  process.stdout.write(`\n${verdictLines(results).join('\n')}\n\n`);
  log(`wrote ${options.out} and ${options.markdown}`);
  if (checks.some((c) => !c.ok) || !startup.withinBudget) return 1;
  return exitCodeFor(budgets);
};

const main = async (): Promise<number> => {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchOptionError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    return 1;
  }
  if (options.help) {
    process.stdout.write(BENCH_HELP);
    return 0;
  }
  try {
    return await bench(options);
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
};

process.exitCode = await main();
