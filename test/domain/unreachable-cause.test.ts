import { describe, expect, it } from 'vitest';
import {
  UNREACHABLE_CAUSE_LABEL,
  UNREACHABLE_CAUSES,
  UNREACHABLE_REMEDIATION,
  unreachableCause,
} from '../../lambda/domain/unreachable-cause.ts';

describe('unreachableCause', () => {
  it.each([
    ['AccessDenied', 'assume-role', 'role'],
    ['AccessDeniedException', 'assume-role', 'role'],
    ['NoSuchEntity', 'assume-role', 'role'],
    ['AccessDenied', 'read', 'access-denied'],
    ['AccessDeniedException', 'read', 'access-denied'],
    ['ReportTimeout', 'read', 'report-timeout'],
    ['Throttling', 'read', 'throttling'],
    ['ThrottlingException', 'assume-role', 'throttling'],
    ['TooManyRequestsException', 'read', 'throttling'],
    ['Deadline', 'read', 'deadline'],
    ['ECONNREFUSED', 'read', 'other'],
    ['UnexpectedResponse', 'assume-role', 'other'],
    ['CredentialReportParseError', 'read', 'other'],
  ] as const)('does map %s at %s to %s', (code, step, cause) => {
    expect(unreachableCause(code, step)).toBe(cause);
  });

  it('does take a failure without a step as one while reading', () => {
    expect(unreachableCause('AccessDenied')).toBe('access-denied');
  });
});

describe('UNREACHABLE_REMEDIATION', () => {
  it.each(UNREACHABLE_CAUSES)('does give %s its own next step and label', (cause) => {
    const others = UNREACHABLE_CAUSES.filter((other) => other !== cause);
    expect(others.map((other) => UNREACHABLE_REMEDIATION[other])).not.toContain(
      UNREACHABLE_REMEDIATION[cause],
    );
    expect(UNREACHABLE_CAUSE_LABEL[cause]).not.toBe('');
  });

  it('does keep the 2nd line out of every next step (renderings add it for production)', () => {
    expect(Object.values(UNREACHABLE_REMEDIATION).join(' ')).not.toContain('2nd line');
  });
});
