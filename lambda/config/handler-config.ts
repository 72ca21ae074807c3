/**
 * The handler's configuration, read from the environment the CDK stack sets (lib/scanner-environment.ts):
 * the Lambda's encoding of the scan settings and the policy declared in `scan-settings.ts` and
 * `lambda/domain/policy-config.ts`, plus what only the function needs (topics, alert window, metric
 * names). Validated once at cold start; every problem is reported at once, each naming its variable, so
 * one failed deployment shows every fix. An unknown `KEY_AUDIT_*` variable is a problem too: a typo such
 * as `KEY_AUDIT_ACOUNTS` would otherwise quietly scan the wrong accounts.
 */
import * as z from 'zod/mini';
import { TOPIC_ARN_RULE } from '../domain/aws-ids.ts';
import { didYouMean } from '../domain/did-you-mean.ts';
import { ConfigurationError } from '../domain/errors.ts';
import { DEFAULT_POLICY, frozen, POLICY_SCHEMA, type Policy } from '../domain/policy-config.ts';
import type { Severity } from '../domain/severity.ts';
import type { ScanTargets } from '../scan/targets.ts';
import {
  ASSUMED_ROLE_NAME,
  MAX_CONCURRENCY,
  type ModeInput,
  modeProblems,
  SCAN_DEFAULTS,
  SCAN_SETTINGS,
} from './scan-settings.ts';
import {
  flag,
  identifier,
  type Problem,
  problemsOf,
  relation,
  show,
  strict,
  text,
  valueFromText,
  wholeNumber,
} from './schema-kit.ts';

export { MAX_CONCURRENCY };

/** Every variable the handler reads, by the setting it carries. */
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
  history: 'KEY_AUDIT_HISTORY',
  securityHub: 'KEY_AUDIT_SECURITY_HUB',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** Powertools service name; Powertools Metrics adds it as the `service` dimension of every metric. */
export const SERVICE_NAME = 'key-audit';
/** CloudWatch namespace of the handler's metrics. */
export const METRICS_NAMESPACE = 'KeyAudit';
/** Longest alert window: a year. */
export const MAX_ALERT_WINDOW_HOURS = 24 * 366;
/** The alert window of a daily alerts job. */
const DAILY_HOURS = 24;

const topicArn = () =>
  identifier(TOPIC_ARN_RULE, (value) =>
    value === undefined ? 'missing (the SNS topic ARN to publish to)' : undefined,
  );

/** The settings as the handler reads them; `org` is the configuration's `organisation`. */
const HANDLER_SETTINGS = {
  source: SCAN_SETTINGS.source,
  accounts: SCAN_SETTINGS.accounts,
  org: SCAN_SETTINGS.organisation,
  ous: SCAN_SETTINGS.ous,
  exclude: SCAN_SETTINGS.exclude,
  roleName: ASSUMED_ROLE_NAME,
  externalId: SCAN_SETTINGS.externalId,
  policy: z.optional(POLICY_SCHEMA),
  reportTopicArn: topicArn(),
  alertTopicArn: topicArn(),
  alertSeverity: SCAN_SETTINGS.alertSeverity,
  alertWindowHours: z._default(
    wholeNumber({ min: 1, max: MAX_ALERT_WINDOW_HOURS, unit: 'hours' }),
    DAILY_HOURS,
  ),
  concurrency: SCAN_SETTINGS.concurrency,
  history: z.optional(
    text(
      (v) => v.startsWith('s3://'),
      (v) => `${show(v)} is not an S3 history location (s3://bucket/ or s3://bucket/prefix/)`,
    ),
  ),
  securityHub: z.optional(flag()),
  serviceName: z._default(z.string(), SERVICE_NAME),
  metricsNamespace: z._default(z.string(), METRICS_NAMESPACE),
};

const HANDLER_ENVIRONMENT = strict(HANDLER_SETTINGS).check(
  relation<{ org: boolean } & Omit<ModeInput, 'organisation'>>(
    ['org', 'accounts', 'ous', 'exclude'],
    (value, report) => {
      for (const { key, problem } of modeProblems(
        { ...value, organisation: value.org },
        { organisationOn: `${ENV.org}=true` },
      )) {
        report(key, problem);
      }
    },
  ),
);

/** Defaults of the optional variables. */
export const ENV_DEFAULTS = {
  source: SCAN_DEFAULTS.source,
  roleName: SCAN_DEFAULTS.roleName,
  alertSeverity: SCAN_DEFAULTS.alertSeverity,
  alertWindowHours: DAILY_HOURS,
  concurrency: SCAN_DEFAULTS.concurrency,
  serviceName: SERVICE_NAME,
  metricsNamespace: METRICS_NAMESPACE,
} as const;

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
  /** Where the history lives (`s3://bucket/` or `s3://bucket/prefix/`); none: runs without a history. */
  readonly history?: string;
  /** Import the findings into Security Hub (`KEY_AUDIT_SECURITY_HUB=true`); unset: no import. */
  readonly securityHub?: boolean;
  /** Powertools service name: the `service` dimension of every metric. */
  readonly serviceName: string;
  /** CloudWatch namespace of the metrics. */
  readonly metricsNamespace: string;
}

/** The environment, as `process.env` has it. */
export type Environment = Readonly<Record<string, string | undefined>>;

const KNOWN = new Set<string>(Object.values(ENV));

/** `VARIABLE: problem`; inside the policy JSON, `KEY_AUDIT_POLICY: field: problem`. List positions are left out. */
const named = ({ path, problem }: Problem): string => {
  const [key = '', rest = ''] = /^(\w+)(.*)$/.exec(path)?.slice(1) ?? [];
  const variable = ENV[key as keyof typeof ENV] ?? key;
  const inner = rest.startsWith('.') ? rest.slice(1) : '';
  return inner === '' ? `${variable}: ${problem}` : `${variable}: ${inner}: ${problem}`;
};

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

  for (const name of Object.keys(env)) {
    if (!name.startsWith('KEY_AUDIT_') || KNOWN.has(name)) continue;
    const near = didYouMean(name, KNOWN);
    problems.push(`${name}: unknown variable${near === undefined ? '' : ` (did you mean ${near}?)`}`);
  }

  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV) as [keyof typeof ENV, string][]) {
    const value = read(name);
    if (value === undefined) continue;
    if (key !== 'policy') raw[key] = valueFromText(HANDLER_SETTINGS[key], value);
    else {
      try {
        raw[key] = JSON.parse(value);
      } catch (error) {
        problems.push(`${name}: not valid JSON: ${(error as Error).message}`);
      }
    }
  }
  const accountsValue = read(ENV.accounts);
  if (accountsValue !== undefined && (raw.accounts as readonly string[]).length === 0) {
    problems.push(`${ENV.accounts}: ${JSON.stringify(accountsValue)} lists no account id`);
  }

  const result = HANDLER_ENVIRONMENT.safeParse(raw);
  if (!result.success) problems.push(...problemsOf(result.error.issues, HANDLER_ENVIRONMENT).map(named));
  if (!result.success || problems.length > 0) throw new ConfigurationError(problems);

  const { org, ous, exclude, accounts, policy, externalId, history, securityHub, ...rest } = result.data;
  const targets: ScanTargets = org
    ? { kind: 'organisation', ous, exclude }
    : accountsValue !== undefined
      ? { kind: 'accounts', accountIds: accounts }
      : { kind: 'caller' };
  return {
    ...rest,
    targets,
    ...(externalId === undefined ? {} : { externalId }),
    ...(history === undefined ? {} : { history }),
    ...(securityHub === undefined ? {} : { securityHub }),
    policy: policy === undefined ? DEFAULT_POLICY : frozen(policy),
  };
};
