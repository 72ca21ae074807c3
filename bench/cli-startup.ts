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

/** What `measureCliStartup` found. */
export interface CliStartupMeasurement {
  readonly runs: number;
  /** `node dist/cli.mjs --help`, per run and median, in milliseconds. */
  readonly cliMs: readonly number[];
  readonly cliMedianMs: number;
  /** `node -e 0`, per run and median, in milliseconds. */
  readonly nodeMs: readonly number[];
  readonly nodeMedianMs: number;
  readonly withinBudget: boolean;
}

const timeRun = (args: readonly string[]): number => {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString().trim()}`);
  }
  return ms;
};

/** Times `runs` starts of the built command and of bare Node.js, alternating, after one warm-up each. */
export const measureCliStartup = (runs: number): CliStartupMeasurement => {
  if (!existsSync(CLI_FILE)) throw new Error(`${CLI_FILE} is missing: run npm run build first`);
  const cli = [CLI_FILE, '--help'];
  const bare = ['-e', '0'];
  timeRun(cli);
  timeRun(bare);
  const cliMs: number[] = [];
  const nodeMs: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    cliMs.push(timeRun(cli));
    nodeMs.push(timeRun(bare));
  }
  const cliMedianMs = median(cliMs) ?? Number.NaN;
  return {
    runs,
    cliMs,
    cliMedianMs,
    nodeMs,
    nodeMedianMs: median(nodeMs) ?? Number.NaN,
    withinBudget: cliMedianMs <= CLI_STARTUP_BUDGET_MS,
  };
};

/** Where the section goes, and the markers around it. */
const PERFORMANCE_DOC = join(ROOT, 'docs', 'performance.md');
const BEGIN = '<!-- cli-startup: written by bench/cli-startup.ts --write -->';
const END = '<!-- /cli-startup -->';

/** The docs/performance.md section for a measurement, between its markers. */
export const renderCliStartup = (m: CliStartupMeasurement, measuredOn: string): string =>
  [
    BEGIN,
    '## CLI start-up',
    '',
    `Measured on ${measuredOn} with \`npx tsx bench/cli-startup.ts --runs ${m.runs}\`: the median wall time of`,
    `${m.runs} runs of \`node dist/cli.mjs --help\` (the build the package's \`key-audit\` command runs: no tsx,`,
    'no TypeScript compiled at start-up, the AWS SDK loaded only by live scans), beside `node -e 0` in the same loop.',
    '',
    '| command | median ms | budget |',
    '|---|---:|---|',
    `| \`key-audit --help\` | ${m.cliMedianMs.toFixed(0)} | <= ${CLI_STARTUP_BUDGET_MS} ms: ${m.withinBudget ? 'PASS' : 'FAIL'} |`,
    `| \`node -e 0\` (Node.js alone) | ${m.nodeMedianMs.toFixed(0)} | |`,
    END,
  ].join('\n');

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
  process.stdout.write(
    `key-audit --help: median ${measurement.cliMedianMs.toFixed(1)} ms over ${runs} runs ` +
      `(budget ${CLI_STARTUP_BUDGET_MS} ms: ${measurement.withinBudget ? 'PASS' : 'FAIL'}); ` +
      `node -e 0: median ${measurement.nodeMedianMs.toFixed(1)} ms\n\n`,
  );
  const section = renderCliStartup(measurement, new Date().toISOString().slice(0, 10));
  process.stdout.write(`${section}\n`);
  if (values.write) {
    writeFileSync(PERFORMANCE_DOC, withCliStartupSection(readFileSync(PERFORMANCE_DOC, 'utf8'), section));
  }
  process.exitCode = measurement.withinBudget ? 0 : 2;
}
