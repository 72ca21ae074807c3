import { describe, expect, it } from 'vitest';
import { InputError } from '../../lambda/domain/errors.ts';
import { validateAccountId, validateOuId, validateTargets } from '../../lambda/scan/targets.ts';

describe('validateAccountId', () => {
  it('accepts 12 digits', () => {
    expect(validateAccountId('012345678901')).toBe('012345678901');
  });

  it.each(['12345678901', '1234567890123', '12345678901a', ' 123456789012', ''])(
    'rejects "%s" with a one-line InputError naming it',
    (value) => {
      expect(() => validateAccountId(value)).toThrow(InputError);
      expect(() => validateAccountId(value)).toThrow(`invalid AWS account id "${value}": expected 12 digits`);
    },
  );
});

describe('validateOuId', () => {
  it.each(['ou-ab12-cdef3456', 'r-ab12'])('accepts %s', (value) => {
    expect(validateOuId(value)).toBe(value);
  });

  it.each(['ou-ab12', 'OU-AB12-CDEF3456', '123456789012', 'root'])('rejects %s', (value) => {
    expect(() => validateOuId(value)).toThrow(`invalid organisational unit id "${value}"`);
  });
});

describe('validateTargets', () => {
  it('removes repeated account ids, keeping the first order', () => {
    expect(
      validateTargets({ kind: 'accounts', accountIds: ['222222222222', '111111111111', '222222222222'] }),
    ).toEqual({ kind: 'accounts', accountIds: ['222222222222', '111111111111'] });
  });

  it('rejects an empty account list', () => {
    expect(() => validateTargets({ kind: 'accounts', accountIds: [] })).toThrow(InputError);
  });

  it('checks OU and excluded account ids of an organisation scan', () => {
    expect(validateTargets({ kind: 'organisation' })).toEqual({ kind: 'organisation', ous: [], exclude: [] });
    expect(() => validateTargets({ kind: 'organisation', exclude: ['12'] })).toThrow(
      'invalid AWS account id "12"',
    );
    expect(() => validateTargets({ kind: 'organisation', ous: ['ou-x'] })).toThrow('"ou-x"');
  });
});
