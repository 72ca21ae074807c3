/**
 * The environment contract between the stack and the handler (lambda/handler.ts reads exactly these
 * names), and the metric contract the alarms rely on.
 */
import { type KeyAuditConfig, maxGapHours, policyJson } from './config.ts';

/** Powertools service name; Powertools Metrics adds it as the `service` dimension of every metric. */
export const SERVICE_NAME = 'key-audit';
/** CloudWatch namespace of the handler's metrics (and the only one the scanner may write to). */
export const METRICS_NAMESPACE = 'KeyAudit';
/** Count of accounts the handler could not scan in a run (dimension `service` = `SERVICE_NAME`). */
export const ACCOUNTS_FAILED_METRIC = 'AccountsFailed';

/** ARNs the handler publishes to. */
export interface ScannerTopicArns {
  /** `KEY_AUDIT_REPORT_TOPIC_ARN`. */
  readonly reportTopicArn: string;
  /** `KEY_AUDIT_ALERT_TOPIC_ARN`. */
  readonly alertTopicArn: string;
}

/**
 * The Lambda environment for `config`. Mode: `KEY_AUDIT_ORG=true` (+ `KEY_AUDIT_OUS`, `KEY_AUDIT_EXCLUDE`
 * when non-empty), else `KEY_AUDIT_ACCOUNTS` when accounts are listed, else neither: the own account.
 * `KEY_AUDIT_ALERT_WINDOW_HOURS` is the longest gap between two alert runs (24 for a daily schedule).
 * `NODE_OPTIONS=--enable-source-maps` makes stack traces point into the TypeScript sources.
 */
export const scannerEnvironment = (
  config: KeyAuditConfig,
  topics: ScannerTopicArns,
): Record<string, string> => {
  const env: Record<string, string> = { KEY_AUDIT_SOURCE: config.source };
  if (config.organisation) {
    env.KEY_AUDIT_ORG = 'true';
    if (config.ous.length > 0) env.KEY_AUDIT_OUS = config.ous.join(',');
    if (config.exclude.length > 0) env.KEY_AUDIT_EXCLUDE = config.exclude.join(',');
  } else if (config.accounts.length > 0) {
    env.KEY_AUDIT_ACCOUNTS = config.accounts.join(',');
  }
  env.KEY_AUDIT_ROLE_NAME = config.roleName;
  if (config.externalId !== undefined) env.KEY_AUDIT_EXTERNAL_ID = config.externalId;
  env.KEY_AUDIT_POLICY = policyJson(config);
  env.KEY_AUDIT_REPORT_TOPIC_ARN = topics.reportTopicArn;
  env.KEY_AUDIT_ALERT_TOPIC_ARN = topics.alertTopicArn;
  env.KEY_AUDIT_ALERT_SEVERITY = config.alertSeverity;
  env.KEY_AUDIT_ALERT_WINDOW_HOURS = String(maxGapHours(config.schedules.alerts.weekDay));
  env.KEY_AUDIT_CONCURRENCY = String(config.concurrency);
  env.POWERTOOLS_SERVICE_NAME = SERVICE_NAME;
  env.POWERTOOLS_METRICS_NAMESPACE = METRICS_NAMESPACE;
  env.POWERTOOLS_LOG_LEVEL = 'INFO';
  env.NODE_OPTIONS = '--enable-source-maps';
  return env;
};
