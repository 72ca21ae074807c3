/**
 * The shape of bench/results.json, and the verdicts the run prints: one line per budget and per check.
 * docs/performance.md is rendered from the same object (performance-doc.ts).
 */
import type { BudgetResult } from './budgets.ts';
import type { LambdaBundleMeasurement } from './lambda-bundle.ts';
import type { RssMethod } from './measure-process.ts';
import type { CapacityRow, LatencyAssumption, ModelledSpeedup, ReportWait } from './scaling-model.ts';

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

/** How a budget's status is written. */
export const STATUS = { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP' } as const;

/** The console summary: one line per budget and per check, with its verdict. */
export const verdictLines = (results: Pick<BenchResults, 'budgets' | 'checks'>): string[] => [
  ...results.budgets.map((b) => `${STATUS[b.status]}  ${b.budget}: ${b.measured}`),
  ...results.checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  check: ${c.check}: ${c.detail}`),
];
