import { describe, expect, it } from 'vitest';
import {
  type AccountWorkload,
  accountsPerLambda,
  LATENCY_ASSUMPTIONS,
  type LatencyAssumption,
  measuredCapacity,
  modelCapacity,
  modelNaiveSeconds,
  modelOnceSeconds,
  modelScanSeconds,
  modelSecondsPerAccount,
  modelSpeedups,
  reportPollWaitMs,
  roundTrips,
  USABLE_SECONDS,
} from '../../bench/scaling-model.ts';

const assumption: LatencyAssumption = {
  name: 'test',
  iamCallMs: 100,
  assumeRoleMs: 300,
  reportReadySmallMs: 1_000,
  reportReadyLargeMs: 5_000,
  iamRequestsPerSecond: null,
};

const report200: AccountWorkload = { source: 'report', users: 200, flaggedUsers: 20, iamCalls: 75 };

describe('reportPollWaitMs', () => {
  it.each([
    [0, 0],
    [1, 2_000],
    [2_000, 2_000],
    [2_001, 6_000],
    [5_000, 6_000],
    [14_000, 14_000],
    [20_000, 29_000],
    [30_000, 44_000],
  ])(
    'waits for a report ready after %i ms until the poll at %i ms (2 s, doubling, 15 s cap)',
    (ready, wait) => {
      expect(reportPollWaitMs(ready)).toBe(wait);
    },
  );
});

describe('roundTrips', () => {
  it.each([
    [{ ...report200, flaggedUsers: 0 }, 4],
    [report200, 4 + 3 * 3],
    [{ ...report200, flaggedUsers: 8 }, 4 + 3],
    [{ ...report200, flaggedUsers: 9 }, 4 + 2 * 3],
  ])('counts 4 report calls and 3 per batch of 8 flagged users for %j', (workload, trips) => {
    expect(roundTrips(workload)).toBe(trips);
  });

  it('counts ListUsers pages of 100, GetAccountSummary and 3 per batch of 8 users for the API source', () => {
    expect(roundTrips({ source: 'api', users: 200, flaggedUsers: 20, iamCalls: 620 })).toBe(2 + 1 + 25 * 3);
    expect(roundTrips({ source: 'api', users: 0, flaggedUsers: 0, iamCalls: 2 })).toBe(1 + 1);
  });
});

describe('modelSecondsPerAccount', () => {
  it('adds AssumeRole, the report wait and the round trips when IAM does not throttle', () => {
    // 300 ms + 2,000 ms (ready after 1 s, seen at the 2 s poll) + 13 x 100 ms.
    expect(modelSecondsPerAccount(report200, assumption)).toBeCloseTo(3.6, 9);
  });

  it('uses the large-account report time above 1,000 users', () => {
    const big: AccountWorkload = { source: 'report', users: 5000, flaggedUsers: 500, iamCalls: 1800 };
    // 300 + 6,000 + (4 + 63 x 3) x 100 ms.
    expect(modelSecondsPerAccount(big, assumption)).toBeCloseTo(25.6, 9);
  });

  it('takes the throttled time when the calls at the sustained rate take longer', () => {
    const throttled = { ...assumption, iamRequestsPerSecond: 10 };
    expect(modelSecondsPerAccount({ ...report200, iamCalls: 75 }, throttled)).toBeCloseTo(7.5, 9);
    expect(modelSecondsPerAccount({ ...report200, iamCalls: 10 }, throttled)).toBeCloseTo(3.6, 9);
  });

  it('does not wait for a report in the API source', () => {
    const api: AccountWorkload = { source: 'api', users: 8, flaggedUsers: 1, iamCalls: 26 };
    expect(modelSecondsPerAccount(api, assumption)).toBeCloseTo(0.3 + 5 * 0.1, 9);
  });

  it('leaves the report wait out of the slot when reports are started ahead', () => {
    // 300 ms + 13 x 100 ms.
    expect(modelSecondsPerAccount(report200, assumption, 'ahead')).toBeCloseTo(1.6, 9);
  });
});

describe('modelOnceSeconds', () => {
  it('charges the first wave one report wait when reports start ahead, and nothing otherwise', () => {
    expect(modelOnceSeconds(report200, assumption, 'ahead')).toBe(2);
    expect(modelOnceSeconds(report200, assumption, 'in-slot')).toBe(0);
    expect(modelOnceSeconds({ ...report200, source: 'api' }, assumption, 'ahead')).toBe(0);
  });
});

describe('accountsPerLambda', () => {
  it('fits the usable 810 seconds times the accounts in flight', () => {
    expect(USABLE_SECONDS).toBe(810);
    expect(accountsPerLambda(3.6)).toBe(900);
    expect(accountsPerLambda(3.6, 1)).toBe(225);
  });

  it('takes seconds spent once off the usable time, never going below zero', () => {
    // (810 - 2) x 4 / 1.6.
    expect(accountsPerLambda(1.6, 4, 2)).toBe(2020);
    expect(accountsPerLambda(1.6, 4, 900)).toBe(0);
  });
});

describe('measuredCapacity', () => {
  it('derives one account alone from a concurrent scan of many', () => {
    // 20 accounts, 4 in flight, 30 s: each took about 6 s alone, 540 fit in 810 s x 4.
    const row = measuredCapacity('report', 200, 20, 30);
    expect(row.secondsPerAccount).toBeCloseTo(6, 9);
    expect(row.accountsPerLambda).toBe(540);
    expect(row.usersPerLambda).toBe(540 * 200);
  });

  it('takes a single account scan as one account alone', () => {
    expect(measuredCapacity('report', 5000, 1, 20).secondsPerAccount).toBe(20);
  });
});

describe('modelCapacity', () => {
  it('gives one row per workload and assumption', () => {
    const rows = modelCapacity([report200, { ...report200, source: 'api', iamCalls: 620 }], 'in-slot');
    expect(rows).toHaveLength(2 * LATENCY_ASSUMPTIONS.length);
    expect(rows[0]).toMatchObject({ source: 'report', usersPerAccount: 200 });
    for (const row of rows) expect(row.usersPerLambda).toBe(row.accountsPerLambda * row.usersPerAccount);
  });
});

describe('modelScanSeconds and modelNaiveSeconds', () => {
  it('runs alike accounts in whole waves of the account concurrency', () => {
    // 20 accounts, 4 at a time: 5 waves of 3.6 s.
    expect(modelScanSeconds(report200, 20, assumption, 'in-slot')).toBeCloseTo(18, 9);
    expect(modelScanSeconds(report200, 21, assumption, 'in-slot')).toBeCloseTo(21.6, 9);
  });

  it('adds one report wait to waves without it when reports start ahead', () => {
    // 2 s + 5 waves of 1.6 s.
    expect(modelScanSeconds(report200, 20, assumption, 'ahead')).toBeCloseTo(10, 9);
  });

  it('makes every naive call a round trip, one account after another', () => {
    // 2 accounts x (300 ms + 600 x 100 ms).
    expect(modelNaiveSeconds(600, 2, assumption)).toBeCloseTo(120.6, 9);
  });

  it('takes the throttled pace when IAM allows fewer calls per second than round trips give', () => {
    const throttled = { ...assumption, iamCallMs: 50, iamRequestsPerSecond: 10 };
    expect(modelNaiveSeconds(600, 1, throttled)).toBeCloseTo(60, 9);
  });

  it('compares both for each assumption', () => {
    const [speedup] = modelSpeedups(report200, 600, 20, 'in-slot', [assumption]);
    expect(speedup?.factor).toBeCloseTo(modelNaiveSeconds(600, 20, assumption) / 18, 9);
  });
});
