import { describe, expect, it } from 'vitest';
import { applyRule } from '../../../lambda/domain/evaluate.ts';
import { inactiveKey } from '../../../lambda/domain/rules/inactive-key.ts';
import { accessKey, accountWithKeys, ago, contextWith, failedAccount } from '../factories.ts';

describe('inactive-key', () => {
  it('raises nothing for active keys, however old or unused', () => {
    const keys = [accessKey({ createdAt: ago(500), lastUsedAt: null }), accessKey({ accessKeyId: 'AKIA2' })];
    expect(applyRule(inactiveKey, accountWithKeys(keys), contextWith())).toEqual([]);
    expect(applyRule(inactiveKey, failedAccount(), contextWith())).toEqual([]);
  });

  it.each([
    ['inactive', 'is inactive but still present'],
    ['unknown', 'has a status key-audit does not know (not Active)'],
  ] as const)('raises a %s key as low, with since unknown', (status, wording) => {
    const key = accessKey({ accessKeyId: null, slot: 1, status, createdAt: ago(30) });
    const [hit, ...rest] = applyRule(inactiveKey, accountWithKeys([key]), contextWith());
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({
      id: 'inactive-key:111122223333:alice#1',
      rule: 'inactive-key',
      severity: 'low',
      since: null,
      ageDays: 30,
      keySlot: 1,
    });
    expect(hit?.message).toBe(
      `Key slot 1 of alice ${wording}: it fills one of the two key slots and can be re-enabled; delete it once nothing needs it.`,
    );
  });
});
