import { describe, expect, it } from 'vitest';
import { checkAccountUnreachable } from '../../../lambda/domain/rules/account-unreachable.ts';
import { accountWithKeys, failedAccount } from '../factories.ts';

describe('checkAccountUnreachable', () => {
  it('raises nothing for a scanned account', () => {
    expect(checkAccountUnreachable(accountWithKeys([]))).toEqual([]);
  });

  it('raises a high account-level finding naming the error for a failed account', () => {
    const [hit, ...rest] = checkAccountUnreachable(failedAccount('444455556666', 'AccessDenied', 'no trust'));
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({
      id: 'account-unreachable:444455556666',
      rule: 'account-unreachable',
      severity: 'high',
      accountId: '444455556666',
      userName: null,
      accessKeyId: null,
      since: null,
      message:
        'Account 444455556666 could not be scanned (AccessDenied: no trust): its keys are unknown until the scan succeeds.',
    });
  });
});
