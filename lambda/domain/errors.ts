/**
 * Errors key-audit raises on purpose. Each says in one line what is wrong and where; `cause` keeps the
 * underlying error for `--debug` and logs.
 */

/** Bad input from a person: a flag, a configuration value or a file. CLI exit code 1, no stack trace. */
export class InputError extends Error {
  override readonly name: string = 'InputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A credential report that cannot be read. The message names the file, line and field. */
export class CredentialReportParseError extends InputError {
  override readonly name = 'CredentialReportParseError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${file}${line === null ? '' : `:${line}`}: ${field === null ? '' : `${field}: `}${problem}`,
      options,
    );
  }
}

/** Configuration (policy, exemptions, environment) that does not validate. Lists every problem at once. */
export class ConfigurationError extends InputError {
  override readonly name = 'ConfigurationError';
  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid configuration: ${problems.join('; ')}`, options);
  }
}
