import { describe, expect, it } from 'vitest';
import { applyRule } from '../../../lambda/domain/evaluate.ts';
import { accountUnreachable } from '../../../lambda/domain/rules/account-unreachable.ts';
import { accountWithKeys, contextWith, failedAccount } from '../factories.ts';

describe('account-unreachable', () => {
  it('raises nothing for a scanned account', () => {
    expect(applyRule(accountUnreachable, accountWithKeys([]), contextWith())).toEqual([]);
  });

  it('raises a high account-level finding naming the error for a failed account', () => {
    const [hit, ...rest] = applyRule(
      accountUnreachable,
      failedAccount('444455556666', 'AccessDenied', 'no trust'),
      contextWith(),
    );
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
