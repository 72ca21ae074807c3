import { describe, expect, it } from 'vitest';
import {
  BUNDLE_LIMIT_BYTES,
  checkBundleSize,
  checkPeakRss,
  checkReportCalls,
  checkSpeedup,
  exitCodeFor,
  MB,
  RSS_LIMIT_BYTES,
  reportCallLimit,
} from '../../bench/budgets.ts';

describe('reportCallLimit', () => {
  it.each([
    [0, 4],
    [1, 8],
    [20, 84],
    [500, 2004],
  ])('allows 4 + 4 x %i flagged users = %i calls', (flagged, limit) => {
    expect(reportCallLimit(flagged)).toBe(limit);
  });
});

describe('checkReportCalls', () => {
  const account = (calls: number, flaggedUsers = 20, accountId = '111111111111') => ({
    accountId,
    calls,
    flaggedUsers,
  });

  it.each([
    [84, 'pass'],
    [85, 'fail'],
  ])('judges an account with 20 flagged users and %i calls: %s', (calls, status) => {
    expect(checkReportCalls([account(calls)], 1).status).toBe(status);
  });

  it('fails when there are more AssumeRole calls than accounts', () => {
    const result = checkReportCalls([account(10), account(10, 20, '222222222222')], 3);
    expect(result.status).toBe('fail');
    expect(result.measured).toContain('3 AssumeRole for 2 accounts');
  });

  it('names the account closest to (or furthest over) its limit', () => {
    const result = checkReportCalls([account(80, 20, '111111111111'), account(8, 1, '222222222222')], 2);
    // 8 / 8 beats 80 / 84.
    expect(result.measured).toMatch(/^worst account 222222222222: 8 calls for 1 flagged users \(limit 8\)/);
  });

  it('fails when no account was scanned', () => {
    expect(checkReportCalls([], 0).status).toBe('fail');
  });
});

describe('checkSpeedup', () => {
  it.each([
    [10_000, 50_000, 'pass'],
    [10_000, 49_999, 'fail'],
  ])('judges report %i ms against naive %i ms: %s', (report, naive, status) => {
    expect(checkSpeedup(report, naive, 'ctx').status).toBe(status);
  });

  it('says the factor and both times', () => {
    expect(checkSpeedup(4_000, 30_000, '20 accounts').measured).toBe('7.50x (naive 30.0 s, report 4.0 s)');
  });
});

describe('checkPeakRss', () => {
  it.each([
    [RSS_LIMIT_BYTES - 1, 'pass'],
    [RSS_LIMIT_BYTES, 'fail'],
    [null, 'fail'],
    [undefined, 'skipped'],
  ])('judges a peak of %s bytes: %s', (bytes, status) => {
    expect(checkPeakRss('id', 'what', bytes).status).toBe(status);
  });

  it('counts megabytes in decimal', () => {
    expect(RSS_LIMIT_BYTES).toBe(256_000_000);
    expect(checkPeakRss('id', 'what', 150 * MB).measured).toBe('150.0 MB');
  });
});

describe('checkBundleSize', () => {
  it.each([
    [BUNDLE_LIMIT_BYTES - 1, 'pass'],
    [BUNDLE_LIMIT_BYTES, 'fail'],
  ])('judges a %i-byte bundle: %s', (bytes, status) => {
    expect(checkBundleSize(bytes).status).toBe(status);
  });
});

describe('exitCodeFor', () => {
  it('returns 2 when a budget failed and 0 when every budget passed or was skipped', () => {
    const pass = { id: 'a', budget: 'a', status: 'pass' as const, measured: '' };
    const skipped = { ...pass, status: 'skipped' as const };
    expect(exitCodeFor([pass, skipped])).toBe(0);
    expect(exitCodeFor([pass, { ...pass, status: 'fail' }])).toBe(2);
  });
});
