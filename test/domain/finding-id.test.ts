import { describe, expect, it } from 'vitest';
import { findingId, keySubject } from '../../lambda/domain/finding-id.ts';

describe('findingId', () => {
  it.each([
    ['key-too-old', '111122223333', 'AKIAEXAMPLE', 'key-too-old:111122223333:AKIAEXAMPLE'],
    ['invalid-exemption', '111122223333', 'alice', 'invalid-exemption:111122223333:alice'],
    ['account-unreachable', '111122223333', undefined, 'account-unreachable:111122223333'],
  ] as const)('builds %s ids', (rule, accountId, subject, expected) => {
    expect(findingId(rule, accountId, subject)).toBe(expected);
  });
});

describe('keySubject', () => {
  it.each([
    ['the key id when known', { accessKeyId: 'AKIAEXAMPLE', slot: 1 }, 'AKIAEXAMPLE'],
    ['user and slot without id', { accessKeyId: null, slot: 2 }, 'alice#2'],
    ['user and list position without id or slot', { accessKeyId: null, slot: null }, 'alice#3'],
  ] as const)('uses %s', (_label, key, expected) => {
    expect(keySubject('alice', key, 3)).toBe(expected);
  });
});
