import { describe, expect, it } from 'vitest';
import { applyRule } from '../../../lambda/domain/evaluate.ts';
import { invalidExemption } from '../../../lambda/domain/rules/invalid-exemption.ts';
import { accessKey, accountWithKeys, contextWith, failedAccount } from '../factories.ts';

const UNTIL = 'key-audit:exempt-until';
const REASON = 'key-audit:exempt-reason';

describe('invalid-exemption', () => {
  it.each([
    ['no exemption tags', {}],
    ['a valid exemption', { [UNTIL]: '2026-08-31', [REASON]: 'vendor appliance' }],
    ['a valid but expired exemption', { [UNTIL]: '2020-01-01', [REASON]: 'vendor appliance' }],
  ])('raises nothing for a user with %s', (_label, tags) => {
    expect(applyRule(invalidExemption, accountWithKeys([accessKey()], 'alice', tags), contextWith())).toEqual(
      [],
    );
    expect(applyRule(invalidExemption, failedAccount(), contextWith())).toEqual([]);
  });

  it.each([
    ['a missing reason', { [UNTIL]: '2026-08-31' }, 'tag key-audit:exempt-reason is missing'],
    ['a blank reason', { [UNTIL]: '2026-08-31', [REASON]: '  ' }, 'tag key-audit:exempt-reason is empty'],
    ['a missing date', { [REASON]: 'x' }, 'tag key-audit:exempt-until is missing'],
    [
      'an impossible date',
      { [UNTIL]: '2026-02-30', [REASON]: 'x' },
      'tag key-audit:exempt-until "2026-02-30" is not a date (YYYY-MM-DD)',
    ],
    [
      'a date in another format',
      { [UNTIL]: '31/12/2026', [REASON]: 'x' },
      'tag key-audit:exempt-until "31/12/2026" is not a date (YYYY-MM-DD)',
    ],
  ])('raises a medium user-level finding for a tag exemption with %s', (_label, tags, problem) => {
    const [hit, ...rest] = applyRule(invalidExemption, accountWithKeys([], 'alice', tags), contextWith());
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({
      id: 'invalid-exemption:111122223333:alice',
      rule: 'invalid-exemption',
      severity: 'medium',
      userName: 'alice',
      accessKeyId: null,
      message: `The exemption of alice is not honoured: ${problem}.`,
    });
  });

  it.each([
    ['the default limit', {}, '2026-09-14', 'is 91 days after the scan, more than maxExemptionDays (90)'],
    [
      'a configured limit',
      { maxExemptionDays: 10 },
      '2026-06-26',
      'is 11 days after the scan, more than maxExemptionDays (10)',
    ],
  ])('raises a finding naming %s for a tag exemption running past it', (_label, policy, until, problem) => {
    const tags = { [UNTIL]: until, [REASON]: 'vendor appliance' };
    const hits = applyRule(invalidExemption, accountWithKeys([], 'alice', tags), contextWith(policy));
    expect(hits.map((hit) => hit.message)).toEqual([
      `The exemption of alice is not honoured: tag key-audit:exempt-until "${until}" ${problem}.`,
    ]);
  });

  it('lists every problem of tags and matching configured exemptions in one finding', () => {
    const context = contextWith({
      exemptions: [
        { userName: 'bob', until: '2026-08-31', reason: '' },
        { userName: 'al*', until: '2026-13-01', reason: 'x' },
      ],
    });
    const hits = applyRule(
      invalidExemption,
      accountWithKeys([], 'alice', { [UNTIL]: '2026-08-31' }),
      context,
    );
    expect(hits.map((hit) => hit.message)).toEqual([
      'The exemption of alice is not honoured: tag key-audit:exempt-reason is missing; ' +
        'exemptions[1].until "2026-13-01" is not a date (YYYY-MM-DD).',
    ]);
  });
});
