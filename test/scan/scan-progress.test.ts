import { describe, expect, it } from 'vitest';
import type { AccountScan } from '../../lambda/domain/inventory.ts';
import { ProgressCounter, type ScanProgress } from '../../lambda/scan/scan-progress.ts';

const scannedWith = (accountId: string, users: number): AccountScan => ({
  accountId,
  status: 'scanned',
  source: 'api',
  users: Array.from({ length: users }, (_, i) => ({
    userName: `u${i}`,
    arn: `arn:aws:iam::${accountId}:user/u${i}`,
    path: '/',
    tags: {},
    accessKeys: [],
  })),
  root: null,
});
const failed = (accountId: string): AccountScan => ({
  accountId,
  status: 'failed',
  errorCode: 'AccessDenied',
  errorMessage: 'denied',
});

describe('ProgressCounter', () => {
  it('does report the start, then each account with the users of scanned accounts only', () => {
    const seen: ScanProgress[] = [];
    let clock = 1_000;
    const counter = new ProgressCounter({
      accountsTotal: 3,
      now: () => clock,
      startedAt: 500,
      onProgress: (p) => seen.push(p),
    });
    counter.started();
    clock = 1_500;
    counter.finished(scannedWith('111111111111', 3));
    clock = 2_000;
    counter.finished(failed('222222222222'));
    expect(seen).toEqual([
      { event: 'started', accountsDone: 0, accountsTotal: 3, users: 0, elapsedMs: 500 },
      {
        event: 'account',
        accountsDone: 1,
        accountsTotal: 3,
        users: 3,
        elapsedMs: 1_000,
        accountId: '111111111111',
      },
      {
        event: 'account',
        accountsDone: 2,
        accountsTotal: 3,
        users: 3,
        elapsedMs: 1_500,
        accountId: '222222222222',
      },
    ]);
  });

  it('does count users read in running accounts, then each account as its inventory holds it', () => {
    const seen: number[] = [];
    const counter = new ProgressCounter({
      accountsTotal: 3,
      now: () => 0,
      startedAt: 0,
      onProgress: (p) => seen.push(p.users),
    });
    counter.usersRead('111111111111', 1_000); // a credential report's unflagged users, at once
    counter.usersRead('222222222222', 1);
    counter.usersRead('111111111111', 1);
    // One of 111111111111's users was deleted mid-scan: its inventory holds 1,000.
    counter.finished(scannedWith('111111111111', 1_000));
    // 222222222222 failed after reading a user: the report holds none of its users.
    counter.finished(failed('222222222222'));
    expect(seen).toEqual([1_000, 1_001, 1_002, 1_001, 1_000]);
  });
});
