/**
 * Why an account could not be read, from the error code the scan recorded, and the next step for each
 * cause: an `account-unreachable` finding tells the fix for its own cause instead of a list of guesses.
 */

/** Why an account was not read. */
export type UnreachableCause =
  /** The member role is not deployed there, or its trust policy does not let the scanner assume it. */
  | 'role'
  /** The role was assumed but IAM refused a read (missing permission, or a service control policy). */
  | 'access-denied'
  /** The credential report did not complete in time (and nothing stood in for it). */
  | 'report-timeout'
  /** IAM or STS kept throttling past the SDK's retries. */
  | 'throttling'
  /** The run reached its time limit before the account was read (or while it was being read). */
  | 'deadline'
  /** Anything else: the error says what (network, an answer key-audit cannot use, ...). */
  | 'other';

/** Every cause, in the order the README lists them. */
export const UNREACHABLE_CAUSES: readonly UnreachableCause[] = [
  'role',
  'access-denied',
  'report-timeout',
  'throttling',
  'deadline',
  'other',
];

/** Where in reading an account the failure happened: assuming its role, or reading it with the role. */
export type FailureStep = 'assume-role' | 'read';

/** The code key-audit records for an account the run had no time for. */
export const DEADLINE_ERROR_CODE = 'Deadline';

/** The code of a credential report that was not ready in time (`CredentialReportError`). */
export const REPORT_TIMEOUT_ERROR_CODE = 'ReportTimeout';

// Codes AWS services use for denied requests and for throttling (service class names and wire codes).
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'NoSuchEntity',
  'NoSuchEntityException',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/**
 * The cause of a failure with AWS error code `errorCode` at `step`. STS answers AccessDenied both for a
 * role that does not exist and for one that does not trust the caller, so a denied AssumeRole is `role`;
 * a denied IAM read (the role was assumed) is `access-denied`.
 */
export const unreachableCause = (errorCode: string, step: FailureStep = 'read'): UnreachableCause => {
  if (errorCode === DEADLINE_ERROR_CODE) return 'deadline';
  if (errorCode === REPORT_TIMEOUT_ERROR_CODE) return 'report-timeout';
  if (THROTTLED.has(errorCode)) return 'throttling';
  if (DENIED.has(errorCode)) return step === 'assume-role' ? 'role' : 'access-denied';
  return 'other';
};

/** The next step for an account unreachable for `cause`: the `account-unreachable` remediation. */
export const UNREACHABLE_REMEDIATION: Readonly<Record<UnreachableCause, string>> = {
  role:
    'Deploy the KeyAuditReadOnly member role to the account (StackSets skip the management account), or fix ' +
    'its trust policy so that it trusts the scanner role (and the external id), then re-run the scan.',
  'access-denied':
    'The member role was assumed but IAM refused a read: give the role its read-only IAM actions again and ' +
    'check service control policies that deny them, then re-run the scan.',
  'report-timeout':
    'The credential report of the account did not complete in time: re-run the scan later, or scan this ' +
    'account with `source: api`.',
  throttling:
    'IAM or STS kept throttling the scan past its retries: lower `concurrency`, or run the scan when less ' +
    'else calls IAM in the account, then re-run it.',
  deadline:
    'The run reached its time limit before the account was read; the next run reads it again. If it recurs, ' +
    'give the run more time (`lambda.timeoutSeconds`) or scan fewer accounts per run.',
  other:
    'Fix what the error names (network, credentials, an answer key-audit cannot use), then re-run the scan.',
};

/** What a cause is called in words (`role missing or not trusted`); `other` leaves the error to say it. */
export const UNREACHABLE_CAUSE_LABEL: Readonly<Record<UnreachableCause, string>> = {
  role: 'role missing or not trusted',
  'access-denied': 'access denied',
  'report-timeout': 'credential report timeout',
  throttling: 'throttling',
  deadline: 'run time limit',
  other: 'error',
};
