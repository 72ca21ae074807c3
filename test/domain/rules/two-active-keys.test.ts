import { describe, expect, it } from 'vitest';
import { applyRule, evaluate } from '../../../lambda/domain/evaluate.ts';
import type { AccessKey } from '../../../lambda/domain/inventory.ts';
import { checkTwoActiveKeys, twoActiveKeys } from '../../../lambda/domain/rules/two-active-keys.ts';
import {
  AS_OF,
  accessKey,
  accountWithKeys,
  ago,
  contextWith,
  inventoryOf,
  policyWith,
} from '../factories.ts';

const OLD = 'AKIAOLD';
const NEW = 'AKIANEW';

const oldKey = (overrides: Partial<AccessKey> = {}): AccessKey =>
  accessKey({ accessKeyId: OLD, createdAt: ago(85), lastUsedAt: ago(1), ...overrides });
const newKey = (overrides: Partial<AccessKey> = {}): AccessKey =>
  accessKey({ accessKeyId: NEW, createdAt: ago(3), lastUsedAt: ago(0, 2), ...overrides });

describe('two-active-keys', () => {
  it.each([
    ['one active key', [oldKey()]],
    ['an active and an inactive key', [oldKey(), newKey({ status: 'inactive' })]],
    ['an active and an unknown-status key', [oldKey(), newKey({ status: 'unknown' })]],
    ['two inactive keys', [oldKey({ status: 'inactive' }), newKey({ status: 'inactive' })]],
  ])('raises nothing for a user with %s', (_label, keys) => {
    expect(applyRule(twoActiveKeys, accountWithKeys(keys), contextWith())).toEqual([]);
  });

  it.each([
    ['6 d 23 h: rotation in progress, a warning', ago(6, 23), 'low'],
    ['exactly 7 d: no longer younger than the grace', ago(7), 'high'],
    ['7 d 1 h', ago(7, 1), 'high'],
    ['30 d', ago(30), 'high'],
  ] as const)('raises the pair when the newer key is %s as %s', (_label, createdAt, severity) => {
    const hits = applyRule(twoActiveKeys, accountWithKeys([oldKey(), newKey({ createdAt })]), contextWith());
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ rule: 'two-active-keys', severity, since: createdAt });
  });

  it('reports against the older key whatever the listing order, with one finding per user', () => {
    const [hit, ...rest] = applyRule(twoActiveKeys, accountWithKeys([newKey(), oldKey()]), contextWith());
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({
      id: `two-active-keys:111122223333:${OLD}`,
      accessKeyId: OLD,
      ageDays: 85,
      rotation: { oldAccessKeyId: OLD, newAccessKeyId: NEW },
    });
  });

  it.each([
    ['the old key was used after the new key was created', ago(1), ago(0, 2), true],
    ['the new key has never been used', ago(10), null, true],
    ['neither key has ever been used', null, null, true],
    ['the new key is in use and the old key idle since before it', ago(4), ago(0, 2), false],
    ['the new key is in use and the old key never used', null, ago(0, 2), false],
  ])('sets oldKeyUsedSinceNewKey when %s', (_label, oldLastUsed, newLastUsed, expected) => {
    const keys = [oldKey({ lastUsedAt: oldLastUsed }), newKey({ lastUsedAt: newLastUsed })];
    const [hit] = applyRule(twoActiveKeys, accountWithKeys(keys), contextWith());
    expect(hit?.rotation?.oldKeyUsedSinceNewKey).toBe(expected);
  });

  it('says where the old key is still used while usages remain', () => {
    const keys = [
      oldKey({
        createdAt: ago(95),
        lastUsedAt: new Date('2026-06-14T09:00:00Z'),
        lastUsedRegion: 'us-east-1',
      }),
      newKey({ createdAt: new Date('2026-06-12T08:00:00Z') }),
    ];
    const [hit] = applyRule(twoActiveKeys, accountWithKeys(keys), contextWith());
    expect(hit?.message).toBe(
      'User alice has two active keys: finish the rotation by 2026-06-19 (new key AKIANEW created 2026-06-12); ' +
        'old key AKIAOLD is still in use after the new key was created, last used 2026-06-14 via s3 in us-east-1.',
    );
    expect(hit?.remediation).toMatch(/^Finish the rotation/);
  });

  it('says the new key is unused and where the old key was last used', () => {
    const keys = [
      oldKey({ lastUsedAt: new Date('2026-06-01T09:00:00Z') }),
      newKey({ createdAt: new Date('2026-06-05T12:00:00Z'), lastUsedAt: null }),
    ];
    const [hit] = applyRule(twoActiveKeys, accountWithKeys(keys), contextWith());
    expect(hit?.message).toBe(
      'User alice has had two active keys for 10 days: the rotation grace of 7 days ended 2026-06-12; ' +
        'the new key AKIANEW has not been used yet and old key AKIAOLD was last used 2026-06-01 via s3 in eu-west-1.',
    );
  });

  it('tells to deactivate the old key when the new key is in use and the old key idle', () => {
    const keys = [oldKey({ lastUsedAt: new Date('2026-06-10T09:00:00Z') }), newKey({ createdAt: ago(4) })];
    const [hit] = applyRule(twoActiveKeys, accountWithKeys(keys), contextWith());
    expect(hit?.message).toMatch(
      /the new key AKIANEW is in use and old key AKIAOLD is idle: deactivate AKIAOLD\.$/,
    );
    expect(hit?.remediation).toBe(
      'The new key AKIANEW is in use and the old key AKIAOLD idle since 2026-06-10: deactivate the old key, ' +
        'then delete it later.',
    );
  });

  it('names slots when the source has no key ids', () => {
    const keys = [
      oldKey({ accessKeyId: null, slot: 2, createdAt: ago(100) }),
      newKey({ accessKeyId: null, slot: 1, createdAt: ago(2) }),
    ];
    const [hit] = applyRule(twoActiveKeys, accountWithKeys(keys, 'bob'), contextWith());
    expect(hit).toMatchObject({ id: 'two-active-keys:111122223333:bob#2', keySlot: 2 });
    expect(hit?.rotation).toMatchObject({ oldKeySlot: 2, newKeySlot: 1, oldAccessKeyId: null });
  });
});

describe('two-active-keys in a report', () => {
  it.each([
    ['a day old: a warning, not a violation', ago(1), 'low', 0],
    ['eight days old: a violation', ago(8), 'high', 1],
  ] as const)('counts a rotation whose new key is %s', (_label, createdAt, severity, violations) => {
    const keys = [oldKey({ createdAt: ago(40) }), newKey({ createdAt })];
    const report = evaluate(inventoryOf(accountWithKeys(keys)), { asOf: AS_OF, policy: policyWith() });
    expect(report.findings.map((finding) => [finding.rule, finding.severity])).toEqual([
      ['two-active-keys', severity],
    ]);
    expect(report.summary.violations).toBe(violations);
  });
});

describe('checkTwoActiveKeys', () => {
  it.each([
    ['in its grace', ago(2), { severity: 'low' }],
    ['past its grace', ago(10), {}],
  ])('overrides the catalogue severity only for a rotation %s', (_label, createdAt, own) => {
    const [hit] = checkTwoActiveKeys(accountWithKeys([oldKey(), newKey({ createdAt })]), contextWith());
    expect({ severity: hit?.severity }).toEqual({ severity: undefined, ...own });
  });

  it.each([
    ['still in use', ago(1), false],
    ['idle since the new key was created', ago(4), true],
  ])('overrides the catalogue remediation only when the old key is %s', (_label, lastUsedAt, own) => {
    const keys = [oldKey({ lastUsedAt }), newKey({ createdAt: ago(3), lastUsedAt: ago(0, 2) })];
    const [hit] = checkTwoActiveKeys(accountWithKeys(keys), contextWith());
    expect(hit?.remediation !== undefined).toBe(own);
  });
});

describe('two-active-keys escalation', () => {
  it('records when the finding became high when the rotation grace has ended', () => {
    const newKeyCreated = ago(10);
    const account = accountWithKeys([
      accessKey({ accessKeyId: 'AKIAOLD0000000000001', createdAt: ago(200) }),
      accessKey({ accessKeyId: 'AKIANEW0000000000002', createdAt: newKeyCreated }),
    ]);
    const [hit] = applyRule(twoActiveKeys, account, contextWith());
    expect(hit?.severity).toBe('high');
    expect(hit?.severitySince?.toISOString()).toBe(
      new Date(newKeyCreated.getTime() + 7 * 86_400_000).toISOString(),
    );
  });

  it('records no escalation while the rotation is within its grace', () => {
    const account = accountWithKeys([
      accessKey({ accessKeyId: 'AKIAOLD0000000000001', createdAt: ago(200) }),
      accessKey({ accessKeyId: 'AKIANEW0000000000002', createdAt: ago(2) }),
    ]);
    const [hit] = applyRule(twoActiveKeys, account, contextWith());
    expect(hit?.severity).toBe('low');
    expect(hit?.severitySince).toBeUndefined();
  });
});
