import { describe, expect, it } from 'vitest';
import { reportFromInventory } from '../../lambda/app/report-from-inventory.ts';
import { evaluate } from '../../lambda/domain/evaluate.ts';
import { UNREACHABLE_REMEDIATION } from '../../lambda/domain/unreachable-cause.ts';
import {
  AS_OF,
  accessKey,
  ago,
  iamUser,
  inventoryOf,
  policyWith,
  scannedAccount,
} from '../domain/factories.ts';

const LEFT_OUT = '444455556666';
const inventory = inventoryOf(scannedAccount([iamUser('alice', [accessKey({ createdAt: ago(134) })])]));
const options = { asOf: AS_OF, policy: policyWith() };

describe('reportFromInventory', () => {
  it('does evaluate the inventory as it is when the scan did not stop early', () => {
    expect(reportFromInventory(inventory, options, { stopReason: null, accountsNotScanned: [] })).toEqual(
      evaluate(inventory, options),
    );
  });

  it.each([
    ['deadline', "Deadline: not reached before the run's time limit", 'the run reached its time limit'],
    [
      'aborted',
      'Deadline: the run was stopped (at its time limit) before this account was read',
      'was stopped',
    ],
  ] as const)(
    'does report accounts a %s left out as unreachable, cause deadline, and the report incomplete',
    (stopReason, error, reason) => {
      const report = reportFromInventory(inventory, options, { stopReason, accountsNotScanned: [LEFT_OUT] });
      expect(report.accounts.at(-1)).toEqual({
        accountId: LEFT_OUT,
        status: 'failed',
        error,
        cause: 'deadline',
      });
      const unreachable = report.findings.find((f) => f.rule === 'account-unreachable');
      expect(unreachable).toMatchObject({ accountId: LEFT_OUT, severity: 'high', exempt: false });
      expect(unreachable?.remediation).toBe(UNREACHABLE_REMEDIATION.deadline);
      expect(report.summary).toMatchObject({ accounts: 2, failedAccounts: 1 });
      expect(report.incomplete).toEqual({
        reason: expect.stringContaining(reason),
        accountsNotScanned: [LEFT_OUT],
      });
    },
  );

  it('does mark the findings of production accounts, the accounts left out too', () => {
    const report = reportFromInventory(
      inventory,
      { ...options, isProduction: (accountId) => accountId === LEFT_OUT },
      { stopReason: 'deadline', accountsNotScanned: [LEFT_OUT] },
    );
    expect(report.findings.map((f) => [f.accountId, f.production])).toEqual([
      ['111122223333', false],
      [LEFT_OUT, true],
    ]);
  });
});
