import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../lambda/domain/errors.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import { resolvePolicy } from '../../lambda/domain/policy-config.ts';

const problemsOf = (input: unknown): readonly string[] => {
  try {
    resolvePolicy(input, 'key-audit.json');
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
};

describe('resolvePolicy', () => {
  it.each([
    ['undefined', undefined],
    ['an empty object', {}],
    ['undefined values', { maxKeyAgeDays: undefined, exemptions: undefined }],
  ])('returns the defaults for %s', (_label, input) => {
    expect(resolvePolicy(input, 'x')).toEqual(DEFAULT_POLICY);
  });

  it('merges given fields over the defaults and fills in the exemption account', () => {
    const policy = resolvePolicy(
      {
        maxKeyAgeDays: 60,
        warnDays: 59,
        criticalAgeMultiplier: 1.5,
        exemptions: [{ userName: 'svc-*', until: '2026-12-31', reason: ' vendor ' }],
      },
      'x',
    );
    expect(policy).toEqual({
      ...DEFAULT_POLICY,
      maxKeyAgeDays: 60,
      warnDays: 59,
      criticalAgeMultiplier: 1.5,
      exemptions: [{ accountId: '*', userName: 'svc-*', until: '2026-12-31', reason: 'vendor' }],
    });
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it.each([
    ['maxKeyAgeDays', 0, 'key-audit.json: maxKeyAgeDays: 0 is not a positive whole number of days'],
    ['warnDays', -1, 'key-audit.json: warnDays: -1 is not a positive whole number of days'],
    ['unusedDays', 4.5, 'key-audit.json: unusedDays: 4.5 is not a positive whole number of days'],
    [
      'rotationGraceDays',
      '7',
      'key-audit.json: rotationGraceDays: "7" is not a positive whole number of days',
    ],
    ['criticalAgeMultiplier', 1, 'key-audit.json: criticalAgeMultiplier: 1 is not a number greater than 1'],
    ['exemptions', {}, 'key-audit.json: exemptions: {} must be a list'],
  ])('rejects %s = %j', (key, value, problem) => {
    expect(problemsOf({ [key]: value })).toEqual([problem]);
  });

  it.each([
    [{ warnDays: 90 }, 'key-audit.json: warnDays: 90 must be less than maxKeyAgeDays (90)'],
    [{ maxKeyAgeDays: 14 }, 'key-audit.json: warnDays: 14 must be less than maxKeyAgeDays (14)'],
  ])('rejects warnDays not below maxKeyAgeDays: %j', (input, problem) => {
    expect(problemsOf(input)).toEqual([problem]);
  });

  it('accepts warnDays one below maxKeyAgeDays', () => {
    expect(resolvePolicy({ maxKeyAgeDays: 15 }, 'x').warnDays).toBe(14);
  });

  it('does not compare warnDays with an invalid maxKeyAgeDays', () => {
    expect(problemsOf({ maxKeyAgeDays: 'ninety', warnDays: 100 })).toEqual([
      'key-audit.json: maxKeyAgeDays: "ninety" is not a positive whole number of days',
    ]);
  });

  it('rejects unknown keys, suggesting the setting a typo meant', () => {
    expect(
      problemsOf({
        maxKeyAge: 30,
        colour: 'red',
        exemptions: [{ userName: 'a', until: '2026-01-01', reason: 'r', Reason: 'r' }],
      }),
    ).toEqual([
      'key-audit.json: exemptions[0].Reason: unknown setting (did you mean reason?)',
      'key-audit.json: maxKeyAge: unknown setting (did you mean maxKeyAgeDays?)',
      'key-audit.json: colour: unknown setting',
    ]);
  });

  it.each([
    [
      { accountId: '1234', userName: 'a', until: '2026-01-01', reason: 'r' },
      'exemptions[0].accountId: invalid AWS account id "1234": expected 12 digits or "*"',
    ],
    [
      { userName: '', until: '2026-01-01', reason: 'r' },
      'exemptions[0].userName: "" is not an IAM user name or glob (1-64 of A-Z a-z 0-9 +=,.@_- and * ?)',
    ],
    [
      { userName: 'svc deploy', until: '2026-01-01', reason: 'r' },
      'exemptions[0].userName: "svc deploy" is not an IAM user name or glob (1-64 of A-Z a-z 0-9 +=,.@_- and * ?)',
    ],
    [{ until: '2026-01-01', reason: 'r' }, 'exemptions[0].userName: missing'],
    [{ userName: 'a', reason: 'r' }, 'exemptions[0].until: missing (the last exempt day, YYYY-MM-DD)'],
    [
      { userName: 'a', until: '2026-13-01', reason: 'r' },
      'exemptions[0].until: "2026-13-01" is not a date (YYYY-MM-DD)',
    ],
    [
      { userName: 'a', until: '2026-02-30', reason: 'r' },
      'exemptions[0].until: "2026-02-30" is not a date (YYYY-MM-DD)',
    ],
    [
      { userName: 'a', until: '2026-01-01' },
      'exemptions[0].reason: missing (every exemption needs a reason)',
    ],
    [{ userName: 'a', until: '2026-01-01', reason: '  ' }, 'exemptions[0].reason: "  " is not a reason'],
    ['alice', 'exemptions[0]: "alice" must be an object'],
  ])('rejects the exemption %j', (exemption, problem) => {
    expect(problemsOf({ exemptions: [exemption] })).toEqual([`key-audit.json: ${problem}`]);
  });

  it('reports every problem at once, in one error naming the origin', () => {
    const input = {
      maxKeyAgeDays: 0,
      exemptions: [
        { userName: 'ok', until: '2026-01-01', reason: 'r' },
        { userName: 'ok', until: '2026-01-01', reason: 'r' },
        { userName: 'b', until: '2026-13-01' },
      ],
    };
    expect(() => resolvePolicy(input, 'key-audit.json')).toThrow(
      'invalid configuration: key-audit.json: maxKeyAgeDays: 0 is not a positive whole number of days; ' +
        'key-audit.json: exemptions[2].until: "2026-13-01" is not a date (YYYY-MM-DD); ' +
        'key-audit.json: exemptions[2].reason: missing (every exemption needs a reason)',
    );
  });

  it.each([null, [], 'policy', 3])('rejects a policy that is not an object: %j', (input) => {
    expect(problemsOf(input)).toEqual([`key-audit.json: ${JSON.stringify(input)} must be an object`]);
  });
});
