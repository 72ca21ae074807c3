/**
 * The CLI's `--config FILE`: the same JSON object as cdk.json's `key-audit` context, validated by the same
 * schema (lambda/config/key-audit-config.ts), so a file that deploys is a file the CLI reads and the two
 * derive the same policy. The older `{"policy": {...}}` shape is read as its policy keys. The CLI uses the
 * scan settings and the policy; deployment-only settings (schedules, emails, Slack, ...) are valid in the
 * file and left unused.
 */
import { checkKeyAuditConfig, type KeyAuditConfig } from '../../lambda/config/key-audit-config.ts';
import { ConfigurationError, InputError } from '../../lambda/domain/errors.ts';
import type { Policy } from '../../lambda/domain/policy.ts';
import { policyOf, withOrigin } from '../../lambda/domain/policy-config.ts';
import { liveInputOf, type ScanCommand, type ThresholdOverrides } from './parse-args.ts';
import { readTextFile } from './read-inputs.ts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The configuration object in `path`, with a `{"policy": {...}}` file's policy keys lifted to the top.
 * @throws InputError when the file cannot be read, is not JSON or is not an object.
 */
export const readConfigFile = async (path: string): Promise<Record<string, unknown>> => {
  const text = await readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(json)) throw new InputError(`${path}: expected a JSON object like {"maxKeyAgeDays": 60}`);
  const { policy, ...rest } = json;
  if (policy === undefined) return json;
  if (!isObject(policy)) throw new InputError(`${path}: policy: expected an object`);
  const twice = Object.keys(policy).find((key) => key in rest);
  if (twice !== undefined)
    throw new InputError(`${path}: ${twice}: set both at the top level and in "policy"`);
  return { ...rest, ...policy };
};

/**
 * The configuration of a CLI run: the file (if any) with the threshold flags over it. Validation runs
 * once on the merged result, so a flag that contradicts the file is reported too.
 * @throws ConfigurationError listing every problem, each `<file>: <path>: <problem>`.
 */
export const loadConfig = async (
  configFile: string | undefined,
  thresholds: ThresholdOverrides,
): Promise<KeyAuditConfig> => {
  const input = configFile === undefined ? {} : await readConfigFile(configFile);
  const checked = checkKeyAuditConfig({ ...input, ...thresholds });
  if ('config' in checked) return checked.config;
  throw new ConfigurationError(
    checked.problems.map((problem) => withOrigin(configFile ?? 'command line', problem)),
  );
};

/** The policy for a CLI run: defaults, then the configuration file, then threshold flags. */
export const loadPolicy = async (
  configFile: string | undefined,
  thresholds: ThresholdOverrides,
): Promise<Policy> => policyOf(await loadConfig(configFile, thresholds));

/**
 * `command` with the configuration's scan settings where the command line gives none: flags, then the
 * file, then the defaults. A scan of credential report files reads no live settings.
 */
export const withConfig = (command: ScanCommand, config: KeyAuditConfig): ScanCommand => ({
  ...command,
  input: command.input.kind === 'files' ? command.input : liveInputOf(config, command.settings),
  alertSeverity: command.settings.alertSeverity ?? config.alertSeverity,
});
