/**
 * The configuration reference as a Markdown table, for the README. Defaults are read from
 * `DEFAULT_CONFIG` / `DEFAULT_STACKSET`, so the table cannot drift from the code; the tests check that
 * every key of the configuration is documented here and every documented key is accepted.
 */
import { DEFAULT_CONFIG, DEFAULT_STACKSET } from './config.ts';

/** One row of the table. */
export interface ConfigKeyDoc {
  /** Dotted path below `key-audit`, e.g. `schedules.report.timeZone`. */
  readonly key: string;
  /** Type as a reader should write it. */
  readonly type: string;
  /** What it does. */
  readonly description: string;
  /** Default shown when the key has none in `DEFAULT_CONFIG` (optional keys). */
  readonly noDefault?: string;
  /** A valid value, used by the tests to prove the key is accepted. */
  readonly example: unknown;
}

const schedule = (job: 'report' | 'alerts', what: string): ConfigKeyDoc[] => [
  {
    key: `schedules.${job}.enabled`,
    type: 'boolean',
    description: `Run the ${what} on schedule; \`false\` deploys the schedule DISABLED.`,
    example: false,
  },
  {
    key: `schedules.${job}.minute`,
    type: 'integer 0-59',
    description: `Minute of the ${what}.`,
    example: 30,
  },
  {
    key: `schedules.${job}.hour`,
    type: 'integer 0-23',
    description: `Hour of the ${what}, in its time zone.`,
    example: 7,
  },
  {
    key: `schedules.${job}.weekDay`,
    type: 'string',
    description: `Days of the ${what}: \`*\` (daily), \`MON\`, \`MON-FRI\`, \`MON,THU\` (AWS cron; 1 = SUN).`,
    example: 'MON-FRI',
  },
  {
    key: `schedules.${job}.timeZone`,
    type: 'IANA zone',
    description: `Time zone of the ${what}; daylight saving is followed.`,
    example: 'America/New_York',
  },
];

/** Every configuration key, in README order. */
export const CONFIG_KEYS: readonly ConfigKeyDoc[] = [
  {
    key: 'accounts',
    type: 'string[]',
    description:
      'Account mode: 12-digit account ids (quoted) scanned through the member role. Empty and `organisation` false: only the scanner account, with its own role.',
    example: ['111122223333'],
  },
  {
    key: 'organisation',
    type: 'boolean',
    description: 'Organisation mode: every ACTIVE account of the organisation. Excludes `accounts`.',
    example: true,
  },
  {
    key: 'organisationId',
    type: 'string',
    description:
      'Organisation id `o-…`; required in organisation mode (limits `sts:AssumeRole` by `aws:ResourceOrgID`); when set, member roles also require `aws:PrincipalOrgID`.',
    noDefault: 'none',
    example: 'o-abcdefghij',
  },
  {
    key: 'ous',
    type: 'string[]',
    description: 'Organisation mode: only accounts under these OUs (`ou-…`) or root (`r-…`).',
    example: ['ou-ab12-cdef3456'],
  },
  {
    key: 'exclude',
    type: 'string[]',
    description: 'Organisation mode: account ids never scanned.',
    example: ['111122223333'],
  },
  {
    key: 'roleName',
    type: 'string',
    description: 'Name of the member role in each scanned account.',
    example: 'KeyAuditRead',
  },
  {
    key: 'externalId',
    type: 'string',
    description: '`sts:ExternalId` the member role requires and the scanner sends.',
    noDefault: 'none',
    example: 'key-audit-7f3a',
  },
  {
    key: 'scannerRoleName',
    type: 'string',
    description: 'Fixed name of the scanner role; member roles trust exactly this role.',
    example: 'security-key-audit-scanner',
  },
  {
    key: 'scannerAccountId',
    type: 'string',
    description:
      'Account of the scanner stack, trusted by the member roles. Set it whenever the scanner runs in another account than the member-role stacks.',
    noDefault: 'the account each member-role stack is deployed to',
    example: '444455556666',
  },
  {
    key: 'source',
    type: '`report` \\| `api`',
    description:
      'Key data from the IAM credential report (fast; up to 4 h old) or from the IAM API (current; one call per user).',
    example: 'api',
  },
  {
    key: 'maxKeyAgeDays',
    type: 'integer ≥ 1',
    description: 'Keys older than this must be rotated.',
    example: 60,
  },
  {
    key: 'warnDays',
    type: 'integer ≥ 1',
    description: 'Warn this many days before `maxKeyAgeDays`; less than it.',
    example: 7,
  },
  {
    key: 'unusedDays',
    type: 'integer ≥ 1',
    description: 'Keys unused (or never used) this long should be removed.',
    example: 30,
  },
  {
    key: 'rotationGraceDays',
    type: 'integer ≥ 1',
    description: 'Two active keys count as a rotation in progress this long.',
    example: 3,
  },
  {
    key: 'criticalAgeMultiplier',
    type: 'number ≥ 1',
    description: 'Too-old keys become critical beyond this multiple of `maxKeyAgeDays`.',
    example: 1.5,
  },
  {
    key: 'exemptions',
    type: 'object[]',
    description:
      '`{accountId?, userName, until, reason}`: user (glob) excused until `YYYY-MM-DD`; `accountId` defaults to every account.',
    example: [{ userName: 'ci-*', until: '2030-01-31', reason: 'legacy CI, ticket SEC-1' }],
  },
  ...schedule('report', 'weekly report'),
  ...schedule('alerts', 'alerts job'),
  {
    key: 'reportEmails',
    type: 'string[]',
    description: 'Addresses subscribed to the report topic (each confirms by email).',
    example: ['security@example.com'],
  },
  {
    key: 'alertEmails',
    type: 'string[]',
    description: 'Addresses subscribed to the alert topic (alerts and alarms).',
    example: ['oncall@example.com'],
  },
  {
    key: 'slack.workspaceId',
    type: 'string',
    description: 'Slack workspace id `T…` (authorise the workspace in the AWS Chatbot console first).',
    noDefault: 'no Slack',
    example: 'T0123ABCDE',
  },
  {
    key: 'slack.reportChannelId',
    type: 'string',
    description: 'Slack channel id `C…` for reports.',
    noDefault: 'none',
    example: 'C0123ABCDE',
  },
  {
    key: 'slack.alertChannelId',
    type: 'string',
    description: 'Slack channel id `C…` for alerts and alarms.',
    noDefault: 'none',
    example: 'C0456FGHIJ',
  },
  {
    key: 'alertSeverity',
    type: '`critical` … `info`',
    description: 'Lowest severity the alerts job sends.',
    example: 'critical',
  },
  { key: 'concurrency', type: 'integer 1-50', description: 'Accounts scanned in parallel.', example: 8 },
  {
    key: 'logRetentionDays',
    type: 'integer',
    description:
      'Retention of the scanner log group (a CloudWatch Logs value: 1, 3, 5, 7, 14, 30, 60, 90, …).',
    example: 365,
  },
  {
    key: 'lambda.memoryMb',
    type: 'integer 128-10240',
    description: 'Memory (and CPU) of the scanner; sized for accounts with up to 5,000 users.',
    example: 2048,
  },
  {
    key: 'lambda.timeoutSeconds',
    type: 'integer 1-900',
    description: 'Timeout of one run; the Duration alarm fires above 80 % of it.',
    example: 600,
  },
  {
    key: 'lambda.reservedConcurrency',
    type: 'integer ≥ 1',
    description:
      'Reserved concurrency. Unset: accounts with the default quota of 10 cannot reserve any, and 1 would throttle the Monday report against the daily alerts.',
    noDefault: 'none',
    example: 2,
  },
  {
    key: 'stackSet.targets',
    type: 'string[]',
    description:
      'Root (`r-…`) or OU ids for the member-role StackSet; setting `stackSet` adds the `KeyAuditMemberRoleStackSet` stack.',
    noDefault: 'no StackSet',
    example: ['r-ab12'],
  },
  {
    key: 'stackSet.region',
    type: 'string',
    description: 'The one region of the StackSet instances (role names are global, so one region only).',
    example: 'eu-west-2',
  },
  {
    key: 'stackSet.callAs',
    type: '`SELF` \\| `DELEGATED_ADMIN`',
    description: 'Deploy from the management account or from a delegated StackSets administrator.',
    example: 'DELEGATED_ADMIN',
  },
];

const lookup = (root: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (node, segment) =>
        typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined,
      root,
    );

/** The default of `key` as shown in the table, or undefined when the key has none. */
export const defaultOf = (key: string): unknown =>
  key.startsWith('stackSet.')
    ? lookup(DEFAULT_STACKSET, key.slice('stackSet.'.length))
    : lookup(DEFAULT_CONFIG, key);

const cell = (text: string): string => text.replaceAll('\n', ' ');

const renderDefault = (doc: ConfigKeyDoc): string => {
  const value = defaultOf(doc.key);
  if (value === undefined) return doc.noDefault ?? 'none';
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
};

/** The Markdown table: Key | Type | Default | Description. Keys are below the context key `key-audit`. */
export const renderConfigTable = (): string =>
  [
    '| Key | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...CONFIG_KEYS.map(
      (doc) => `| \`${doc.key}\` | ${cell(doc.type)} | ${renderDefault(doc)} | ${cell(doc.description)} |`,
    ),
  ].join('\n');
