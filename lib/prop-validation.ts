/**
 * Construct props get the validation of the cdk.json configuration: they are turned into a configuration
 * object and passed through `parseKeyAuditConfig`, so a value `cdk synth` would refuse in cdk.json is
 * refused as a prop too, with each problem reported under the prop's own name.
 */
import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ConfigurationError, InputError } from '../lambda/domain/errors.ts';
import { CONFIG_CONTEXT_KEY, type KeyAuditConfig, parseKeyAuditConfig } from './config.ts';

/** Configuration paths (`lambda.memoryMb`) mapped to the props they come from (`memorySize`) where the names differ. */
export type PropNames = Readonly<Record<string, string>>;

/** Props that do not validate. The message is one line naming the construct and every bad prop. */
export class KeyAuditPropsError extends InputError {
  override readonly name = 'KeyAuditPropsError';
  constructor(
    readonly construct: string,
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${construct}: invalid props: ${problems.join('; ')}`, options);
  }
}

/** `value`, or undefined when it is an unresolved token (known only at deploy time, so not checkable). */
export const literal = <T>(value: T | undefined): T | undefined =>
  value !== undefined && Token.isUnresolved(value) ? undefined : value;

/** A copy of `value` without undefined properties and without objects that are left empty. */
const withoutUndefined = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
    return value;
  }
  const entries = Object.entries(value)
    .map(([key, child]) => [key, withoutUndefined(child)] as const)
    .filter(([, child]) => child !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
};

const startsPath = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/**
 * `key-audit.<configuration path>: <problem>` rewritten as `<prop path>: <problem>`, renaming the longest
 * configuration path of `names` that the problem's path starts with. Other problems are kept as they are.
 */
export const propProblem = (problem: string, names: PropNames): string => {
  const prefix = `${CONFIG_CONTEXT_KEY}.`;
  const colon = problem.indexOf(': ');
  if (!problem.startsWith(prefix) || colon < 0) return problem;
  const path = problem.slice(prefix.length, colon);
  const renamed = Object.keys(names)
    .filter((configPath) => startsPath(path, configPath))
    .sort((a, b) => b.length - a.length)[0];
  const propPath = renamed === undefined ? path : `${names[renamed]}${path.slice(renamed.length)}`;
  return `${propPath}${problem.slice(colon)}`;
};

/**
 * Validates `input` (configuration-shaped; undefined values mean "not set") as the cdk.json configuration
 * is validated, and returns the configuration with every default applied.
 * @throws KeyAuditPropsError naming `constructName`, the construct's path and each prop with a problem.
 */
export const validateWithConfiguration = (
  scope: IConstruct,
  constructName: string,
  input: Readonly<Record<string, unknown>>,
  names: PropNames = {},
): KeyAuditConfig => {
  try {
    return parseKeyAuditConfig(withoutUndefined(input) ?? {});
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new KeyAuditPropsError(
      `${constructName} ${scope.node.path}`,
      error.problems.map((problem) => propProblem(problem, names)),
      { cause: error },
    );
  }
};
