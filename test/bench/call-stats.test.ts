import { describe, expect, it } from 'vitest';
import { callerCalls, callsPerAccount, parseStats, StatsParseError } from '../../bench/call-stats.ts';
import { formatStats } from '../../bin/cli/stats.ts';
import type { CallStats } from '../../lambda/aws/client-factory.ts';

const STATS: CallStats[] = [
  { accountId: '-', operation: 'AssumeRole', calls: 2, attempts: 2 },
  { accountId: '-', operation: 'GetCallerIdentity', calls: 1, attempts: 1 },
  { accountId: '111111111111', operation: 'GenerateCredentialReport', calls: 2, attempts: 2 },
  { accountId: '111111111111', operation: 'ListAccessKeys', calls: 20, attempts: 23 },
  { accountId: '222222222222', operation: 'GetCredentialReport', calls: 1, attempts: 1 },
];

describe('parseStats', () => {
  it('reads back what the CLI printed, ignoring other stderr lines', () => {
    const stderr = `(node:1) Warning: something\n${formatStats(STATS)}`;
    const parsed = parseStats(stderr);
    expect(parsed.totalCalls).toBe(26);
    expect(parsed.totalRetries).toBe(3);
    expect(parsed.rows).toContainEqual({
      accountId: '111111111111',
      operation: 'ListAccessKeys',
      calls: 20,
      retries: 3,
    });
    expect(parsed.rows).toHaveLength(STATS.length);
  });

  it('reads an empty table (no calls) as zero', () => {
    expect(parseStats(formatStats([]))).toEqual({ rows: [], totalCalls: 0, totalRetries: 0 });
  });

  it.each([
    ['no table', 'key-audit: something failed\n', /no "account operation calls retries" table/],
    ['no total', 'account  operation  calls  retries\n-  AssumeRole  1  0\n', /no total line/],
    ['a bad count', 'account  operation  calls  retries\n-  AssumeRole  x  0\ntotal  1  0\n', /not a count/],
    [
      'totals that disagree',
      'account  operation  calls  retries\n-  AssumeRole  1  0\ntotal  2  0\n',
      /add up to 1/,
    ],
  ])('throws StatsParseError when stderr has %s', (_, stderr, message) => {
    expect(() => parseStats(stderr)).toThrow(StatsParseError);
    expect(() => parseStats(stderr)).toThrow(message);
  });
});

describe('callsPerAccount and callerCalls', () => {
  it('sums calls per member account and leaves caller-level calls out', () => {
    const parsed = parseStats(formatStats(STATS));
    expect(Object.fromEntries(callsPerAccount(parsed))).toEqual({ '111111111111': 22, '222222222222': 1 });
    expect(callerCalls(parsed, 'AssumeRole')).toBe(2);
    expect(callerCalls(parsed, 'ListAccounts')).toBe(0);
  });
});
