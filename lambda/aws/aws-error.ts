/**
 * How the AWS adapters report failures: every SDK error is wrapped in an `AwsAdapterError` subclass that
 * carries the AWS error code (e.g. `AccessDenied`, `Throttling`) and keeps the SDK error as `cause`.
 * The scan turns these into failed accounts; anything else is a bug and propagates.
 */

/** A failed AWS call (after the SDK's retries), or an AWS answer key-audit cannot use. */
export class AwsAdapterError extends Error {
  override readonly name: string = 'AwsAdapterError';
  constructor(
    /** The AWS error code (the SDK error's name), or a key-audit code such as `ReportTimeout`. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * The AWS error code of an SDK error: its `name` for service errors (`NoSuchEntityException`,
 * `AccessDenied`), the Node error `code` for network failures (`ECONNREFUSED`), else the error's name.
 */
export const awsErrorCode = (error: unknown): string => {
  if (!isObject(error)) return 'UnknownError';
  if ('$metadata' in error && typeof error.name === 'string') return error.name;
  if (typeof error.code === 'string') return error.code;
  if (typeof error.name === 'string') return error.name;
  return 'UnknownError';
};

/** The message of an SDK error, or its string form. */
export const awsErrorMessage = (error: unknown): string => {
  if (error instanceof Error && error.message) return error.message;
  if (isObject(error) && typeof error.message === 'string' && error.message) return error.message;
  return String(error);
};

/**
 * True when `error` is an AWS error with one of `codes`. Compares both the SDK class name
 * (`CredentialReportNotReadyException`) and the wire code (`ReportInProgress`), since the SDK names
 * modelled errors after their class and unmodelled ones after the code.
 */
export const hasAwsErrorCode = (error: unknown, ...codes: readonly string[]): boolean => {
  if (!isObject(error)) return false;
  const candidates = [error.name, error.Code, error.code].filter((c): c is string => typeof c === 'string');
  return candidates.some((candidate) => codes.includes(candidate));
};
