/**
 * The shape of bench/results.json and its two renderings: the console table and docs/performance.md.
 * Pure: everything is computed from the results object, so the committed Markdown is reproducible from
 * the committed JSON.
 */
import { DEFAULT_REPORT_POLL_DELAY_MS } from '../lambda/aws/credential-report-source.ts';
import { type BudgetResult, formatMb } from './budgets.ts';
import type { LambdaBundleMeasurement } from './lambda-bundle.ts';
import type { RssMethod } from './measure-process.ts';
import {
  type CapacityRow,
  HEADROOM_SHARE,
  LAMBDA_TIMEOUT_SECONDS,
  type LatencyAssumption,
  type ModelledSpeedup,
  type ReportWait,
} from './scaling-model.ts';

/** The machine the numbers come from. */
export interface MachineInfo {
  readonly os: string;
  readonly arch: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly moto: string;
  readonly motoLauncher: string;
}

/** One seeding phase. */
export interface SeedingResult {
  readonly organisation: 'organisation' | 'big-account';
  readonly accounts: number;
  readonly users: number;
  readonly keys: number;
  readonly flaggedUsers: number;
  readonly ms: number;
}

/** One measured scan. */
export interface ScenarioResult {
  readonly id: string;
  /** `key-audit CLI` or `naive script`. */
  readonly tool: string;
  readonly source: 'report' | 'api' | 'naive';
  /** How work was parallelised, in words. */
  readonly concurrency: string;
  readonly command: string;
  readonly accounts: number;
  readonly usersPerAccount: number;
  readonly users: number;
  readonly keys: number;
  readonly flaggedUsers: number;
  readonly wallMs: number;
  /** Wall time minus the process start measured separately (`startupMs`). */
  readonly scanMs: number;
  readonly peakRssBytes: number | null;
  readonly rssMethod: RssMethod;
  readonly calls: {
    readonly total: number;
    /** IAM calls made inside member accounts (role sessions), per account. */
    readonly perAccountMean: number;
    readonly perAccountMax: number;
    readonly assumeRole: number;
    readonly retries: number;
    readonly byOperation: Readonly<Record<string, number>>;
  };
  /** Findings in the JSON report (CLI only). */
  readonly findings: number | null;
}

/** A correctness check of the run itself (a wrong scan would make its timing meaningless). */
export interface CheckResult {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** bench/results.json. */
export interface BenchResults {
  readonly schemaVersion: 1;
  readonly date: string;
  readonly machine: MachineInfo;
  readonly options: {
    readonly accounts: number;
    readonly usersPerAccount: number;
    readonly staleShare: number;
    readonly bigAccountUsers: number | null;
  };
  /** The instant the scans evaluate at (seeding time + 30 days). */
  readonly asOf: string;
  /** Median wall time of `key-audit --version` (node start, tsx, module loading). */
  readonly startupMs: number;
  /** Median peak RSS of `key-audit --version`: the CLI at rest with every module loaded. */
  readonly startupRssBytes: number | null;
  readonly seeding: readonly SeedingResult[];
  readonly scenarios: readonly ScenarioResult[];
  readonly lambda: LambdaBundleMeasurement;
  readonly budgets: readonly BudgetResult[];
  readonly checks: readonly CheckResult[];
  readonly scaling: {
    readonly lambdaTimeoutSeconds: number;
    readonly headroomShare: number;
    readonly accountConcurrency: number;
    readonly userConcurrency: number;
    readonly assumptions: readonly LatencyAssumption[];
    /** How the scan waited for credential reports (see `ReportWait`). */
    readonly reportWait: ReportWait;
    readonly rows: readonly CapacityRow[];
    /** The organisation scenario's report source against the naive baseline, modelled on AWS. */
    readonly speedups: readonly ModelledSpeedup[];
  };
  readonly totalMs: number;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const rss = (bytes: number | null): string => (bytes === null ? 'n/a' : formatMb(bytes));
const integer = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-GB') : '∞');

const scenarioCells = (s: ScenarioResult): string[] => [
  s.id,
  s.source,
  String(s.accounts),
  integer(s.users),
  integer(s.keys),
  integer(s.flaggedUsers),
  s.calls.perAccountMean.toLocaleString('en-GB', { maximumFractionDigits: 1 }),
  integer(s.calls.total),
  seconds(s.wallMs),
  rss(s.peakRssBytes),
];

const SCENARIO_HEADER = [
  'scenario',
  'source',
  'accounts',
  'users',
  'keys',
  'flagged',
  'calls/account',
  'calls total',
  'wall s',
  'peak RSS',
];

const textTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
};

const NUMERIC = /^[\d.,∞]+( MB| ms| s|x)?$|^n\/a$/;

/** A Markdown table; columns whose every cell is a number are right-aligned. */
const mdTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[i] ?? '')));
  return [
    `| ${header.join(' | ')} |`,
    `|${numeric.map((right) => (right ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`),
  ].join('\n');
};

const RSS_METHODS: Readonly<Record<RssMethod, string>> = {
  'gnu-time': "GNU `/usr/bin/time -v` (the kernel's `ru_maxrss`, read after exit, so no peak is missed)",
  'proc-vmhwm': '`VmHWM` of /proc/<pid>/status polled every 50 ms (a peak in the last 50 ms can be missed)',
  unavailable: 'nothing: this machine offers neither GNU time nor /proc, so RSS is n/a',
};

const STATUS = { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP' } as const;

const capacityCells = (row: CapacityRow): string[] => [
  row.basis,
  row.source,
  integer(row.usersPerAccount),
  row.secondsPerAccount.toFixed(2),
  integer(row.accountsPerLambda),
  integer(row.usersPerLambda),
];
const CAPACITY_HEADER = [
  'basis',
  'source',
  'users/account',
  's per account',
  'accounts/Lambda',
  'users/Lambda',
];

/** Explains the measured speedup and sets it against the modelled one on AWS. */
const speedupNotes = (results: BenchResults): string => {
  const report = results.scenarios.find((s) => s.id === 'org-report');
  const naive = results.scenarios.find((s) => s.id === 'org-naive');
  if (report === undefined || naive === undefined) return '';
  const waves = Math.ceil(report.accounts / results.scaling.accountConcurrency);
  const waitS = (waves * DEFAULT_REPORT_POLL_DELAY_MS) / 1000;
  return `On moto a call costs milliseconds of CPU in two local processes (the naive baseline averaged ${(
    naive.wallMs / naive.calls.total
  ).toFixed(1)} ms
per sequential call), so wall time follows the number of calls plus fixed waits. The report source made ${(
    naive.calls.total / report.calls.total
  ).toFixed(1)}x
fewer calls than the naive baseline. It also waits for credential reports: moto completes a report on the
second GenerateCredentialReport. ${
    results.scaling.reportWait === 'ahead'
      ? `The scan starts every account's report ahead of its turn, so an
account's own request is the second and finds its report COMPLETE: on moto no account waits (on AWS the first
wave waits for generation)`
      : `An account sleeps through the scan's first ${(DEFAULT_REPORT_POLL_DELAY_MS / 1000).toFixed(0)}-second pause while holding its concurrency slot
(${report.accounts} accounts × ${(DEFAULT_REPORT_POLL_DELAY_MS / 1000).toFixed(0)} s in ${results.scaling.accountConcurrency} slots: up to ${waitS.toFixed(0)} s of the ${seconds(report.wallMs)} s when the pauses coincide, less
when other accounts use moto meanwhile)`
  }; starting the process takes ${seconds(results.startupMs)} s. On
AWS every call is a network round trip and the naive baseline pays each one in sequence; modelled from the
measured call counts (assumptions under "How far one Lambda run goes"):

${mdTable(
  ['assumption', 'naive baseline s', 'report source s', 'speedup'],
  results.scaling.speedups.map((x) => [
    x.assumption,
    x.naiveSeconds.toFixed(0),
    x.reportSeconds.toFixed(0),
    `${x.factor.toFixed(0)}x`,
  ]),
)}`;
};

/** The console summary: scenarios, budgets and checks. */
export const renderConsole = (results: BenchResults): string => {
  const lines = [
    '',
    textTable(SCENARIO_HEADER, results.scenarios.map(scenarioCells)),
    '',
    ...results.seeding.map(
      (s) =>
        `seeding ${s.organisation}: ${s.accounts} x ${integer(s.users / s.accounts)} users in ${seconds(s.ms)} s`,
    ),
    `CLI start (key-audit --version): ${seconds(results.startupMs)} s; Lambda bundle ${integer(results.lambda.bytes)} bytes, ` +
      `init median ${results.lambda.init.medianMs === null ? 'n/a' : `${results.lambda.init.medianMs.toFixed(0)} ms`}`,
    '',
    ...results.budgets.map((b) => `${STATUS[b.status]}  ${b.budget}: ${b.measured}`),
    ...results.checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  check: ${c.check}: ${c.detail}`),
    '',
    textTable(CAPACITY_HEADER, results.scaling.rows.map(capacityCells)),
    '',
    ...results.scaling.speedups.map(
      (x) =>
        `modelled on AWS, ${x.assumption}: naive ${x.naiveSeconds.toFixed(0)} s, report ${x.reportSeconds.toFixed(0)} s (${x.factor.toFixed(0)}x)`,
    ),
    '',
    `total ${seconds(results.totalMs)} s`,
    '',
  ];
  return lines.join('\n');
};

/** docs/performance.md. */
export const renderMarkdown = (results: BenchResults): string => {
  const m = results.machine;
  const o = results.options;
  const lambda = results.lambda;
  const scenarioRows = results.scenarios.map((s) => [...scenarioCells(s), s.concurrency]);
  const rssMethods = [...new Set(results.scenarios.map((s) => RSS_METHODS[s.rssMethod]))].join('; ');
  return `# Performance

<!-- Generated by \`npm run bench\` (bench/run.ts) from bench/results.json: do not edit by hand. -->

Measured on ${results.date.slice(0, 10)} (${results.date}) on ${m.os} ${m.arch},
${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM, Node.js ${m.node}, moto ${m.moto} (${m.motoLauncher}).
Total run: ${seconds(results.totalMs)} s.
Re-run with \`npm run bench\` (\`-- --help\` for options); results in \`bench/results.json\`.

## What is measured

An organisation of ${o.accounts} member accounts × ${o.usersPerAccount} IAM users is seeded in moto_server${
    o.bigAccountUsers === null
      ? ''
      : `,\nthen (after a reset) one account with ${integer(o.bigAccountUsers)} users`
  }. Every user
has one or two access keys; ${(o.staleShare * 100).toFixed(0)}% are shaped so that the credential report flags them (two active keys,
an active and an inactive key, or one inactive key) and the others hold one fresh active key. moto cannot
back-date keys, so the scans evaluate at seeding time + 30 days (\`--as-of ${results.asOf}\`): with the default
policy a fresh key is neither due (76 days) nor unused (45 days) then, and exactly the shaped users are flagged.

Each scenario is a separate process, timed from spawn to exit: the real CLI (\`node --import tsx
bin/key-audit.ts scan --org --exclude <management account> --source report|api --format json --stats --quiet
--as-of … --fail-on none\`) with the default concurrency (4 accounts, 8 users per account at a time), and the
naive baseline \`bench/naive-scan.ts\` (one account after another, ListUsers, then per user ListAccessKeys,
GetAccessKeyLastUsed per key and ListUserTags, one call at a time, on the same SDK clients). Calls come from
the CLI's \`--stats\` table. Peak RSS is the process's maximum resident set size, measured with
${rssMethods};
it includes Node.js, tsx's on-the-fly TypeScript compilation and the loaded SDK clients:
the CLI at rest (\`key-audit --version\`, every module loaded) peaks at ${rss(results.startupRssBytes)} and takes ${seconds(
    results.startupMs,
  )} s to
start, which "wall s" includes. The Lambda runs a bundle without tsx.

## Results

${mdTable([...SCENARIO_HEADER, 'concurrency'], scenarioRows)}

"calls/account" counts IAM calls inside member accounts (role sessions); AssumeRole, GetCallerIdentity and
ListAccounts are made with the caller's credentials and appear in "calls total" only. moto answered every call
without throttling (retries: ${results.scenarios.map((s) => s.calls.retries).reduce((a, b) => a + b, 0)}).

Seeding (through moto's API, before the scans, not included above):

${mdTable(
  ['organisation', 'accounts', 'users', 'keys', 'flagged', 'seconds'],
  results.seeding.map((s) => [
    s.organisation,
    String(s.accounts),
    integer(s.users),
    integer(s.keys),
    integer(s.flaggedUsers),
    seconds(s.ms),
  ]),
)}

## Budgets

${mdTable(
  ['budget', 'status', 'measured'],
  results.budgets.map((b) => [b.budget, STATUS[b.status], b.measured]),
)}

${speedupNotes(results)}

Checks of the run itself (a wrong scan would make its timing meaningless):

${mdTable(
  ['check', 'status', 'detail'],
  results.checks.map((c) => [c.check, c.ok ? 'PASS' : 'FAIL', c.detail]),
)}

## The Lambda bundle

\`${lambda.entry}\` bundled as the stack does (esbuild: platform node, target node22, ESM, minified,
tree-shaken, SDK clients bundled, source map without sources): **${integer(lambda.bytes)} bytes** (source map
${integer(lambda.sourceMapBytes)} bytes), ${lambda.inputCount} inputs.${
    lambda.placeholder
      ? ' **The handler was still a placeholder when this was measured** (nothing from node_modules in the bundle).'
      : ''
  }
Module initialisation (\`await import()\` of the bundle in a fresh node ${m.node} process with the stack's
environment and \`--enable-source-maps\`, ${lambda.init.runsMs.length} runs): median ${
    lambda.init.medianMs === null ? 'n/a' : `**${lambda.init.medianMs.toFixed(0)} ms**`
  }${lambda.init.error === null ? '' : ` (import failed: ${lambda.init.error})`}. Lambda runs Node.js 24 on arm64;
times there differ.

Largest inputs (bytes in the output):

${mdTable(
  ['input', 'bytes'],
  lambda.topInputs.map((i) => [`\`${i.path}\``, integer(i.bytes)]),
)}

By package:

${mdTable(
  ['package', 'bytes'],
  lambda.packages.slice(0, 10).map((p) => [p.path, integer(p.bytes)]),
)}

## How far one Lambda run goes

Accounts one ${LAMBDA_TIMEOUT_SECONDS / 60}-minute run can scan, planning with ${((1 - HEADROOM_SHARE) * 100).toFixed(0)}% of the
timeout, ${results.scaling.accountConcurrency} accounts at a time and ${results.scaling.userConcurrency} users per account at a time.
"moto (measured)" scales the scan time above; the AWS rows model each account from its measured call count and
the scan's dependent round trips under the assumptions below, ${
    results.scaling.reportWait === 'ahead'
      ? "with reports started ahead of each account's turn, so that only\nthe first wave waits for them"
      : 'with each account waiting for its report in its concurrency slot'
  }. docs/scaling-design.md explains the derivation and what to do past the limit.

${mdTable(CAPACITY_HEADER, results.scaling.rows.map(capacityCells))}

Assumptions (AWS publishes neither IAM latency nor IAM throttling rates):

${mdTable(
  [
    'assumption',
    'IAM call',
    'AssumeRole',
    'report ready (≤1,000 users)',
    'report ready (more)',
    'IAM req/s per account',
  ],
  results.scaling.assumptions.map((a) => [
    a.name,
    `${a.iamCallMs} ms`,
    `${a.assumeRoleMs} ms`,
    `${seconds(a.reportReadySmallMs)} s`,
    `${seconds(a.reportReadyLargeMs)} s`,
    a.iamRequestsPerSecond === null ? 'no cap' : String(a.iamRequestsPerSecond),
  ]),
)}

## Caveats

- moto is a single Python process sharing ${m.cpus} cores with the scanner, answers in milliseconds and never
  throttles; real IAM is slower per call but runs accounts truly in parallel.
- moto's GetAccessKeyLastUsed scans every user of every account for the key id, so it slows down as the
  organisation grows; this weighs on the API source and the naive baseline (one such call per key of every
  user) more than on the report source (one per key of a flagged user).
- moto always completes the credential report on the second GenerateCredentialReport: ${
    results.scaling.reportWait === 'ahead'
      ? 'with reports started ahead,\n  no account waits on moto, where on AWS the first wave would wait for generation.'
      : 'the report source\n  waits exactly one 2-second poll per account.'
  }
`;
};
