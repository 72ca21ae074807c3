/**
 * How fast the installed command starts: the median wall time of `node dist/cli.mjs --help` (the build
 * the package's `bin` runs) over N runs, beside `node -e 0` (Node.js itself) measured in the same
 * interleaved loop, so a busy machine slows both alike. Builds dist/ first unless `--no-build`.
 *
 *   npx tsx bench/cli-startup.ts [--runs N] [--no-build] [--write]
 *
 * Prints the figures, the budget's verdict, and the section for docs/performance.md (`--write` puts it
 * there, between its markers); exits 2 when the median is over budget.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPackage, CLI_FILE, ROOT } from '../scripts/build.ts';
import { median } from './bundle-stats.ts';

/** Issue 12: `key-audit --help` starts in at most this many milliseconds (median). */
export const CLI_STARTUP_BUDGET_MS = 150;

/**
 * Variables that slow down every Node.js start, whatever it runs: `NODE_EXTRA_CA_CERTS` makes Node.js read
 * and parse a certificate bundle first (the one set on the benchmark machine costs tens of milliseconds),
 * `NODE_OPTIONS` can preload modules. The budget is measured without them.
 */
export const NODE_STARTUP_VARIABLES: readonly string[] = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'];

/** Medians of one environment, in milliseconds. */
export interface StartupTimes {
  /** `node dist/cli.mjs --help`, per run and median. */
  readonly cliMs: readonly number[];
  readonly cliMedianMs: number;
  /** `node -e 0`, per run and median. */
  readonly nodeMs: readonly number[];
  readonly nodeMedianMs: number;
}

/** What `measureCliStartup` found. */
export interface CliStartupMeasurement {
  readonly runs: number;
  /** Without `NODE_STARTUP_VARIABLES`: the budget's figure. */
  readonly clean: StartupTimes;
  /** With the variables of `NODE_STARTUP_VARIABLES` that are set here, when any is. */
  readonly inherited?: StartupTimes & { readonly variables: readonly string[] };
  readonly withinBudget: boolean;
}

const timeRun = (args: readonly string[], env: NodeJS.ProcessEnv): number => {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString().trim()}`);
  }
  return ms;
};

/** Times `runs` starts of the built command and of bare Node.js, alternating, after one warm-up each. */
const timeStarts = (runs: number, env: NodeJS.ProcessEnv): StartupTimes => {
  const cli = [CLI_FILE, '--help'];
  const bare = ['-e', '0'];
  timeRun(cli, env);
  timeRun(bare, env);
  const cliMs: number[] = [];
  const nodeMs: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    cliMs.push(timeRun(cli, env));
    nodeMs.push(timeRun(bare, env));
  }
  return {
    cliMs,
    cliMedianMs: median(cliMs) ?? Number.NaN,
    nodeMs,
    nodeMedianMs: median(nodeMs) ?? Number.NaN,
  };
};

/** Measures in a clean environment and, when this one sets start-up variables, in this one too. */
export const measureCliStartup = (
  runs: number,
  env: NodeJS.ProcessEnv = process.env,
): CliStartupMeasurement => {
  if (!existsSync(CLI_FILE)) throw new Error(`${CLI_FILE} is missing: run npm run build first`);
  const variables = NODE_STARTUP_VARIABLES.filter((name) => (env[name] ?? '') !== '');
  const cleanEnv = Object.fromEntries(Object.entries(env).filter(([name]) => !variables.includes(name)));
  const clean = timeStarts(runs, cleanEnv);
  return {
    runs,
    clean,
    ...(variables.length === 0 ? {} : { inherited: { ...timeStarts(runs, env), variables } }),
    withinBudget: clean.cliMedianMs <= CLI_STARTUP_BUDGET_MS,
  };
};

/** Where the section goes, and the markers around it. */
const PERFORMANCE_DOC = join(ROOT, 'docs', 'performance.md');
const BEGIN = '<!-- cli-startup: written by bench/cli-startup.ts --write -->';
const END = '<!-- /cli-startup -->';

/** The docs/performance.md section for a measurement, between its markers. */
export const renderCliStartup = (m: CliStartupMeasurement, measuredOn: string): string => {
  const verdict = `${m.withinBudget ? 'PASS' : 'FAIL'} (budget <= ${CLI_STARTUP_BUDGET_MS} ms)`;
  const row = (environment: string, times: StartupTimes, note: string): string =>
    `| ${environment} | ${times.cliMedianMs.toFixed(0)} | ${times.nodeMedianMs.toFixed(0)} | ${note} |`;
  return [
    BEGIN,
    '## CLI start-up',
    '',
    `Measured on ${measuredOn} with \`npx tsx bench/cli-startup.ts --runs ${m.runs}\`: the median wall time of ${m.runs} runs`,
    "of `node dist/cli.mjs --help`, the build the package's `key-audit` command runs (no tsx, no TypeScript",
    'compiled at start-up, the AWS SDK loaded only by live scans), beside `node -e 0` in the same loop. The budget',
    `is measured without ${NODE_STARTUP_VARIABLES.map((v) => `\`${v}\``).join(' and ')}, which slow down every Node.js start,`,
    'whatever it runs.',
    '',
    '| environment | `key-audit --help` median ms | `node -e 0` median ms | |',
    '|---|---:|---:|---|',
    row('clean', m.clean, verdict),
    ...(m.inherited === undefined
      ? []
      : [row(`as set here (${m.inherited.variables.join(', ')})`, m.inherited, 'for reference')]),
    END,
  ].join('\n');
};

/** `document` with its CLI start-up section replaced by `section`, or `section` appended. */
export const withCliStartupSection = (document: string, section: string): string => {
  const begin = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (begin < 0 || end < begin) return `${document.trimEnd()}\n\n${section}\n`;
  return `${document.slice(0, begin)}${section}${document.slice(end + END.length)}`;
};

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '21' },
      'no-build': { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs: ${values.runs} is not a positive integer`);
  if (!values['no-build']) await buildPackage();
  const measurement = measureCliStartup(runs);
  const { clean } = measurement;
  process.stdout.write(
    `key-audit --help: median ${clean.cliMedianMs.toFixed(1)} ms over ${runs} runs ` +
      `(budget ${CLI_STARTUP_BUDGET_MS} ms: ${measurement.withinBudget ? 'PASS' : 'FAIL'}); ` +
      `node -e 0: median ${clean.nodeMedianMs.toFixed(1)} ms\n\n`,
  );
  const section = renderCliStartup(measurement, new Date().toISOString().slice(0, 10));
  process.stdout.write(`${section}\n`);
  if (values.write) {
    writeFileSync(PERFORMANCE_DOC, withCliStartupSection(readFileSync(PERFORMANCE_DOC, 'utf8'), section));
  }
  process.exitCode = measurement.withinBudget ? 0 : 2;
}
