import { describe, expect, it } from 'vitest';
import { applyRule } from '../../../lambda/domain/evaluate.ts';
import type { KeyStatus } from '../../../lambda/domain/inventory.ts';
import { keyDueSoon } from '../../../lambda/domain/rules/key-due-soon.ts';
import { accessKey, accountWithKeys, ago, contextWith } from '../factories.ts';

describe('key-due-soon', () => {
  // Defaults: limit 90 days, warning 14 days before, so the window opens at 76 days.
  it.each([
    ['75 d 23 h (deadline more than 14 days away)', ago(75, 23)],
    ['90 d 1 h (too old: key-too-old instead)', ago(90, 1)],
    ['10 d', ago(10)],
  ])('raises nothing for an active key aged %s', (_label, createdAt) => {
    expect(applyRule(keyDueSoon, accountWithKeys([accessKey({ createdAt })]), contextWith())).toEqual([]);
  });

  it.each([
    ['exactly 76 d (deadline exactly 14 days away)', ago(76), '(due in 14 days)'],
    ['76 d 1 h', ago(76, 1), '(due in 13 days)'],
    ['89 d 23 h', ago(89, 23), '(due within a day)'],
    ['exactly 90 d (deadline now, not yet too old)', ago(90), '(due within a day)'],
  ])('warns for an active key aged %s, saying %s', (_label, createdAt, dueIn) => {
    const [hit, ...rest] = applyRule(keyDueSoon, accountWithKeys([accessKey({ createdAt })]), contextWith());
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ rule: 'key-due-soon', severity: 'low', overdueDays: null });
    expect(hit?.message).toContain(dueIn);
  });

  it.each<KeyStatus>(['inactive', 'unknown'])('ignores a %s key', (status) => {
    expect(
      applyRule(keyDueSoon, accountWithKeys([accessKey({ status, createdAt: ago(80) })]), contextWith()),
    ).toEqual([]);
  });

  it('leads with the deadline and dates since from the opening of the warning window', () => {
    const createdAt = new Date('2026-03-27T12:00:00.000Z'); // 80 days before AS_OF
    const [hit] = applyRule(
      keyDueSoon,
      accountWithKeys([accessKey({ accessKeyId: 'AKIAEXAMPLE', createdAt })]),
      contextWith(),
    );
    expect(hit).toMatchObject({
      id: 'key-due-soon:111122223333:AKIAEXAMPLE',
      ageDays: 80,
      since: new Date('2026-06-11T12:00:00.000Z'), // createdAt + 90 - 14 days
      message:
        'Rotate key AKIAEXAMPLE of alice by 2026-06-25 (due in 10 days): it is 80 days old (limit 90 days).',
    });
  });

  it('follows warnDays from the policy', () => {
    const account = accountWithKeys([accessKey({ createdAt: ago(80) })]);
    expect(applyRule(keyDueSoon, account, contextWith({ warnDays: 10 }))).toHaveLength(1);
    expect(applyRule(keyDueSoon, account, contextWith({ warnDays: 9 }))).toEqual([]);
  });
});
