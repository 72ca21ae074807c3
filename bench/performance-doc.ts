/**
 * The measured parts of docs/performance.md: each `<!-- generated:NAME -->` section is rendered from
 * bench/results.json, and the prose around the sections is written by hand in the document itself. Pure.
 */
import { formatMb } from './budgets.ts';
import type { RssMethod } from './measure-process.ts';
import { type BenchResults, type ScenarioResult, STATUS } from './results.ts';
import { type CapacityRow, HEADROOM_SHARE, LAMBDA_TIMEOUT_SECONDS } from './scaling-model.ts';

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const rss = (bytes: number | null): string => (bytes === null ? 'n/a' : formatMb(bytes));
const integer = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-GB') : '∞');

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

/** The machine, the date, the workload and the CLI at rest. */
const runSection = (results: BenchResults): string => {
  const { machine: m, options: o } = results;
  const rssMethods = [...new Set(results.scenarios.map((s) => RSS_METHODS[s.rssMethod]))].join('; ');
  return `Measured on ${results.date.slice(0, 10)} (${results.date}) on ${m.os} ${m.arch},
${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM, Node.js ${m.node}, moto ${m.moto} (${m.motoLauncher}).
Total run: ${seconds(results.totalMs)} s. Seeded: ${o.accounts} member accounts × ${integer(o.usersPerAccount)} IAM users, ${(
    o.staleShare * 100
  ).toFixed(0)}% flagged${
    o.bigAccountUsers === null ? '' : `; then one account with ${integer(o.bigAccountUsers)} users`
  }. Scans evaluate at \`--as-of ${results.asOf}\`.
The CLI at rest (\`key-audit --version\`, every module loaded) takes ${seconds(results.startupMs)} s to start and peaks at
${rss(results.startupRssBytes)}. Peak RSS is measured with ${rssMethods}.`;
};

const scenarioRow = (s: ScenarioResult): string[] => [
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
  s.concurrency,
];

/** Every scenario, the retries it took, and the seeding before. */
const resultsSection = (results: BenchResults): string => `${mdTable(
  [
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
    'concurrency',
  ],
  results.scenarios.map(scenarioRow),
)}

Retries after throttling, all scenarios together: ${results.scenarios.reduce((sum, s) => sum + s.calls.retries, 0)}.

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
)}`;

/** The budgets, then the checks of the run itself. */
const budgetsSection = (results: BenchResults): string => `${mdTable(
  ['budget', 'status', 'measured'],
  results.budgets.map((b) => [b.budget, STATUS[b.status], b.measured]),
)}

Checks of the run itself (a wrong scan would make its timing meaningless):

${mdTable(
  ['check', 'status', 'detail'],
  results.checks.map((c) => [c.check, c.ok ? 'PASS' : 'FAIL', c.detail]),
)}`;

/** The measured speedup on moto, and the modelled one on AWS. */
const speedupSection = (results: BenchResults): string => {
  const report = results.scenarios.find((s) => s.id === 'org-report');
  const naive = results.scenarios.find((s) => s.id === 'org-naive');
  const measured =
    report === undefined || naive === undefined
      ? ''
      : `On moto the naive baseline averaged ${(naive.wallMs / naive.calls.total).toFixed(1)} ms per sequential call, and the report
source made ${(naive.calls.total / report.calls.total).toFixed(1)}x fewer calls. Modelled on AWS from the measured call counts:

`;
  return `${measured}${mdTable(
    ['assumption', 'naive baseline s', 'report source s', 'speedup'],
    results.scaling.speedups.map((x) => [
      x.assumption,
      x.naiveSeconds.toFixed(0),
      x.reportSeconds.toFixed(0),
      `${x.factor.toFixed(0)}x`,
    ]),
  )}`;
};

/** The bundle's size, its initialisation time, and where its bytes come from. */
const bundleSection = ({ lambda, machine }: BenchResults): string => `\`${lambda.entry}\`: **${integer(
  lambda.bytes,
)} bytes** (source map ${integer(lambda.sourceMapBytes)} bytes), ${lambda.inputCount} inputs.
Module initialisation in node ${machine.node}, ${lambda.init.runsMs.length} runs: median ${
  lambda.init.medianMs === null ? 'n/a' : `**${lambda.init.medianMs.toFixed(0)} ms**`
}${lambda.init.error === null ? '' : ` (import failed: ${lambda.init.error})`}.

Largest inputs (bytes in the output):

${mdTable(
  ['input', 'bytes'],
  lambda.topInputs.map((i) => [`\`${i.path}\``, integer(i.bytes)]),
)}

By package:

${mdTable(
  ['package', 'bytes'],
  lambda.packages.slice(0, 10).map((p) => [p.path, integer(p.bytes)]),
)}`;

const capacityRow = (row: CapacityRow): string[] => [
  row.basis,
  row.source,
  integer(row.usersPerAccount),
  row.secondsPerAccount.toFixed(2),
  integer(row.accountsPerLambda),
  integer(row.usersPerLambda),
];

/** Accounts per Lambda run, measured and modelled, and the assumptions of the model. */
const capacitySection = ({ scaling }: BenchResults): string => `Accounts one ${
  LAMBDA_TIMEOUT_SECONDS / 60
}-minute run can scan, planning with ${((1 - HEADROOM_SHARE) * 100).toFixed(0)}% of the timeout, ${
  scaling.accountConcurrency
} accounts at a time and ${scaling.userConcurrency} users per account at a time:

${mdTable(
  ['basis', 'source', 'users/account', 's per account', 'accounts/Lambda', 'users/Lambda'],
  scaling.rows.map(capacityRow),
)}

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
  scaling.assumptions.map((a) => [
    a.name,
    `${a.iamCallMs} ms`,
    `${a.assumeRoleMs} ms`,
    `${seconds(a.reportReadySmallMs)} s`,
    `${seconds(a.reportReadyLargeMs)} s`,
    a.iamRequestsPerSecond === null ? 'no cap' : String(a.iamRequestsPerSecond),
  ]),
)}`;

/** The generated sections of docs/performance.md, by marker name, in document order. */
export const PERFORMANCE_SECTIONS: Readonly<Record<string, (results: BenchResults) => string>> = {
  'bench-run': runSection,
  'bench-results': resultsSection,
  'bench-budgets': budgetsSection,
  'bench-speedup': speedupSection,
  'bench-bundle': bundleSection,
  'bench-capacity': capacitySection,
};

/**
 * `doc` with every generated section rendered from `results`; everything outside the markers is kept.
 * @throws Error naming the first marker `doc` lacks.
 */
export const updatePerformanceDoc = (doc: string, results: BenchResults): string => {
  let out = doc;
  for (const [name, render] of Object.entries(PERFORMANCE_SECTIONS)) {
    const pattern = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!pattern.test(out)) throw new Error(`marker <!-- generated:${name} --> not found`);
    out = out.replace(
      pattern,
      (_m, open: string, close: string) => `${open}${render(results).trimEnd()}\n${close}`,
    );
  }
  return out;
};
