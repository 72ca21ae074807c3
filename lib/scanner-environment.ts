/**
 * The environment contract between the stack and the handler (lambda/handler.ts reads exactly these
 * names), and the metric contract the alarms rely on.
 */
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/config/handler-config.ts';
import { ConfigurationError } from '../lambda/domain/errors.ts';
import { CONFIG_CONTEXT_KEY, type KeyAuditConfig, maxGapHours, policyJson } from './config.ts';

/** Powertools service name and CloudWatch namespace of the handler's metrics (the only one the scanner may write to). */
export { METRICS_NAMESPACE, SERVICE_NAME };
/** Count of accounts the handler could not scan in a run (dimension `service` = `SERVICE_NAME`). */
export const ACCOUNTS_FAILED_METRIC = 'AccountsFailed';

/** What the handler writes to, created by the stack. */
export interface ScannerResources {
  /** `KEY_AUDIT_REPORT_TOPIC_ARN`. */
  readonly reportTopicArn: string;
  /** `KEY_AUDIT_ALERT_TOPIC_ARN`. */
  readonly alertTopicArn: string;
  /** `KEY_AUDIT_HISTORY`: `s3://<bucket>/` or `s3://<bucket>/<prefix>/`. @default no history */
  readonly history?: string;
}

/**
 * The Lambda environment for `config`. Mode: `KEY_AUDIT_ORG=true` (+ `KEY_AUDIT_OUS`, `KEY_AUDIT_EXCLUDE`
 * when non-empty), else `KEY_AUDIT_ACCOUNTS` when accounts are listed, else neither: the own account.
 * `KEY_AUDIT_ALERT_WINDOW_HOURS` is the longest gap between two alert runs (24 for a daily schedule).
 * `KEY_AUDIT_PRODUCTION` carries `production` as JSON, only when it names any account (the environment holds
 * 4 KB in all, the policy JSON takes most of it). `KEY_AUDIT_ENFORCEMENT` (the `enforcement` group as JSON)
 * and `KEY_AUDIT_REMEDIATION_ROLE_NAME` only when enforcement is on. An environment over 4 KB is refused. `KEY_AUDIT_HISTORY` is the
 * history bucket's location when the stack has one; `KEY_AUDIT_SECURITY_HUB=true` when `securityHub` is on.
 * `NODE_OPTIONS=--enable-source-maps` makes stack traces point into the TypeScript sources.
 */
export const scannerEnvironment = (
  config: KeyAuditConfig,
  resources: ScannerResources,
): Record<string, string> => {
  const env: Record<string, string> = { [ENV.source]: config.source };
  if (config.organisation) {
    env[ENV.org] = 'true';
    if (config.ous.length > 0) env[ENV.ous] = config.ous.join(',');
    if (config.exclude.length > 0) env[ENV.exclude] = config.exclude.join(',');
  } else if (config.accounts.length > 0) {
    env[ENV.accounts] = config.accounts.join(',');
  }
  env[ENV.roleName] = config.roleName;
  if (config.externalId !== undefined) env[ENV.externalId] = config.externalId;
  env[ENV.policy] = policyJson(config);
  // Only when on: the handler's defaults are enforcement off, and the environment holds 4 KB in all.
  if (config.enforcement.mode !== 'off') {
    env[ENV.enforcement] = JSON.stringify(config.enforcement);
    env[ENV.remediationRoleName] = config.remediationRoleName;
  }
  env[ENV.reportTopicArn] = resources.reportTopicArn;
  env[ENV.alertTopicArn] = resources.alertTopicArn;
  env[ENV.alertSeverity] = config.alertSeverity;
  env[ENV.alertWindowHours] = String(maxGapHours(config.schedules.alerts.weekDay));
  env[ENV.concurrency] = String(config.concurrency);
  const { production } = config;
  if (
    production.accounts.length > 0 ||
    production.ous.length > 0 ||
    Object.keys(production.accountTag).length > 0
  ) {
    env[ENV.production] = JSON.stringify(production);
  }
  if (resources.history !== undefined) env[ENV.history] = resources.history;
  if (config.securityHub) env[ENV.securityHub] = 'true';
  env[ENV.serviceName] = SERVICE_NAME;
  env[ENV.metricsNamespace] = METRICS_NAMESPACE;
  env.POWERTOOLS_LOG_LEVEL = 'INFO';
  env.NODE_OPTIONS = '--enable-source-maps';
  const bytes = environmentBytes(env);
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw new ConfigurationError([
      `${CONFIG_CONTEXT_KEY}: the scanner's Lambda environment would be ${bytes} bytes, more than the ${MAX_ENVIRONMENT_BYTES} Lambda allows: exempt users with IAM user tags instead of configured exemptions, or name production accounts by OU or tag`,
    ]);
  }
  return env;
};

/** The most a Lambda function's environment may hold, keys and values together, in bytes. */
export const MAX_ENVIRONMENT_BYTES = 4_096;

/** The size Lambda counts for an environment: every key and value, UTF-8. */
export const environmentBytes = (env: Readonly<Record<string, string>>): number =>
  Object.entries(env).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
