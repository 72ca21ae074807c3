import { describe, expect, it } from 'vitest';
import { applyRule } from '../../../lambda/domain/evaluate.ts';
import { rootAccessKey } from '../../../lambda/domain/rules/root-access-key.ts';
import { accessKey, ago, contextWith, failedAccount, rootUser, scannedAccount } from '../factories.ts';

describe('root-access-key', () => {
  it.each([
    ['the source says nothing of the root user', scannedAccount([], { root: null })],
    ['the root user has no key', scannedAccount([], { root: rootUser() })],
    [
      'the root user has only an inactive key',
      scannedAccount([], { root: rootUser([accessKey({ status: 'inactive', slot: 1 })]) }),
    ],
    ['the account failed', failedAccount()],
  ])('raises nothing when %s', (_label, account) => {
    expect(applyRule(rootAccessKey, account, contextWith())).toEqual([]);
  });

  it('raises a critical account-level finding when only the presence of a key is known (IAM API)', () => {
    const [hit, ...rest] = applyRule(
      rootAccessKey,
      scannedAccount([], { root: rootUser([], true) }),
      contextWith(),
    );
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({
      id: 'root-access-key:111122223333',
      rule: 'root-access-key',
      severity: 'critical',
      userName: '<root_account>',
      accessKeyId: null,
      ageDays: null,
      since: null,
      message:
        'The root user of account 111122223333 has an active access key: move its work to an IAM role and delete it now.',
    });
  });

  it('describes the most recently used active root key when the credential report lists them', () => {
    const keys = [
      accessKey({ accessKeyId: null, slot: 1, createdAt: ago(400), lastUsedAt: ago(30) }),
      accessKey({
        accessKeyId: null,
        slot: 2,
        createdAt: ago(200),
        lastUsedAt: ago(2),
        lastUsedRegion: null,
      }),
    ];
    const [hit, ...rest] = applyRule(
      rootAccessKey,
      scannedAccount([], { root: rootUser(keys) }),
      contextWith(),
    );
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ id: 'root-access-key:111122223333', keySlot: 2, ageDays: 200 });
    expect(hit?.message).toBe(
      'The root user of account 111122223333 has 2 active access keys (key slot 2, 200 days old, last used 2026-06-13 via s3): ' +
        'move its work to an IAM role and delete it now.',
    );
  });

  it('says the root key was never used when it has no last use', () => {
    const keys = [accessKey({ accessKeyId: null, slot: 1, createdAt: ago(30), lastUsedAt: null })];
    const [hit] = applyRule(rootAccessKey, scannedAccount([], { root: rootUser(keys) }), contextWith());
    expect(hit?.message).toBe(
      'The root user of account 111122223333 has an active access key (key slot 1, 30 days old, never used): ' +
        'move its work to an IAM role and delete it now.',
    );
  });
});
