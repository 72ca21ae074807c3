import { IAMServiceException, NoSuchEntityException } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { awsErrorCode, awsErrorMessage, hasAwsErrorCode } from '../../lambda/aws/aws-error.ts';

const networkError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5000'), {
  code: 'ECONNREFUSED',
});

describe('awsErrorCode', () => {
  it.each([
    [
      'a modelled service error',
      new NoSuchEntityException({ message: 'gone', $metadata: {} }),
      'NoSuchEntityException',
    ],
    [
      'an unmodelled service error',
      new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'no' }),
      'AccessDenied',
    ],
    ['a network error', networkError, 'ECONNREFUSED'],
    ['a plain error', new TypeError('x'), 'TypeError'],
    ['a non-error', 'oops', 'UnknownError'],
  ])('reads the code of %s', (_label, error, code) => {
    expect(awsErrorCode(error)).toBe(code);
  });
});

describe('awsErrorMessage', () => {
  it('uses the message, or the string form of non-errors', () => {
    expect(awsErrorMessage(new Error('Rate exceeded'))).toBe('Rate exceeded');
    expect(awsErrorMessage(42)).toBe('42');
  });
});

describe('hasAwsErrorCode', () => {
  it('matches the SDK class name or the wire code', () => {
    const error = new NoSuchEntityException({ message: 'gone', $metadata: {} });
    expect(hasAwsErrorCode(error, 'NoSuchEntityException')).toBe(true);
    expect(hasAwsErrorCode({ name: 'Error', Code: 'ReportInProgress' }, 'ReportInProgress')).toBe(true);
    expect(hasAwsErrorCode(error, 'LimitExceededException')).toBe(false);
    expect(hasAwsErrorCode(null, 'NoSuchEntityException')).toBe(false);
  });
});
