import { describe, expect, it } from 'vitest';
import {
  EXEMPT_REASON_TAG,
  EXEMPT_UNTIL_TAG,
  exemptionInForce,
  exemptionsForUser,
  isInForce,
  matchesUserGlob,
  parseCalendarDate,
} from '../../lambda/domain/exemptions.ts';
import type { AppliedExemption } from '../../lambda/domain/finding.ts';
import { ACCOUNT_ID, AS_OF, iamUser, policyWith } from './factories.ts';

describe('parseCalendarDate', () => {
  it.each([
    ['2026-06-15', '2026-06-15T00:00:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['2026-12-31', '2026-12-31T00:00:00.000Z'],
  ])('reads %s as midnight UTC', (text, iso) => {
    expect(parseCalendarDate(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-30',
    '2027-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-6-1',
    '15/06/2026',
    '',
    ' 2026-06-15',
    '2026-06-15T00:00Z',
  ])('rejects %j', (text) => {
    expect(parseCalendarDate(text)).toBeNull();
  });
});

describe('isInForce', () => {
  it.each([
    ['the day before', '2026-06-14T12:00:00.000Z', true],
    ['the start of the until day', '2026-06-15T00:00:00.000Z', true],
    ['the last millisecond of the until day', '2026-06-15T23:59:59.999Z', true],
    ['the next day', '2026-06-16T00:00:00.000Z', false],
  ])('is %s at %s', (_label, asOf, expected) => {
    expect(isInForce('2026-06-15', new Date(asOf))).toBe(expected);
  });

  it('is never in force for a date that is not one', () => {
    expect(isInForce('2026-02-30', new Date('2026-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('matchesUserGlob', () => {
  it.each([
    ['alice', 'alice', true],
    ['alice', 'Alice', true],
    ['alice', 'alice2', false],
    ['svc-*', 'svc-backup', true],
    ['svc-*', 'svc-', true],
    ['svc-*', 'app-svc-backup', false],
    ['ci-?', 'ci-1', true],
    ['ci-?', 'ci-12', false],
    ['*', 'anyone', true],
    ['a.b', 'axb', false],
    ['a+b@corp', 'a+b@corp', true],
  ])('matches %j against %j: %s', (pattern, userName, expected) => {
    expect(matchesUserGlob(pattern, userName)).toBe(expected);
  });
});

describe('exemptionsForUser', () => {
  const tags = { [EXEMPT_UNTIL_TAG]: '2026-12-31', [EXEMPT_REASON_TAG]: ' vendor appliance ' };

  it('reads a tag exemption, trimming the reason', () => {
    expect(exemptionsForUser(ACCOUNT_ID, iamUser('alice', [], tags), policyWith())).toEqual({
      valid: [{ until: '2026-12-31', reason: 'vendor appliance', source: 'tag' }],
      problems: [],
    });
  });

  it('judges how far an exemption runs only given the scan instant (callers that pass none keep it)', () => {
    const user = iamUser('alice', [], tags);
    const policy = policyWith({ maxExemptionDays: 90 });
    expect(exemptionsForUser(ACCOUNT_ID, user, policy).problems).toEqual([]);
    expect(exemptionsForUser(ACCOUNT_ID, user, policy, AS_OF)).toEqual({
      valid: [],
      problems: [
        'tag key-audit:exempt-until "2026-12-31" is 199 days after the scan, more than maxExemptionDays (90)',
      ],
    });
    expect(exemptionsForUser(ACCOUNT_ID, user, { exemptions: [] }, AS_OF).problems).toEqual([]);
  });

  it.each([
    ['exact name, any account', true, { userName: 'alice', until: '2026-07-01', reason: 'r' }],
    [
      'glob in this account',
      true,
      { accountId: ACCOUNT_ID, userName: 'al?ce', until: '2026-07-01', reason: 'r' },
    ],
    ['glob in every account', true, { accountId: '*', userName: 'a*', until: '2026-07-01', reason: 'r' }],
    [
      'another account',
      false,
      { accountId: '999999999999', userName: 'alice', until: '2026-07-01', reason: 'r' },
    ],
    ['another user', false, { userName: 'bob', until: '2026-07-01', reason: 'r' }],
  ])('applies a configured exemption for %s: %s', (_label, matches, exemption) => {
    const result = exemptionsForUser(ACCOUNT_ID, iamUser('alice'), policyWith({ exemptions: [exemption] }));
    expect(result.valid).toEqual(matches ? [{ until: '2026-07-01', reason: 'r', source: 'config' }] : []);
    expect(result.problems).toEqual([]);
  });

  it('reports a matching configured exemption without reason or with a bad date instead of honouring it', () => {
    const policy = policyWith({
      exemptions: [
        { userName: 'alice', until: '2026-02-30', reason: 'r' },
        { userName: 'alice', until: '2026-07-01', reason: ' ' },
      ],
    });
    expect(exemptionsForUser(ACCOUNT_ID, iamUser('alice'), policy)).toEqual({
      valid: [],
      problems: [
        'exemptions[0].until "2026-02-30" is not a date (YYYY-MM-DD)',
        'exemptions[1].reason is missing',
      ],
    });
  });
});

describe('exemptionInForce', () => {
  const asOf = new Date('2026-06-15T12:00:00Z');
  const tag: AppliedExemption = { until: '2026-06-30', reason: 'tag', source: 'tag' };
  const config: AppliedExemption = { until: '2026-06-30', reason: 'config', source: 'config' };
  const later: AppliedExemption = { until: '2026-09-30', reason: 'later', source: 'config' };
  const expired: AppliedExemption = { until: '2026-06-14', reason: 'expired', source: 'tag' };

  it.each([
    ['nothing when there are none', [], null],
    ['nothing when all expired', [expired], null],
    ['the one lasting longest', [tag, later, expired], later],
    ['the tag on a tie', [config, tag], tag],
  ])('picks %s', (_label, valid, expected) => {
    expect(exemptionInForce(valid, asOf)).toBe(expected);
  });
});
