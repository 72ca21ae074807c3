import { describe, expect, it } from 'vitest';
import { applyRule } from '../../../lambda/domain/evaluate.ts';
import type { KeyStatus } from '../../../lambda/domain/inventory.ts';
import { checkKeyTooOld, keyTooOld } from '../../../lambda/domain/rules/key-too-old.ts';
import { accessKey, accountWithKeys, ago, contextWith, failedAccount } from '../factories.ts';

describe('key-too-old', () => {
  it.each([
    ['89 d 23 h', ago(89, 23)],
    ['exactly 90 d 0 h (not more than 90 x 24 h)', ago(90)],
    ['created now', ago(0)],
  ])('raises nothing for an active key aged %s', (_label, createdAt) => {
    expect(applyRule(keyTooOld, accountWithKeys([accessKey({ createdAt })]), contextWith())).toEqual([]);
  });

  it.each([
    ['90 d 1 h', ago(90, 1), 'high', 0],
    ['134 d', ago(134), 'high', 44],
    ['exactly 180 d (not beyond 2 x the limit)', ago(180), 'high', 90],
    ['180 d 1 h', ago(180, 1), 'critical', 90],
    ['400 d', ago(400), 'critical', 310],
  ] as const)(
    'raises %s old keys (created %s) as %s with overdueDays %i',
    (_label, createdAt, severity, overdueDays) => {
      const [hit, ...rest] = applyRule(keyTooOld, accountWithKeys([accessKey({ createdAt })]), contextWith());
      expect(rest).toEqual([]);
      expect(hit).toMatchObject({ rule: 'key-too-old', severity, overdueDays });
    },
  );

  it.each([
    ['134 d', ago(134), undefined],
    ['400 d', ago(400), 'critical'],
  ] as const)(
    'decides a severity of its own for %s old keys only beyond the critical age',
    (_l, createdAt, own) => {
      const [hit] = checkKeyTooOld(accountWithKeys([accessKey({ createdAt })]), contextWith());
      expect(hit?.severity).toBe(own);
      expect(hit?.remediation).toBeUndefined();
    },
  );

  it.each<KeyStatus>(['inactive', 'unknown'])('ignores a %s key however old', (status) => {
    expect(
      applyRule(keyTooOld, accountWithKeys([accessKey({ status, createdAt: ago(500) })]), contextWith()),
    ).toEqual([]);
  });

  it('raises nothing for a failed account', () => {
    expect(applyRule(keyTooOld, failedAccount(), contextWith())).toEqual([]);
  });

  it('follows maxKeyAgeDays and criticalAgeMultiplier from the policy', () => {
    const account = accountWithKeys([accessKey({ createdAt: ago(31) })]);
    expect(applyRule(keyTooOld, account, contextWith({ maxKeyAgeDays: 30 }))[0]?.severity).toBe('high');
    expect(
      applyRule(keyTooOld, account, contextWith({ maxKeyAgeDays: 30, criticalAgeMultiplier: 1 }))[0]
        ?.severity,
    ).toBe('critical');
    expect(applyRule(keyTooOld, account, contextWith({ maxKeyAgeDays: 31 }))).toEqual([]);
  });

  it('says since the deadline, the age and the overdue days in one sentence', () => {
    const createdAt = new Date('2026-02-01T12:00:00.000Z'); // 134 days before AS_OF (2026-06-15T12:00Z)
    const [hit] = applyRule(
      keyTooOld,
      accountWithKeys([accessKey({ accessKeyId: 'AKIAEXAMPLE', createdAt })]),
      contextWith(),
    );
    expect(hit).toMatchObject({
      id: 'key-too-old:111122223333:AKIAEXAMPLE',
      userName: 'alice',
      userArn: 'arn:aws:iam::111122223333:user/alice',
      accessKeyId: 'AKIAEXAMPLE',
      ageDays: 134,
      since: new Date('2026-05-02T12:00:00.000Z'), // createdAt + 90 d
      message:
        'Key AKIAEXAMPLE of alice is 134 days old: overdue by 44 days since 2026-05-02 (limit 90 days).',
    });
  });

  it('names a key without id by user and slot in the id and the message', () => {
    const [hit] = applyRule(
      keyTooOld,
      accountWithKeys([accessKey({ accessKeyId: null, slot: 2, createdAt: ago(90, 1) })]),
      contextWith(),
    );
    expect(hit?.id).toBe('key-too-old:111122223333:alice#2');
    expect(hit?.keySlot).toBe(2);
    expect(hit?.message).toBe(
      'Key slot 2 of alice is 90 days old: overdue by less than a day since 2026-06-15 (limit 90 days).',
    );
  });
});
