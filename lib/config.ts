/**
 * The deployment configuration of key-audit: what to scan, how strict the policy is, when to run and whom
 * to tell. Read from the cdk.json context key `key-audit` (see `lib/config-context.ts`), validated here at
 * synth time so that a typo fails `cdk synth` with every problem listed at once instead of failing a
 * deployment (or, worse, a scheduled run) later.
 */

import { ACCOUNT_ID, OU_ID, ROOT_ID } from '../lambda/domain/aws-ids.ts';
import { ConfigurationError } from '../lambda/domain/errors.ts';
import { type ConfiguredExemption, DEFAULT_POLICY, type Policy } from '../lambda/domain/policy.ts';
import { checkPolicy } from '../lambda/domain/policy-config.ts';
import { isSeverity, SEVERITIES, type Severity } from '../lambda/domain/severity.ts';

/** The context key the configuration is read from (`cdk.json` → `context` → `key-audit`). */
export const CONFIG_CONTEXT_KEY = 'key-audit';

/** When one scheduled job runs. Each job runs at most once a day: `minute` and `hour` are single values. */
export interface ScheduleConfig {
  /** Create the schedule enabled; `false` keeps it deployed but DISABLED. @default true */
  readonly enabled: boolean;
  /** Minute of the hour, 0-59. @default 0 */
  readonly minute: number;
  /** Hour of the day, 0-23, in `timeZone`. @default 9 */
  readonly hour: number;
  /**
   * Days of the week in AWS cron syntax: `*` (every day), a day (`MON` or `2`; 1 = SUN), a range
   * (`MON-FRI`) or a list (`MON,WED,FRI`). @default 'MON' for the report, '*' for alerts
   */
  readonly weekDay: string;
  /** IANA time zone; EventBridge Scheduler follows its daylight-saving changes. @default 'Europe/London' */
  readonly timeZone: string;
}

/** Both scheduled jobs. */
export interface SchedulesConfig {
  /** The full report (`{"job":"report"}`). @default Monday 09:00 Europe/London */
  readonly report: ScheduleConfig;
  /** The alerts job (`{"job":"alerts"}`): only findings at or above `alertSeverity`. @default daily 09:00 Europe/London */
  readonly alerts: ScheduleConfig;
}

/** Slack delivery through AWS Chatbot. The workspace must be authorised in the Chatbot console first. */
export interface SlackConfig {
  /** Slack workspace (team) id, e.g. `T0123ABCDE`. */
  readonly workspaceId: string;
  /** Channel id for reports, e.g. `C0123ABCDE`. @default no Slack delivery of reports */
  readonly reportChannelId?: string;
  /** Channel id for alerts and alarms. @default no Slack delivery of alerts */
  readonly alertChannelId?: string;
}

/** The organisation-wide StackSet that creates the member role in every account of its targets. */
export interface StackSetConfig {
  /** Organisation root (`r-xxxx`) or OU ids (`ou-xxxx-xxxxxxxx`) to deploy the member role to. */
  readonly targets: readonly string[];
  /**
   * The single region of the stack instances. One region only: the role name is account-wide (IAM is
   * global), so a second region would collide. @default 'us-east-1'
   */
  readonly region: string;
  /** `SELF` from the management account, `DELEGATED_ADMIN` from a delegated administrator. @default 'SELF' */
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
}

/** Size of the scanner Lambda function. */
export interface LambdaConfig {
  /**
   * Memory in MB (CPU scales with it). 1,024 MB leaves room for a large organisation: up to 5,000 users per
   * account, credential reports parsed in memory, several accounts scanned concurrently. @default 1024
   */
  readonly memoryMb: number;
  /**
   * Timeout in seconds, at most 900 (the Lambda maximum): an organisation scan with API calls per user and
   * backoff on IAM throttling takes minutes. @default 900
   */
  readonly timeoutSeconds: number;
  /**
   * Reserved concurrency. Unset by default: accounts whose concurrency quota is 10 (new accounts) cannot
   * reserve any, and the daily alerts and weekly report start together on Mondays, so a reservation of 1
   * would throttle one of them every week. @default none
   */
  readonly reservedConcurrency?: number;
}

/** The whole configuration, every default applied. */
export interface KeyAuditConfig {
  /** Account mode: scan these accounts through the member role. Empty and no `organisation`: own account. @default [] */
  readonly accounts: readonly string[];
  /** Organisation mode: scan every account of the organisation (or of `ous`). @default false */
  readonly organisation: boolean;
  /** Organisation id `o-xxxxxxxxxx`; required in organisation mode (the role ARN condition uses it). @default none */
  readonly organisationId?: string;
  /** Organisation mode: only accounts under these OUs (or root `r-xxxx`). Empty: whole organisation. @default [] */
  readonly ous: readonly string[];
  /** Organisation mode: account ids never scanned. @default [] */
  readonly exclude: readonly string[];
  /** Name of the read-only role in each scanned account. @default 'KeyAuditReadOnly' */
  readonly roleName: string;
  /** `sts:ExternalId` the member role requires and the scanner sends. @default none */
  readonly externalId?: string;
  /** Fixed name of the scanner's execution role, so that member roles can trust its exact ARN. @default 'key-audit-scanner' */
  readonly scannerRoleName: string;
  /** Account the ScannerStack is deployed to; member roles trust its scanner role. @default the account each member-role stack is deployed to */
  readonly scannerAccountId?: string;
  /** Where key data comes from: the IAM credential report (fast, up to 4 h stale) or the IAM API. @default 'report' */
  readonly source: 'report' | 'api';
  /** Keys older than this many days must be rotated. @default 90 */
  readonly maxKeyAgeDays: number;
  /** Warn this many days before `maxKeyAgeDays`. @default 14 */
  readonly warnDays: number;
  /** A key unused (or never used) this many days should be removed. @default 45 */
  readonly unusedDays: number;
  /** Two active keys count as a rotation in progress for this many days. @default 7 */
  readonly rotationGraceDays: number;
  /** Too-old keys become critical beyond this multiple of `maxKeyAgeDays`. @default 2 */
  readonly criticalAgeMultiplier: number;
  /** Users excused from the policy until a date, each with a reason. @default [] */
  readonly exemptions: readonly ConfiguredExemption[];
  /** When the report and alert jobs run. */
  readonly schedules: SchedulesConfig;
  /** Email addresses subscribed to the report topic (each must confirm). @default [] */
  readonly reportEmails: readonly string[];
  /** Email addresses subscribed to the alert topic (alerts and alarms). @default [] */
  readonly alertEmails: readonly string[];
  /** Slack channels through AWS Chatbot. @default none */
  readonly slack?: SlackConfig;
  /** Lowest finding severity the alerts job sends. @default 'high' */
  readonly alertSeverity: Severity;
  /** Accounts scanned in parallel. @default 4 */
  readonly concurrency: number;
  /** Days the scanner's logs are kept (a CloudWatch Logs retention value). @default 90 */
  readonly logRetentionDays: number;
  /** Lambda sizing. */
  readonly lambda: LambdaConfig;
  /** Organisation-wide member role StackSet; its stack is only synthesized when this is set. @default none */
  readonly stackSet?: StackSetConfig;
}

/** Every default, as documented on `KeyAuditConfig`. */
export const DEFAULT_CONFIG: KeyAuditConfig = Object.freeze({
  accounts: [],
  organisation: false,
  ous: [],
  exclude: [],
  roleName: 'KeyAuditReadOnly',
  scannerRoleName: 'key-audit-scanner',
  source: 'report',
  maxKeyAgeDays: DEFAULT_POLICY.maxKeyAgeDays,
  warnDays: DEFAULT_POLICY.warnDays,
  unusedDays: DEFAULT_POLICY.unusedDays,
  rotationGraceDays: DEFAULT_POLICY.rotationGraceDays,
  criticalAgeMultiplier: DEFAULT_POLICY.criticalAgeMultiplier,
  exemptions: [],
  schedules: {
    report: { enabled: true, minute: 0, hour: 9, weekDay: 'MON', timeZone: 'Europe/London' },
    alerts: { enabled: true, minute: 0, hour: 9, weekDay: '*', timeZone: 'Europe/London' },
  },
  reportEmails: [],
  alertEmails: [],
  alertSeverity: 'high',
  concurrency: 4,
  logRetentionDays: 90,
  lambda: { memoryMb: 1024, timeoutSeconds: 900 },
});

/** Default of the StackSet fields other than `targets`. */
export const DEFAULT_STACKSET: Omit<StackSetConfig, 'targets'> = Object.freeze({
  region: 'us-east-1',
  callAs: 'SELF',
});

/** Retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** The Lambda environment holds at most 4 KB; the policy JSON must leave room for the other variables. */
export const MAX_POLICY_JSON_BYTES = 3_000;

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SLACK_WORKSPACE = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL = /^[A-Za-z0-9]{1,255}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const CAPITALISED_ZONE = /^[A-Z][A-Za-z_]*(\/[A-Z][A-Za-z0-9_+-]*)*$/;

const SUPPORTED_ZONES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('timeZone'));

/**
 * True for an IANA time zone name. `Intl.supportedValuesOf` lists canonical names only, so `UTC` and
 * current aliases the runtime resolves (e.g. `Europe/Kyiv` on an older ICU) are accepted when spelt with
 * the canonical capitalisation.
 */
export const isIanaTimeZone = (name: string): boolean => {
  if (SUPPORTED_ZONES.has(name) || name === 'UTC') return true;
  if (!CAPITALISED_ZONE.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
};

/**
 * Days (0 = SUN .. 6 = SAT) of an AWS cron day-of-week field, or `null` when the field is not one of the
 * supported forms (`*`, `?`, a day, a range, a list of days or ranges).
 */
export const parseWeekDays = (field: string): readonly number[] | null => {
  if (field === '*' || field === '?') return [0, 1, 2, 3, 4, 5, 6];
  const day = (token: string): number | null => {
    const named = (DAYS as readonly string[]).indexOf(token.toUpperCase());
    if (named >= 0) return named;
    if (/^[1-7]$/.test(token)) return Number(token) - 1;
    return null;
  };
  const days = new Set<number>();
  for (const part of field.split(',')) {
    const [from, to, extra] = part.split('-');
    if (from === undefined || extra !== undefined) return null;
    const start = day(from);
    const end = to === undefined ? start : day(to);
    if (start === null || end === null || end < start) return null;
    for (let d = start; d <= end; d += 1) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
};

/**
 * Hours between two runs of a once-a-day schedule on `weekDay` at most: 24 for a daily job, 72 for
 * MON-FRI (Friday to Monday), 168 for a weekly one. Daylight-saving changes shift single gaps by an hour;
 * the handler allows for that itself.
 */
export const maxGapHours = (weekDay: string): number => {
  const days = parseWeekDays(weekDay);
  if (days === null || days.length === 0) throw new ConfigurationError([`weekDay "${weekDay}" is not valid`]);
  let gap = 0;
  days.forEach((d, i) => {
    const next = days[(i + 1) % days.length] ?? d;
    gap = Math.max(gap, next > d ? next - d : next - d + 7);
  });
  return gap * 24;
};

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));

/** Collects problems as `key-audit.<path>: <problem>` so that all of them are reported together. */
class Problems {
  readonly list: string[] = [];
  add(path: string, problem: string): void {
    this.list.push(`${path}: ${problem}`);
  }
}

/** Reads one object level, reporting keys nobody reads (typos) when `done` is called. */
class Reader {
  private readonly seen = new Set<string>();
  constructor(
    private readonly obj: JsonObject,
    readonly path: string,
    private readonly problems: Problems,
  ) {}

  at(key: string): string {
    return `${this.path}.${key}`;
  }

  raw(key: string): unknown {
    this.seen.add(key);
    return this.obj[key];
  }

  string(key: string, fallback: string, check?: (v: string) => string | null): string {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'string') {
      this.problems.add(this.at(key), `${show(v)} must be a string`);
      return fallback;
    }
    const problem = check?.(v) ?? null;
    if (problem !== null) this.problems.add(this.at(key), problem);
    return v;
  }

  optionalString(key: string, check: (v: string) => string | null): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    return this.string(key, '', check);
  }

  integer(key: string, fallback: number, min: number, max: number, unit = ''): number {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}-${max}`;
      this.problems.add(this.at(key), `${show(v)} must be an integer ${range}${unit}`);
      return fallback;
    }
    return v;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.problems.add(this.at(key), `${show(v)} must be true or false`);
      return fallback;
    }
    return v;
  }

  list<T>(key: string, item: (value: unknown, path: string) => T | null): T[] {
    const v = this.raw(key);
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.problems.add(this.at(key), `${show(v)} must be a list`);
      return [];
    }
    const out: T[] = [];
    v.forEach((element: unknown, i) => {
      const parsed = item(element, `${this.at(key)}[${i}]`);
      if (parsed !== null) out.push(parsed);
    });
    return out;
  }

  child(key: string): Reader | null {
    const v = this.raw(key);
    if (v === undefined) return null;
    if (!isObject(v)) {
      this.problems.add(this.at(key), `${show(v)} must be an object`);
      return null;
    }
    return new Reader(v, this.at(key), this.problems);
  }

  /** Reports unread keys; keys starting with `//` are comments (JSON has none). */
  done(): void {
    for (const key of Object.keys(this.obj)) {
      if (!this.seen.has(key) && !key.startsWith('//')) this.problems.add(this.at(key), 'unknown key');
    }
  }
}

const accountItem =
  (problems: Problems) =>
  (value: unknown, path: string): string | null => {
    if (typeof value === 'number') {
      problems.add(path, `${value} must be a quoted string of 12 digits (a JSON number loses leading zeros)`);
      return null;
    }
    if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) {
      problems.add(path, `${show(value)} is not a 12-digit account id`);
      return null;
    }
    return value;
  };

const matching =
  (problems: Problems, pattern: RegExp, what: string) =>
  (value: unknown, path: string): string | null => {
    if (typeof value !== 'string' || !pattern.test(value)) {
      problems.add(path, `${show(value)} is not ${what}`);
      return null;
    }
    return value;
  };

/** The configuration keys that make up the rotation policy (see lambda/domain/policy-config.ts). */
const POLICY_FIELDS: readonly (keyof Policy)[] = [
  'maxKeyAgeDays',
  'warnDays',
  'unusedDays',
  'rotationGraceDays',
  'criticalAgeMultiplier',
  'exemptions',
];

const readSchedule = (parent: Reader, key: string, fallback: ScheduleConfig): ScheduleConfig => {
  const r = parent.child(key);
  if (r === null) return fallback;
  const schedule: ScheduleConfig = {
    enabled: r.boolean('enabled', fallback.enabled),
    minute: r.integer('minute', fallback.minute, 0, 59),
    hour: r.integer('hour', fallback.hour, 0, 23),
    weekDay: r.string('weekDay', fallback.weekDay, (v) =>
      parseWeekDays(v) === null
        ? `${show(v)} is not a day-of-week field (*, MON, 2, MON-FRI or MON,WED,FRI; 1 = SUN)`
        : null,
    ),
    timeZone: r.string('timeZone', fallback.timeZone, (v) =>
      isIanaTimeZone(v) ? null : `${show(v)} is not an IANA time zone`,
    ),
  };
  r.done();
  return schedule;
};

const readSlack = (root: Reader, problems: Problems): SlackConfig | undefined => {
  const r = root.child('slack');
  if (r === null) return undefined;
  const channel = (v: string): string | null =>
    SLACK_CHANNEL.test(v) ? null : `${show(v)} is not a Slack channel id (e.g. C0123ABCDE)`;
  const workspaceRaw = r.raw('workspaceId');
  const workspaceId = r.string('workspaceId', '', (v) =>
    SLACK_WORKSPACE.test(v) ? null : `${show(v)} is not a Slack workspace id (e.g. T0123ABCDE)`,
  );
  if (workspaceRaw === undefined) problems.add(r.at('workspaceId'), 'is required when slack is set');
  const reportChannelId = r.optionalString('reportChannelId', channel);
  const alertChannelId = r.optionalString('alertChannelId', channel);
  if (reportChannelId === undefined && alertChannelId === undefined) {
    problems.add(r.path, 'needs reportChannelId, alertChannelId or both');
  }
  r.done();
  return {
    workspaceId,
    ...(reportChannelId === undefined ? {} : { reportChannelId }),
    ...(alertChannelId === undefined ? {} : { alertChannelId }),
  };
};

const readStackSet = (root: Reader, problems: Problems): StackSetConfig | undefined => {
  const r = root.child('stackSet');
  if (r === null) return undefined;
  const targets = r.list(
    'targets',
    matching(
      problems,
      new RegExp(`${ROOT_ID.source}|${OU_ID.source}`),
      'a root id (r-xxxx) or OU id (ou-xxxx-xxxxxxxx)',
    ),
  );
  if (targets.length === 0 && !problems.list.some((p) => p.startsWith(r.at('targets')))) {
    problems.add(r.at('targets'), 'needs at least one root or OU id');
  }
  const region = r.string('region', DEFAULT_STACKSET.region, (v) =>
    REGION.test(v) ? null : `${show(v)} is not an AWS region (exactly one region: IAM role names are global)`,
  );
  const callAs = r.string('callAs', DEFAULT_STACKSET.callAs, (v) =>
    v === 'SELF' || v === 'DELEGATED_ADMIN' ? null : `${show(v)} must be "SELF" or "DELEGATED_ADMIN"`,
  );
  r.done();
  return { targets, region, callAs: callAs === 'DELEGATED_ADMIN' ? 'DELEGATED_ADMIN' : 'SELF' };
};

const readLambda = (root: Reader): LambdaConfig => {
  const r = root.child('lambda');
  if (r === null) return DEFAULT_CONFIG.lambda;
  const memoryMb = r.integer('memoryMb', DEFAULT_CONFIG.lambda.memoryMb, 128, 10_240, ' (MB)');
  const timeoutSeconds = r.integer('timeoutSeconds', DEFAULT_CONFIG.lambda.timeoutSeconds, 1, 900, ' (s)');
  const reserved =
    r.raw('reservedConcurrency') === undefined ? undefined : r.integer('reservedConcurrency', 1, 1, 1_000);
  r.done();
  return { memoryMb, timeoutSeconds, ...(reserved === undefined ? {} : { reservedConcurrency: reserved }) };
};

/**
 * Validates raw configuration (parsed JSON from cdk.json / `-c`) and applies defaults.
 * @throws ConfigurationError listing every problem, each as `key-audit.<field>: <problem>`.
 */
export const parseKeyAuditConfig = (input: unknown): KeyAuditConfig => {
  const problems = new Problems();
  if (input !== undefined && !isObject(input)) {
    throw new ConfigurationError([`${CONFIG_CONTEXT_KEY}: ${show(input)} must be an object`]);
  }
  const r = new Reader(input ?? {}, CONFIG_CONTEXT_KEY, problems);
  const d = DEFAULT_CONFIG;

  const accounts = r.list('accounts', accountItem(problems));
  const organisation = r.boolean('organisation', d.organisation);
  const organisationId = r.optionalString('organisationId', (v) =>
    ORG_ID.test(v) ? null : `${show(v)} is not an organisation id (o-xxxxxxxxxx)`,
  );
  const ous = r.list(
    'ous',
    matching(
      problems,
      new RegExp(`${OU_ID.source}|${ROOT_ID.source}`),
      'an OU id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)',
    ),
  );
  const exclude = r.list('exclude', accountItem(problems));
  const roleName = r.string('roleName', d.roleName, (v) =>
    ROLE_NAME.test(v) ? null : `${show(v)} is not an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-)`,
  );
  const externalId = r.optionalString('externalId', (v) =>
    EXTERNAL_ID.test(v) ? null : `${show(v)} is not a valid external id (2-1224 of A-Z a-z 0-9 +=,.@:/_-)`,
  );
  const scannerRoleName = r.string('scannerRoleName', d.scannerRoleName, (v) =>
    ROLE_NAME.test(v) ? null : `${show(v)} is not an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-)`,
  );
  const scannerAccountId = r.optionalString('scannerAccountId', (v) =>
    ACCOUNT_ID.test(v) ? null : `${show(v)} is not a 12-digit account id`,
  );
  const source = r.string('source', d.source, (v) =>
    v === 'report' || v === 'api' ? null : `${show(v)} must be "report" or "api"`,
  );
  // The policy fields are validated by the same code the CLI and the Lambda use, so that a configuration
  // that synthesizes is one the deployed handler accepts.
  const policyInput = Object.fromEntries(
    POLICY_FIELDS.map((key) => [key, r.raw(key)] as const).filter(([, value]) => value !== undefined),
  );
  const checkedPolicy = checkPolicy(policyInput);
  for (const { path, problem } of checkedPolicy.problems) problems.add(r.at(path), problem);
  const policy = 'policy' in checkedPolicy ? checkedPolicy.policy : DEFAULT_POLICY;
  const { maxKeyAgeDays, warnDays, unusedDays, rotationGraceDays, criticalAgeMultiplier, exemptions } =
    policy;

  const schedulesReader = r.child('schedules');
  const schedules: SchedulesConfig =
    schedulesReader === null
      ? d.schedules
      : {
          report: readSchedule(schedulesReader, 'report', d.schedules.report),
          alerts: readSchedule(schedulesReader, 'alerts', d.schedules.alerts),
        };
  schedulesReader?.done();

  const email = matching(problems, EMAIL, 'an email address');
  const reportEmails = r.list('reportEmails', email);
  const alertEmails = r.list('alertEmails', email);
  const slack = readSlack(r, problems);
  const alertSeverity = r.string('alertSeverity', d.alertSeverity, (v) =>
    isSeverity(v) ? null : `${show(v)} must be one of ${SEVERITIES.join(', ')}`,
  );
  const concurrency = r.integer('concurrency', d.concurrency, 1, 50);
  const logRetentionDays = r.integer('logRetentionDays', d.logRetentionDays, 1, 3_653, ' (days)');
  if (Number.isInteger(r.raw('logRetentionDays')) && !LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    problems.add(
      r.at('logRetentionDays'),
      `${logRetentionDays} is not a CloudWatch Logs retention (one of ${LOG_RETENTION_DAYS.join(', ')})`,
    );
  }
  const lambda = readLambda(r);
  const stackSet = readStackSet(r, problems);
  r.done();

  // Relations between fields, reported alongside the field problems above.
  if (organisation && accounts.length > 0) {
    problems.add(r.at('accounts'), 'cannot be combined with organisation: true (choose one mode)');
  }
  if (organisation && organisationId === undefined) {
    problems.add(r.at('organisationId'), 'is required when organisation is true');
  }
  if (!organisation && ous.length > 0) problems.add(r.at('ous'), 'is only used when organisation is true');
  if (!organisation && exclude.length > 0) {
    problems.add(r.at('exclude'), 'is only used when organisation is true');
  }
  const policyBytes = Buffer.byteLength(
    policyJson({ maxKeyAgeDays, warnDays, unusedDays, rotationGraceDays, criticalAgeMultiplier, exemptions }),
  );
  if (policyBytes > MAX_POLICY_JSON_BYTES) {
    problems.add(
      r.at('exemptions'),
      `the policy JSON is ${policyBytes} bytes, more than ${MAX_POLICY_JSON_BYTES} (the Lambda environment holds 4 KB); exempt users with IAM user tags instead`,
    );
  }

  if (problems.list.length > 0) throw new ConfigurationError(problems.list);
  return {
    accounts,
    organisation,
    ...(organisationId === undefined ? {} : { organisationId }),
    ous,
    exclude,
    roleName,
    ...(externalId === undefined ? {} : { externalId }),
    scannerRoleName,
    ...(scannerAccountId === undefined ? {} : { scannerAccountId }),
    source: source === 'api' ? 'api' : 'report',
    maxKeyAgeDays,
    warnDays,
    unusedDays,
    rotationGraceDays,
    criticalAgeMultiplier,
    exemptions,
    schedules,
    reportEmails,
    alertEmails,
    ...(slack === undefined ? {} : { slack }),
    alertSeverity: isSeverity(alertSeverity) ? alertSeverity : d.alertSeverity,
    concurrency,
    logRetentionDays,
    lambda,
    ...(stackSet === undefined ? {} : { stackSet }),
  };
};

/** The policy part of the configuration, as the handler reads it from `KEY_AUDIT_POLICY`. */
export const policyJson = (
  config: Pick<
    KeyAuditConfig,
    'maxKeyAgeDays' | 'warnDays' | 'unusedDays' | 'rotationGraceDays' | 'criticalAgeMultiplier' | 'exemptions'
  >,
): string =>
  JSON.stringify({
    maxKeyAgeDays: config.maxKeyAgeDays,
    warnDays: config.warnDays,
    unusedDays: config.unusedDays,
    rotationGraceDays: config.rotationGraceDays,
    criticalAgeMultiplier: config.criticalAgeMultiplier,
    exemptions: config.exemptions,
  });
