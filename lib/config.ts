/**
 * The deployment configuration of key-audit, as the CDK app reads it: the cdk.json context key
 * `key-audit` (see `lib/config-context.ts`), validated at synth time so that a typo fails `cdk synth` with
 * every problem listed at once instead of failing a deployment (or, worse, a scheduled run) later. The
 * settings themselves are declared once, in `lambda/config/key-audit-config.ts`.
 */
import { checkKeyAuditConfig, type KeyAuditConfig } from '../lambda/config/key-audit-config.ts';
import { ConfigurationError } from '../lambda/domain/errors.ts';
import { type Policy, policyOf } from '../lambda/domain/policy-config.ts';

export {
  isIanaTimeZone,
  LOG_RETENTION_DAYS,
  maxGapHours,
  parseWeekDays,
} from '../lambda/config/deployment-settings.ts';
export {
  DEFAULT_CONFIG,
  KEY_AUDIT_CONFIG,
  type KeyAuditConfig,
  type LambdaConfig,
  type ScheduleConfig,
  type SchedulesConfig,
  type SlackConfig,
  type StackSetConfig,
} from '../lambda/config/key-audit-config.ts';

/** The context key the configuration is read from (`cdk.json` → `context` → `key-audit`). */
export const CONFIG_CONTEXT_KEY = 'key-audit';

/** The Lambda environment holds at most 4 KB; the policy JSON must leave room for the other variables. */
export const MAX_POLICY_JSON_BYTES = 3_000;

/** The policy part of the configuration, as the handler reads it from `KEY_AUDIT_POLICY`. */
export const policyJson = (config: Policy): string => JSON.stringify(policyOf(config));

/**
 * Validates raw configuration (parsed JSON from cdk.json / `-c`) and applies defaults. Keys starting with
 * `//` are comments.
 * @throws ConfigurationError listing every problem, each as `key-audit.<field>: <problem>`.
 */
export const parseKeyAuditConfig = (input: unknown): KeyAuditConfig => {
  const checked = checkKeyAuditConfig(input);
  if (!('config' in checked)) {
    throw new ConfigurationError(
      checked.problems.map(({ path, problem }) =>
        path === '' ? `${CONFIG_CONTEXT_KEY}: ${problem}` : `${CONFIG_CONTEXT_KEY}.${path}: ${problem}`,
      ),
    );
  }
  // A limit of the Lambda environment, the encoding the deployment uses; the CLI reads the policy from
  // its file and has no such limit.
  const policyBytes = Buffer.byteLength(policyJson(checked.config));
  if (policyBytes > MAX_POLICY_JSON_BYTES) {
    throw new ConfigurationError([
      `${CONFIG_CONTEXT_KEY}.exemptions: the policy JSON is ${policyBytes} bytes, more than ${MAX_POLICY_JSON_BYTES} (the Lambda environment holds 4 KB); exempt users with IAM user tags instead`,
    ]);
  }
  return checked.config;
};
