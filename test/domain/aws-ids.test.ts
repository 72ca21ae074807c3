import { describe, expect, it } from 'vitest';
import { isAccountId, isOuOrRootId, isTopicArn } from '../../lambda/domain/aws-ids.ts';

describe('AWS identifier shapes', () => {
  it.each(['111122223333', '000000000000'])('accepts %s as an account id', (id) => {
    expect(isAccountId(id)).toBe(true);
  });

  it.each(['11112222333', '1111222233334', '11112222333a', ' 111122223333'])(
    'refuses "%s" as an account id',
    (id) => {
      expect(isAccountId(id)).toBe(false);
    },
  );

  it.each([
    ['ou-ab12-cdef3456', true],
    ['r-ab12', true],
    ['ou-ab12', false],
    ['sales', false],
    ['OU-AB12-CDEF3456', false],
  ])('treats %s as an OU or root id: %s', (id, expected) => {
    expect(isOuOrRootId(id)).toBe(expected);
  });

  it.each([
    ['arn:aws:sns:eu-west-2:111122223333:key-audit-report', true],
    ['arn:aws-us-gov:sns:us-gov-west-1:111122223333:alerts.fifo', true],
    ['arn:aws:sqs:eu-west-2:111122223333:queue', false],
    ['key-audit-report', false],
  ])('treats %s as a topic ARN: %s', (arn, expected) => {
    expect(isTopicArn(arn)).toBe(expected);
  });
});
