/**
 * The handler's configuration, read from the environment the CDK stack sets (lib/scanner-environment.ts),
 * validated once at cold start. Every problem is reported at once, each naming its variable, so one failed
 * deployment shows every fix. An unknown `KEY_AUDIT_*` variable is a problem too: a typo such as
 * `KEY_AUDIT_ACOUNTS` would otherwise quietly scan the wrong accounts.
 */
import { validateExternalId, validateRoleName } from '../aws/sts-sessions.ts';
import { isTopicArn } from '../domain/aws-ids.ts';
import { didYouMean } from '../domain/did-you-mean.ts';
import { ConfigurationError } from '../domain/errors.ts';
import type { Policy } from '../domain/policy.ts';
import { resolvePolicy } from '../domain/policy-config.ts';
import { isSeverity, type Severity } from '../domain/severity.ts';
import { type ScanTargets, validateAccountId, validateOuId } from '../scan/targets.ts';

/** Every variable the handler reads, with its default where it has one. */
export const ENV = {
  source: 'KEY_AUDIT_SOURCE',
  accounts: 'KEY_AUDIT_ACCOUNTS',
  org: 'KEY_AUDIT_ORG',
  ous: 'KEY_AUDIT_OUS',
  exclude: 'KEY_AUDIT_EXCLUDE',
  roleName: 'KEY_AUDIT_ROLE_NAME',
  externalId: 'KEY_AUDIT_EXTERNAL_ID',
  policy: 'KEY_AUDIT_POLICY',
  reportTopicArn: 'KEY_AUDIT_REPORT_TOPIC_ARN',
  alertTopicArn: 'KEY_AUDIT_ALERT_TOPIC_ARN',
  alertSeverity: 'KEY_AUDIT_ALERT_SEVERITY',
  alertWindowHours: 'KEY_AUDIT_ALERT_WINDOW_HOURS',
  concurrency: 'KEY_AUDIT_CONCURRENCY',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** Defaults of the optional variables. */
export const ENV_DEFAULTS = {
  source: 'report',
  roleName: 'KeyAuditReadOnly',
  alertSeverity: 'high',
  alertWindowHours: 24,
  concurrency: 4,
  serviceName: 'key-audit',
  metricsNamespace: 'KeyAudit',
} as const;

/** Most accounts scanned in parallel: beyond this, the caller's own STS bucket throttles every AssumeRole. */
export const MAX_CONCURRENCY = 50;

/** Longest alert window: a year. */
export const MAX_ALERT_WINDOW_HOURS = 24 * 366;

/** The validated configuration. */
export interface HandlerConfig {
  readonly source: 'report' | 'api';
  readonly targets: ScanTargets;
  readonly roleName: string;
  readonly externalId?: string;
  readonly policy: Policy;
  readonly reportTopicArn: string;
  readonly alertTopicArn: string;
  readonly alertSeverity: Severity;
  /** The longest gap between two alert runs, as the stack computed it from the schedule. */
  readonly alertWindowHours: number;
  readonly concurrency: number;
  /** Powertools service name: the `service` dimension of every metric. */
  readonly serviceName: string;
  /** CloudWatch namespace of the metrics. */
  readonly metricsNamespace: string;
}

/** The environment, as `process.env` has it. */
export type Environment = Readonly<Record<string, string | undefined>>;

const KNOWN = new Set<string>(Object.values(ENV));

const show = (value: string): string => JSON.stringify(value);

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * Reads and validates the handler's environment.
 * @throws ConfigurationError listing every problem, each `VARIABLE: problem`.
 */
export const parseHandlerConfig = (env: Environment): HandlerConfig => {
  const problems: string[] = [];
  /** The trimmed value, or undefined when unset or blank (CloudFormation cannot unset, only blank). */
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const check = <T>(name: string, value: string, validate: (v: string) => T): T | undefined => {
    try {
      return validate(value);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      return undefined;
    }
  };

  for (const name of Object.keys(env)) {
    if (!name.startsWith('KEY_AUDIT_') || KNOWN.has(name)) continue;
    const near = didYouMean(name, KNOWN);
    problems.push(`${name}: unknown variable${near === undefined ? '' : ` (did you mean ${near}?)`}`);
  }

  const source = read(ENV.source) ?? ENV_DEFAULTS.source;
  if (source !== 'report' && source !== 'api')
    problems.push(`${ENV.source}: ${show(source)} is not report or api`);

  const org = read(ENV.org);
  if (org !== undefined && org !== 'true' && org !== 'false') {
    problems.push(`${ENV.org}: ${show(org)} is not true or false`);
  }
  const organisation = org === 'true';
  const accountsValue = read(ENV.accounts);
  const ousValue = read(ENV.ous);
  const excludeValue = read(ENV.exclude);
  const ids = (name: string, value: string | undefined, validate: (v: string) => string): string[] =>
    value === undefined
      ? []
      : list(value).flatMap((id) => {
          const valid = check(name, id, validate);
          return valid === undefined ? [] : [valid];
        });
  const accounts = ids(ENV.accounts, accountsValue, validateAccountId);
  const ous = ids(ENV.ous, ousValue, validateOuId);
  const exclude = ids(ENV.exclude, excludeValue, validateAccountId);
  if (organisation && accountsValue !== undefined) {
    problems.push(`${ENV.accounts}: cannot be combined with ${ENV.org}=true (set one or the other)`);
  }
  if (!organisation) {
    for (const [name, value] of [
      [ENV.ous, ousValue],
      [ENV.exclude, excludeValue],
    ] as const) {
      if (value !== undefined) problems.push(`${name}: needs ${ENV.org}=true`);
    }
  }
  if (accountsValue !== undefined && list(accountsValue).length === 0) {
    problems.push(`${ENV.accounts}: ${show(accountsValue)} lists no account id`);
  }
  const targets: ScanTargets = organisation
    ? { kind: 'organisation', ous, exclude }
    : accountsValue !== undefined
      ? { kind: 'accounts', accountIds: accounts }
      : { kind: 'caller' };

  const roleName = check(ENV.roleName, read(ENV.roleName) ?? ENV_DEFAULTS.roleName, validateRoleName);
  const externalIdValue = read(ENV.externalId);
  const externalId =
    externalIdValue === undefined ? undefined : check(ENV.externalId, externalIdValue, validateExternalId);

  let policy: Policy | undefined;
  const policyValue = read(ENV.policy);
  let policyInput: unknown;
  if (policyValue !== undefined) {
    try {
      policyInput = JSON.parse(policyValue);
    } catch (error) {
      problems.push(`${ENV.policy}: not valid JSON: ${(error as Error).message}`);
    }
  }
  if (policyValue === undefined || policyInput !== undefined) {
    try {
      policy = resolvePolicy(policyInput, ENV.policy);
    } catch (error) {
      if (error instanceof ConfigurationError) problems.push(...error.problems);
      else throw error;
    }
  }

  const topic = (name: string): string | undefined => {
    const value = read(name);
    if (value === undefined) problems.push(`${name}: missing (the SNS topic ARN to publish to)`);
    else if (!isTopicArn(value)) {
      problems.push(`${name}: ${show(value)} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`);
    } else return value;
    return undefined;
  };
  const reportTopicArn = topic(ENV.reportTopicArn);
  const alertTopicArn = topic(ENV.alertTopicArn);

  const severityValue = read(ENV.alertSeverity) ?? ENV_DEFAULTS.alertSeverity;
  if (!isSeverity(severityValue)) {
    problems.push(`${ENV.alertSeverity}: ${show(severityValue)} is not critical, high, medium, low or info`);
  }

  const whole = (name: string, fallback: number, max: number, unit: string): number => {
    const value = read(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
      problems.push(`${name}: ${show(value)} is not a whole number of ${unit} from 1 to ${max}`);
      return fallback;
    }
    return Number(value);
  };
  const alertWindowHours = whole(
    ENV.alertWindowHours,
    ENV_DEFAULTS.alertWindowHours,
    MAX_ALERT_WINDOW_HOURS,
    'hours',
  );
  const concurrency = whole(ENV.concurrency, ENV_DEFAULTS.concurrency, MAX_CONCURRENCY, 'accounts');

  if (
    problems.length > 0 ||
    roleName === undefined ||
    policy === undefined ||
    reportTopicArn === undefined ||
    alertTopicArn === undefined ||
    !isSeverity(severityValue)
  ) {
    throw new ConfigurationError(problems);
  }
  return {
    source: source === 'api' ? 'api' : 'report',
    targets,
    roleName,
    ...(externalId === undefined ? {} : { externalId }),
    policy,
    reportTopicArn,
    alertTopicArn,
    alertSeverity: severityValue,
    alertWindowHours,
    concurrency,
    serviceName: read(ENV.serviceName) ?? ENV_DEFAULTS.serviceName,
    metricsNamespace: read(ENV.metricsNamespace) ?? ENV_DEFAULTS.metricsNamespace,
  };
};
