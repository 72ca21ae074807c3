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
      { accountsDone: 0, accountsTotal: 3, users: 0, elapsedMs: 500 },
      { accountsDone: 1, accountsTotal: 3, users: 3, elapsedMs: 1_000, accountId: '111111111111' },
      { accountsDone: 2, accountsTotal: 3, users: 3, elapsedMs: 1_500, accountId: '222222222222' },
    ]);
  });
});
