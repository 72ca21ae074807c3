import { describe, expect, it } from 'vitest';
import { createProgress, formatProgress, USER_PROGRESS_INTERVAL_MS } from '../../bin/cli/progress.ts';
import type { ScanProgress } from '../../lambda/scan/scan-accounts.ts';

const CLEAR_LINE = '\r\u001b[2K';

const progress = (overrides: Partial<ScanProgress> = {}): ScanProgress => ({
  event: 'users',
  accountsDone: 3,
  accountsTotal: 20,
  users: 1250,
  elapsedMs: 12_400,
  accountId: '111122223333',
  ...overrides,
});

class FakeStream {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
}

describe('formatProgress', () => {
  it.each([
    [progress(), 'key-audit: scanning 3/20 accounts, 1,250 users read · 12s'],
    [
      progress({ event: 'started', accountsDone: 0, accountsTotal: 1, users: 0, elapsedMs: 0 }),
      'key-audit: scanning 0/1 account, 0 users read · 0s',
    ],
    [
      progress({ accountsDone: 1, accountsTotal: 1, users: 1 }),
      'key-audit: scanning 1/1 account, 1 user read · 12s',
    ],
  ])('does word %j as %j', (p, line) => {
    expect(formatProgress(p)).toBe(line);
  });
});

describe('createProgress', () => {
  it('does redraw users read inside an account at most once per interval, and every finished account', () => {
    let clock = 0;
    const stream = new FakeStream(true);
    const { update, done } = createProgress(stream, false, () => clock);
    update(progress({ event: 'started', users: 0 }));
    update(progress({ users: 8 })); // same instant: skipped
    clock += USER_PROGRESS_INTERVAL_MS;
    update(progress({ users: 640 }));
    update(progress({ event: 'account', accountsDone: 4, users: 650 })); // an account: always drawn
    done();
    expect(stream.chunks).toEqual([
      `${CLEAR_LINE}key-audit: scanning 3/20 accounts, 0 users read · 12s`,
      `${CLEAR_LINE}key-audit: scanning 3/20 accounts, 640 users read · 12s`,
      `${CLEAR_LINE}key-audit: scanning 4/20 accounts, 650 users read · 12s`,
      CLEAR_LINE,
    ]);
  });

  it.each([
    ['stderr is not a terminal', false, false],
    ['--quiet is given', true, true],
  ])('does draw nothing when %s', (_label, tty, quiet) => {
    const stream = new FakeStream(tty);
    const { update, done } = createProgress(stream, quiet);
    update(progress());
    done();
    expect(stream.chunks).toEqual([]);
  });
});
