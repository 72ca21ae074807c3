import { describe, expect, it } from 'vitest';
import {
  checkCoverage,
  checkFlaggedUsers,
  checkNaiveCoverage,
  checkSameFindings,
  plural,
} from '../../bench/scan-checks.ts';
import type { JsonReport } from '../../lambda/present/render/json.ts';

const ACCOUNTS = [
  { accountId: '111111111111', users: 10, flaggedUsers: 1 },
  { accountId: '222222222222', users: 10, flaggedUsers: 2 },
];

/** A report with findings for (account, user, finding id) triples; only the fields the checks read. */
const report = (
  findings: readonly [string, string | null, string][],
  summary: Partial<JsonReport['summary']> = {},
): JsonReport =>
  ({
    findings: findings.map(([accountId, userName, id]) => ({ accountId, userName, id })),
    summary: { accounts: 2, failedAccounts: 0, users: 20, ...summary },
  }) as unknown as JsonReport;

const EXACT: [string, string | null, string][] = [
  ['111111111111', 'user-a', 'f1'],
  ['222222222222', 'user-b', 'f2'],
  ['222222222222', 'user-b', 'f3'],
  ['222222222222', 'user-c', 'f4'],
];

describe('checkCoverage', () => {
  it('passes when every account and user was read and none failed', () => {
    expect(checkCoverage('org-report', report([]), ACCOUNTS)).toMatchObject({
      ok: true,
      detail: '2 accounts (0 failed), 20 of 20 users',
    });
  });

  it.each([[{ failedAccounts: 1 }], [{ accounts: 1 }], [{ users: 19 }]])(
    'fails when the summary says %j',
    (summary) => {
      expect(checkCoverage('org-report', report([], summary), ACCOUNTS).ok).toBe(false);
    },
  );
});

describe('checkFlaggedUsers', () => {
  it('counts users with findings per account, not findings', () => {
    expect(checkFlaggedUsers('org-api', report(EXACT), ACCOUNTS)).toMatchObject({
      ok: true,
      detail: '3 users with findings in 2 accounts',
    });
  });

  it('ignores account-level findings without a user', () => {
    const withRoot: [string, string | null, string][] = [...EXACT, ['111111111111', null, 'f5']];
    expect(checkFlaggedUsers('org-api', report(withRoot), ACCOUNTS).ok).toBe(true);
  });

  it('names an account whose users with findings differ from the flagged users', () => {
    const missing = EXACT.filter(([, user]) => user !== 'user-c');
    expect(checkFlaggedUsers('org-api', report(missing), ACCOUNTS)).toMatchObject({
      ok: false,
      detail: '1 of 2 accounts differ, e.g. 222222222222: 1 users with findings, 2 flagged',
    });
  });
});

describe('checkSameFindings', () => {
  it('passes when both reports hold the same finding ids in any order', () => {
    const reversed = report([...EXACT].reverse());
    expect(
      checkSameFindings('org', { id: 'a', report: report(EXACT) }, { id: 'b', report: reversed }),
    ).toMatchObject({
      ok: true,
      detail: '4 (a) vs 4 (b)',
    });
  });

  it('fails when one report has a different finding', () => {
    const other = report([...EXACT.slice(1), ['111111111111', 'user-a', 'f9']]);
    expect(checkSameFindings('org', { id: 'a', report: report(EXACT) }, { id: 'b', report: other }).ok).toBe(
      false,
    );
  });
});

describe('checkNaiveCoverage', () => {
  it.each([
    [20, true],
    [19, false],
  ])('judges %i ListUserTags calls for 20 users: %s', (calls, ok) => {
    expect(checkNaiveCoverage('org-naive', { ListUserTags: calls }, ACCOUNTS).ok).toBe(ok);
  });

  it('fails when the baseline made no ListUserTags call at all', () => {
    expect(checkNaiveCoverage('org-naive', {}, ACCOUNTS).ok).toBe(false);
  });
});

describe('plural', () => {
  it.each([
    [0, '0 accounts'],
    [1, '1 account'],
    [2, '2 accounts'],
  ])('writes %i as %s', (count, text) => {
    expect(plural(count, 'account')).toBe(text);
  });
});
