/**
 * A small results object for the bench's rendering tests: two scenarios, a budget of each status, one check.
 */
import type { BenchResults, ScenarioResult } from '../../bench/results.ts';
import { LATENCY_ASSUMPTIONS } from '../../bench/scaling-model.ts';

const scenario = (
  id: string,
  source: ScenarioResult['source'],
  wallMs: number,
  calls: number,
): ScenarioResult => ({
  id,
  tool: source === 'naive' ? 'naive script' : 'key-audit CLI',
  source,
  concurrency: source === 'naive' ? '1 call at a time' : '4 accounts × 8 users',
  command: 'node …',
  accounts: 2,
  usersPerAccount: 100,
  users: 200,
  keys: 214,
  flaggedUsers: 20,
  wallMs,
  scanMs: wallMs - 500,
  peakRssBytes: 150_000_000,
  rssMethod: 'gnu-time',
  calls: {
    total: calls,
    perAccountMean: calls / 2,
    perAccountMax: calls / 2,
    assumeRole: 2,
    retries: 0,
    byOperation: {},
  },
  findings: source === 'naive' ? null : 20,
});

export const results = (overrides: Partial<BenchResults> = {}): BenchResults => ({
  schemaVersion: 1,
  date: '2026-11-25T20:00:00.000Z',
  machine: {
    os: 'Linux',
    arch: 'x64',
    cpus: 2,
    cpuModel: 'CPU',
    memoryGb: 8,
    node: 'v20.20.2',
    moto: '5.2.1',
    motoLauncher: 'moto_server on PATH',
  },
  options: { accounts: 2, usersPerAccount: 100, staleShare: 0.1, bigAccountUsers: null },
  asOf: '2026-12-25T20:00:00Z',
  startupMs: 500,
  startupRssBytes: 88_000_000,
  seeding: [{ organisation: 'organisation', accounts: 2, users: 200, keys: 214, flaggedUsers: 20, ms: 3000 }],
  scenarios: [scenario('org-report', 'report', 4000, 100), scenario('org-naive', 'naive', 30_000, 800)],
  lambda: {
    entry: 'lambda/handler.ts',
    bytes: 500_000,
    sourceMapBytes: 800_000,
    inputCount: 3,
    topInputs: [{ path: 'lambda/handler.ts', bytes: 100 }],
    packages: [{ path: '(project)', bytes: 100 }],
    init: { runsMs: [100, 120], medianMs: 110, error: null },
  },
  budgets: [
    { id: 'a', budget: 'calls within the limit', status: 'pass', measured: 'ok' },
    { id: 'b', budget: 'fast enough', status: 'fail', measured: 'too slow' },
    { id: 'c', budget: 'big account RSS', status: 'skipped', measured: 'not run (--skip-big)' },
  ],
  checks: [{ check: 'read every user', ok: true, detail: '200 of 200 users' }],
  scaling: {
    lambdaTimeoutSeconds: 900,
    headroomShare: 0.1,
    accountConcurrency: 4,
    userConcurrency: 8,
    assumptions: LATENCY_ASSUMPTIONS,
    reportWait: 'ahead',
    rows: [],
    speedups: [{ assumption: 'typical (100 ms)', naiveSeconds: 100, reportSeconds: 10, factor: 10 }],
  },
  totalMs: 60_000,
  ...overrides,
});
