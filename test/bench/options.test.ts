import { describe, expect, it } from 'vitest';
import { BenchOptionError, DEFAULT_BENCH_OPTIONS, parseBenchOptions } from '../../bench/options.ts';

describe('parseBenchOptions', () => {
  it('returns the documented defaults when no option is given', () => {
    expect(parseBenchOptions([])).toEqual({ ...DEFAULT_BENCH_OPTIONS, help: false });
    expect(DEFAULT_BENCH_OPTIONS).toMatchObject({
      accounts: 20,
      usersPerAccount: 200,
      staleShare: 0.1,
      bigAccountUsers: 5000,
      skipBig: false,
    });
  });

  it('reads every option when all are given', () => {
    const options = parseBenchOptions([
      '--accounts',
      '5',
      '--users',
      '50',
      '--stale-share',
      '0.25',
      '--big-account-users',
      '1000',
      '--skip-big',
      '--init-runs',
      '3',
      '--out',
      '/tmp/r.json',
      '--markdown',
      '/tmp/p.md',
    ]);
    expect(options).toEqual({
      accounts: 5,
      usersPerAccount: 50,
      staleShare: 0.25,
      bigAccountUsers: 1000,
      skipBig: true,
      initRuns: 3,
      out: '/tmp/r.json',
      markdown: '/tmp/p.md',
      help: false,
    });
  });

  it.each([
    [['--users', '5000'], 'usersPerAccount', 5000],
    [['--big-account-users', '1'], 'bigAccountUsers', 1],
    [['--stale-share', '0'], 'staleShare', 0],
    [['--stale-share', '1'], 'staleShare', 1],
  ])('accepts the boundary value %j', (argv, key, value) => {
    expect(parseBenchOptions(argv)).toMatchObject({ [key]: value });
  });

  it.each([
    [['--users', '5001'], /--users must be an integer from 1 to 5000/],
    [['--accounts', '0'], /--accounts must be an integer from 1/],
    [['--accounts', '2.5'], /--accounts must be an integer/],
    [['--accounts', 'many'], /--accounts must be an integer/],
    [['--stale-share', '1.5'], /--stale-share must be a number from 0 to 1/],
    [['--stale-share', ''], /--stale-share must be a number from 0 to 1/],
    [['--out', ' '], /--out needs a file/],
    [['--unknown'], /Unknown option '--unknown'/],
  ])('throws BenchOptionError naming the option when given %j', (argv, message) => {
    expect(() => parseBenchOptions(argv)).toThrow(BenchOptionError);
    expect(() => parseBenchOptions(argv)).toThrow(message);
  });
});
