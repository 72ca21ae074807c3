/**
 * The whole key-audit configuration, declared once: scan settings, the policy and the deployment
 * settings. Its types, defaults, checks and the README's configuration table all come from this schema.
 * It has three encodings: cdk.json's `key-audit` context (lib/config.ts), the CLI's `--config` file (the
 * same JSON object) and the Lambda environment (lib/scanner-environment.ts writes it,
 * `handler-config.ts` reads it).
 */
import type * as z from 'zod/mini';
import { POLICY_SETTINGS, warnBeforeMaxAge } from '../domain/policy-config.ts';
import { DEPLOYMENT_SETTINGS } from './deployment-settings.ts';
import { ENFORCEMENT_CONFIG } from './enforcement-settings.ts';
import { modeProblems, SCAN_SETTINGS } from './scan-settings.ts';
import { type Problem, problemsOf, relation, strict } from './schema-kit.ts';

/**
 * Every setting, in README order: what to scan, the policy, enforcement, then what only the deployment
 * reads.
 */
export const KEY_AUDIT_SETTINGS = {
  ...SCAN_SETTINGS,
  ...POLICY_SETTINGS,
  ...ENFORCEMENT_CONFIG,
  ...DEPLOYMENT_SETTINGS,
};

/** The configuration as cdk.json's `key-audit` context and the CLI's `--config` file hold it. */
export const KEY_AUDIT_CONFIG = strict(KEY_AUDIT_SETTINGS).check(
  relation<{ organisation: boolean; accounts: string[]; ous: string[]; exclude: string[] }>(
    ['organisation', 'accounts', 'ous', 'exclude'],
    (config, report) => {
      for (const { key, problem } of modeProblems(config, { organisationOn: 'organisation: true' })) {
        report(key, problem);
      }
    },
  ),
  relation<{ organisation: boolean; organisationId?: string }>(
    ['organisation', 'organisationId'],
    ({ organisation, organisationId }, report) => {
      if (organisation && organisationId === undefined) {
        report('organisationId', 'is required when organisation is true');
      }
    },
  ),
  warnBeforeMaxAge,
);

/** The whole configuration, every default applied. */
export type KeyAuditConfig = Readonly<z.output<typeof KEY_AUDIT_CONFIG>>;

/** One scheduled job. */
export type ScheduleConfig = KeyAuditConfig['schedules']['report'];
/** Both scheduled jobs. */
export type SchedulesConfig = KeyAuditConfig['schedules'];
/** Slack delivery through AWS Chatbot. */
export type SlackConfig = NonNullable<KeyAuditConfig['slack']>;
/** The organisation-wide StackSet that creates the member role in every account of its targets. */
export type StackSetConfig = NonNullable<KeyAuditConfig['stackSet']>;
/** Size of the scanner Lambda function. */
export type LambdaConfig = KeyAuditConfig['lambda'];

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` without the keys starting with `//`: JSON has no comments, so cdk.json uses such keys. */
export const withoutComments = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('//'))
      .map(([key, inner]) => [key, withoutComments(inner)]),
  );
};

/**
 * Validates a configuration (parsed JSON; undefined means "all defaults") and applies the defaults.
 * Returns every problem instead of throwing, so that each encoding names them its own way.
 */
export const checkKeyAuditConfig = (
  input: unknown,
):
  | { readonly config: KeyAuditConfig; readonly problems: readonly [] }
  | { readonly problems: readonly Problem[] } => {
  const result = KEY_AUDIT_CONFIG.safeParse(withoutComments(input ?? {}));
  if (result.success) return { config: result.data, problems: [] };
  return { problems: problemsOf(result.error.issues, KEY_AUDIT_CONFIG) };
};

/** Every default. */
export const DEFAULT_CONFIG: KeyAuditConfig = Object.freeze(KEY_AUDIT_CONFIG.parse({}));
