import { describe, expect, it } from 'vitest';
import { ROTATION_STEPS } from '../../../lambda/domain/catalogue.ts';
import { DAY_MS, DEFAULT_POLICY } from '../../../lambda/domain/policy.ts';
import {
  describeDeadline,
  describeRotation,
  isProductionKey,
  nextStepOf,
  runbookSteps,
  TELL_SECOND_LINE,
} from '../../../lambda/present/render/describe-finding.ts';
import {
  AS_OF,
  accountUnreachable,
  inProduction,
  invalidExemption,
  keyDueSoon,
  keyTooOld,
  keyUnused,
  rootAccessKey,
  twoActiveKeys,
} from './report-factory.ts';

const at = (offsetMs: number): Date => new Date(AS_OF.getTime() + offsetMs);

describe('describeDeadline', () => {
  // key-too-old: the factory puts the deadline 3 hours past a whole day, so (age - 90) whole days overdue.
  it.each([
    [91, 'overdue by 1 day'],
    [134, 'overdue by 44 days'],
    [290, 'overdue by 200 days'],
  ])('does say how overdue a key of %i days is', (ageDays, words) => {
    expect(describeDeadline(keyTooOld({ ageDays }), AS_OF, DEFAULT_POLICY)).toBe(words);
  });

  it('does say less than a day when the deadline passed today', () => {
    expect(describeDeadline({ ...keyTooOld(), overdueDays: 0 }, AS_OF, DEFAULT_POLICY)).toBe(
      'overdue by less than a day',
    );
  });

  // key-due-soon: `since` is warnDays (14) before the deadline; days left are whole 24 h periods.
  it.each([
    [6 * DAY_MS, 'due in 6 days'],
    [6 * DAY_MS - 1, 'due in 5 days'],
    [DAY_MS, 'due in 1 day'],
    [DAY_MS - 1, 'due within a day'],
    [0, 'due within a day'],
  ])('does count whole days to a deadline %i ms away', (msLeft, words) => {
    const since = at(msLeft - DEFAULT_POLICY.warnDays * DAY_MS);
    expect(describeDeadline({ ...keyDueSoon(), since }, AS_OF, DEFAULT_POLICY)).toBe(words);
  });

  it('does fall back to the age when a due-soon finding has no since', () => {
    expect(describeDeadline({ ...keyDueSoon({ ageDays: 84 }), since: null }, AS_OF, DEFAULT_POLICY)).toBe(
      'due in 6 days',
    );
  });

  it('does follow the policy thresholds when they are not the defaults', () => {
    const policy = { ...DEFAULT_POLICY, warnDays: 30 };
    const since = at(20 * DAY_MS - 30 * DAY_MS);
    expect(describeDeadline({ ...keyDueSoon(), since }, AS_OF, policy)).toBe('due in 20 days');
  });

  // two-active-keys: rotation grace (7 days) runs from the new key's creation (3 hours past whole days).
  it.each([
    [2, 'due in 4 days'],
    [6, 'due within a day'],
    [9, 'overdue by 2 days'],
  ])(
    'does measure a rotation whose new key is %i days old against the grace period',
    (newKeyAgeDays, words) => {
      expect(describeDeadline(twoActiveKeys({ newKeyAgeDays }), AS_OF, DEFAULT_POLICY)).toBe(words);
    },
  );

  it.each([
    ['root-access-key', rootAccessKey()],
    ['key-unused', keyUnused()],
    ['invalid-exemption', invalidExemption()],
    ['account-unreachable', accountUnreachable()],
    ['two-active-keys without rotation state', { ...twoActiveKeys(), rotation: undefined }],
  ])('does return null when the rule has no deadline (%s)', (_, finding) => {
    expect(describeDeadline(finding, AS_OF, DEFAULT_POLICY)).toBeNull();
  });
});

describe('runbookSteps', () => {
  const numbers = (finding: Parameters<typeof runbookSteps>[0]): number[] =>
    runbookSteps(finding).map((s) => s.number);

  it('does give every rotation step when a key must be rotated', () => {
    expect(runbookSteps(keyTooOld()).map((s) => s.text)).toEqual(ROTATION_STEPS);
    expect(numbers(keyDueSoon())).toEqual([1, 2, 3, 4]);
  });

  it('does start at deploying the new key when the old key is still used during a rotation', () => {
    expect(numbers(twoActiveKeys({ oldKeyUsedSinceNewKey: true }))).toEqual([2, 3, 4]);
  });

  it('does give only the deactivation when the old key is idle', () => {
    const [step, ...rest] = runbookSteps(twoActiveKeys({ oldKeyUsedSinceNewKey: false }));
    expect(rest).toEqual([]);
    expect(step?.text).toBe('Deactivate the old key, then delete it later.');
  });

  it.each([keyUnused(), rootAccessKey(), accountUnreachable()])(
    'does give no rotation step for $rule',
    (f) => {
      expect(runbookSteps(f)).toEqual([]);
    },
  );
});

describe('describeRotation', () => {
  it('does say the old key is still in use and where when it was used after the new key', () => {
    const text = describeRotation(twoActiveKeys({ oldKeyUsedSinceNewKey: true, lastUsedService: 'sqs' }));
    expect(text).toContain('still in use');
    expect(text).toContain('AKIAOLDKEYROTATING01');
    expect(text).toContain('via sqs in eu-west-2');
  });

  it('does say it is safe to deactivate when the old key is idle', () => {
    const text = describeRotation(twoActiveKeys({ oldKeyUsedSinceNewKey: false }));
    expect(text).toContain('safe to deactivate the old key');
    expect(text).not.toContain('still in use');
  });

  it('does say the new key is not used yet when it has no last use', () => {
    expect(describeRotation(twoActiveKeys({ newKeyLastUsedAt: null }))).toContain('not used yet');
  });

  it('does name keys by slot when the credential report gave no ids', () => {
    const text = describeRotation(
      twoActiveKeys({ accessKeyId: null, keySlot: 1, newAccessKeyId: null, newKeySlot: 2 }),
    );
    expect(text).toContain('slot 1');
    expect(text).toContain('slot 2');
  });

  it('does return null when the finding has no rotation', () => {
    expect(describeRotation(keyTooOld())).toBeNull();
  });
});

describe('nextStepOf', () => {
  it('does add "Tell 2nd line first." to the remediation of a production key', () => {
    const finding = inProduction(keyTooOld());
    expect(isProductionKey(finding)).toBe(true);
    expect(nextStepOf(finding)).toBe(`${finding.remediation} ${TELL_SECOND_LINE}`);
  });

  it.each([['not production', { ...keyTooOld(), production: false }, false]])(
    'does give the remediation alone for a key %s',
    (_, finding, production) => {
      expect(finding.production).toBe(production);
      expect(isProductionKey(finding)).toBe(false);
      expect(nextStepOf(finding)).toBe(finding.remediation);
    },
  );

  it.each([
    ['an unreachable account', accountUnreachable()],
    ['an invalid exemption', invalidExemption()],
  ])('does not tell 2nd line about %s, which switches no key off', (_, finding) => {
    expect(isProductionKey(inProduction(finding))).toBe(false);
    expect(nextStepOf(inProduction(finding))).not.toContain(TELL_SECOND_LINE);
  });

  it('does tell 2nd line about a production root key', () => {
    expect(nextStepOf(inProduction(rootAccessKey()))).toContain(TELL_SECOND_LINE);
  });
});
