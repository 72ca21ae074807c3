import { describe, expect, it } from 'vitest';
import { applyRule } from '../../../lambda/domain/evaluate.ts';
import type { KeyStatus } from '../../../lambda/domain/inventory.ts';
import { keyUnused } from '../../../lambda/domain/rules/key-unused.ts';
import { accessKey, accountWithKeys, ago, contextWith } from '../factories.ts';

describe('key-unused', () => {
  it.each([
    ['never used, created 44 d 23 h ago', ago(44, 23), null],
    ['never used, created exactly 45 d ago', ago(45), null],
    ['created long ago, last used 44 d 23 h ago', ago(300), ago(44, 23)],
    ['created long ago, last used exactly 45 d ago', ago(300), ago(45)],
    ['used today', ago(100), ago(0, 1)],
  ])('raises nothing for an active key %s', (_label, createdAt, lastUsedAt) => {
    expect(
      applyRule(keyUnused, accountWithKeys([accessKey({ createdAt, lastUsedAt })]), contextWith()),
    ).toEqual([]);
  });

  it.each([
    ['never used, created 45 d 1 h ago', ago(45, 1), null, ago(0, 1)],
    ['last used 45 d 1 h ago', ago(300), ago(45, 1), ago(0, 1)],
    ['last used 100 d ago', ago(300), ago(100), ago(55)],
  ])(
    'raises an active key %s, since (last use or creation) + 45 d',
    (_label, createdAt, lastUsedAt, since) => {
      const [hit, ...rest] = applyRule(
        keyUnused,
        accountWithKeys([accessKey({ createdAt, lastUsedAt })]),
        contextWith(),
      );
      expect(rest).toEqual([]);
      expect(hit).toMatchObject({ rule: 'key-unused', severity: 'medium', since, lastUsedAt });
    },
  );

  it.each<KeyStatus>(['inactive', 'unknown'])('ignores a %s key never used', (status) => {
    const key = accessKey({ status, createdAt: ago(300), lastUsedAt: null });
    expect(applyRule(keyUnused, accountWithKeys([key]), contextWith())).toEqual([]);
  });

  it.each([
    [
      'a never-used key by its age',
      null,
      'Key AKIAEXAMPLE of alice has never been used in the 60 days since it was created (limit 45 days): deactivate it unless something still needs it.',
    ],
    [
      'a used key by its last use, service and region',
      ago(50),
      'Key AKIAEXAMPLE of alice has not been used for 50 days, last used 2026-04-26 via s3 in eu-west-1 (limit 45 days): deactivate it unless something still needs it.',
    ],
  ])('describes %s', (_label, lastUsedAt, message) => {
    const key = accessKey({ accessKeyId: 'AKIAEXAMPLE', createdAt: ago(60), lastUsedAt });
    expect(applyRule(keyUnused, accountWithKeys([key]), contextWith())[0]?.message).toBe(message);
  });
});
