/**
 * The benchmark's command line (`npm run bench -- --accounts 5 ...`). Kept apart from the run so that the
 * validation can be unit-tested without starting moto.
 */
import { parseArgs } from 'node:util';

/** What one benchmark run measures. */
export interface BenchOptions {
  /** Member accounts of the seeded organisation. */
  readonly accounts: number;
  /** IAM users in each member account. */
  readonly usersPerAccount: number;
  /** Share of users whose keys the report flags (two active keys or an inactive key), 0 to 1. */
  readonly staleShare: number;
  /** Users of the single large account (IAM's per-account maximum is 5,000). */
  readonly bigAccountUsers: number;
  /** Leave out the large-account scenarios (their seeding dominates the run). */
  readonly skipBig: boolean;
  /** Where the machine-readable results go. */
  readonly out: string;
  /** The Markdown document whose generated sections are rewritten (made from docs/performance.md if new). */
  readonly markdown: string;
  /** Fresh node processes that import the Lambda bundle to time its module initialisation. */
  readonly initRuns: number;
  readonly help: boolean;
}

/** Defaults; `--help` prints them. */
export const DEFAULT_BENCH_OPTIONS: Omit<BenchOptions, 'help'> = {
  accounts: 20,
  usersPerAccount: 200,
  staleShare: 0.1,
  bigAccountUsers: 5000,
  skipBig: false,
  out: 'bench/results.json',
  markdown: 'docs/performance.md',
  initRuns: 10,
};

/** IAM's quota of users per account (cannot be raised). */
export const MAX_USERS_PER_ACCOUNT = 5000;

/** A bad benchmark option; the run prints it on one line and exits 1. */
export class BenchOptionError extends Error {
  override readonly name = 'BenchOptionError';
}

/** The `--help` text. */
export const BENCH_HELP = `Usage: npm run bench -- [options]

Seeds an organisation in moto_server, runs the key-audit CLI against it with both sources and a naive
sequential baseline, bundles the Lambda, checks the performance budgets and writes the results.

  --accounts N           member accounts (default ${DEFAULT_BENCH_OPTIONS.accounts})
  --users N              IAM users per member account (default ${DEFAULT_BENCH_OPTIONS.usersPerAccount})
  --stale-share X        share of users the report flags, 0..1 (default ${DEFAULT_BENCH_OPTIONS.staleShare})
  --big-account-users N  users of the one-account scenarios (default ${DEFAULT_BENCH_OPTIONS.bigAccountUsers})
  --skip-big             leave out the one-account scenarios
  --init-runs N          node processes that import the Lambda bundle (default ${DEFAULT_BENCH_OPTIONS.initRuns})
  --out FILE             results JSON (default ${DEFAULT_BENCH_OPTIONS.out})
  --markdown FILE        document whose generated sections are rewritten (default ${DEFAULT_BENCH_OPTIONS.markdown})
  --help                 show this help

Exit codes: 0 every budget passed; 2 a budget failed; 1 the benchmark itself failed.
`;

const integerIn = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max)
    throw new BenchOptionError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
};

/** Parses the benchmark's arguments. Throws `BenchOptionError` naming the bad option. */
export const parseBenchOptions = (argv: readonly string[]): BenchOptions => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        accounts: { type: 'string' },
        users: { type: 'string' },
        'stale-share': { type: 'string' },
        'big-account-users': { type: 'string' },
        'skip-big': { type: 'boolean' },
        'init-runs': { type: 'string' },
        out: { type: 'string' },
        markdown: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new BenchOptionError((error as Error).message, { cause: error });
  }
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const staleRaw = text('stale-share');
  const staleShare = staleRaw === undefined ? DEFAULT_BENCH_OPTIONS.staleShare : Number(staleRaw);
  if (staleRaw !== undefined && (staleRaw.trim() === '' || !(staleShare >= 0 && staleShare <= 1)))
    throw new BenchOptionError(`--stale-share must be a number from 0 to 1, got "${staleRaw}"`);
  const path = (name: string, fallback: string): string => {
    const value = text(name);
    if (value !== undefined && value.trim() === '') throw new BenchOptionError(`--${name} needs a file`);
    return value ?? fallback;
  };
  return {
    accounts: integerIn('accounts', text('accounts'), DEFAULT_BENCH_OPTIONS.accounts, 1, 1000),
    usersPerAccount: integerIn(
      'users',
      text('users'),
      DEFAULT_BENCH_OPTIONS.usersPerAccount,
      1,
      MAX_USERS_PER_ACCOUNT,
    ),
    staleShare,
    bigAccountUsers: integerIn(
      'big-account-users',
      text('big-account-users'),
      DEFAULT_BENCH_OPTIONS.bigAccountUsers,
      1,
      MAX_USERS_PER_ACCOUNT,
    ),
    skipBig: values['skip-big'] === true,
    initRuns: integerIn('init-runs', text('init-runs'), DEFAULT_BENCH_OPTIONS.initRuns, 1, 100),
    out: path('out', DEFAULT_BENCH_OPTIONS.out),
    markdown: path('markdown', DEFAULT_BENCH_OPTIONS.markdown),
    help: values.help === true,
  };
};
