import { describe, expect, it } from 'vitest';
import { parseReportArn } from '../../../lambda/domain/credential-report/arn.ts';

describe('parseReportArn', () => {
  it.each([
    ['arn:aws:iam::123456789012:root', { kind: 'root', accountId: '123456789012' }],
    ['arn:aws-cn:iam::123456789012:root', { kind: 'root', accountId: '123456789012' }],
    [
      'arn:aws:iam::123456789012:user/alice',
      { kind: 'user', accountId: '123456789012', path: '/', userName: 'alice' },
    ],
    [
      'arn:aws-us-gov:iam::123456789012:user/service/billing/svc-billing-export',
      { kind: 'user', accountId: '123456789012', path: '/service/billing/', userName: 'svc-billing-export' },
    ],
    [
      'arn:aws:iam::123456789012:user/ci/ci+deploy@example.com',
      { kind: 'user', accountId: '123456789012', path: '/ci/', userName: 'ci+deploy@example.com' },
    ],
    [
      'arn:aws:iam::123456789012:user/a=b,c.d',
      { kind: 'user', accountId: '123456789012', path: '/', userName: 'a=b,c.d' },
    ],
  ])('does read %s', (arn, expected) => {
    expect(parseReportArn(arn)).toEqual(expected);
  });

  it.each([
    'arn:aws:iam::123456789012:role/alice',
    'arn:aws:iam::12345678901:user/alice',
    'arn:aws:iam::123456789012:user/',
    'arn:aws:iam::123456789012:user/path/',
    'arn:aws:sts::123456789012:assumed-role/x/y',
    'arn:gcp:iam::123456789012:user/alice',
    'arn:aws:iam::123456789012:user/has space',
    `arn:aws:iam::123456789012:user/${'a'.repeat(65)}`,
    'alice',
    '',
  ])('does reject %j', (arn) => {
    expect(parseReportArn(arn)).toBeNull();
  });
});
