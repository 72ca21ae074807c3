import { describe, expect, it } from 'vitest';
import { applyRule } from '../../../lambda/domain/evaluate.ts';
import { accountUnreachable } from '../../../lambda/domain/rules/account-unreachable.ts';
import { UNREACHABLE_REMEDIATION } from '../../../lambda/domain/unreachable-cause.ts';
import { accountWithKeys, contextWith, failedAccount } from '../factories.ts';

describe('account-unreachable', () => {
  it('raises nothing for a scanned account', () => {
    expect(applyRule(accountUnreachable, accountWithKeys([]), contextWith())).toEqual([]);
  });

  it('raises a high account-level finding naming the cause and the error for a failed account', () => {
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
        'Account 444455556666 could not be scanned (access denied; AccessDenied: no trust): its keys are ' +
        'unknown until the scan succeeds.',
      remediation: UNREACHABLE_REMEDIATION['access-denied'],
    });
  });

  it.each([
    ['a denied AssumeRole', 'AccessDenied', 'assume-role', 'role'],
    ['a denied IAM read', 'AccessDenied', 'read', 'access-denied'],
    ['a credential report timeout', 'ReportTimeout', 'read', 'report-timeout'],
    ['throttling', 'Throttling', 'read', 'throttling'],
    ['the run deadline', 'Deadline', 'read', 'deadline'],
    ['a network error', 'ECONNRESET', 'read', 'other'],
  ] as const)('words the next step for %s', (_label, code, step, cause) => {
    const [hit] = applyRule(
      accountUnreachable,
      { ...failedAccount('444455556666', code, 'it failed'), step },
      contextWith(),
    );
    expect(hit?.remediation).toBe(UNREACHABLE_REMEDIATION[cause]);
  });

  it('leaves the cause out of the message when only the error can say it', () => {
    const [hit] = applyRule(
      accountUnreachable,
      failedAccount('444455556666', 'ECONNRESET', 'reset'),
      contextWith(),
    );
    expect(hit?.message).toBe(
      'Account 444455556666 could not be scanned (ECONNRESET: reset): its keys are unknown until the scan succeeds.',
    );
  });
});
