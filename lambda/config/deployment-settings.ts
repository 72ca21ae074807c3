/**
 * Settings only the deployment reads (the CDK app): the organisation id the role conditions use, role
 * names, schedules, subscribers, Slack, the function's size and the member-role StackSet. The CLI accepts
 * them in its `--config` file too (the file has the same shape as cdk.json's) and leaves them unused.
 */
import * as z from 'zod/mini';
import { ORGANISATION_ID_RULE, OU_OR_ROOT_ID_RULE, ROLE_NAME_RULE } from '../domain/aws-ids.ts';
import { ConfigurationError } from '../domain/errors.ts';
import { accountId } from './scan-settings.ts';
import {
  flag,
  group,
  identifier,
  list,
  oneOf,
  optionalSetting,
  relation,
  requiredSetting,
  setting,
  show,
  strict,
  text,
  wholeNumber,
} from './schema-kit.ts';

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

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

const CAPITALISED_ZONE = /^[A-Z][A-Za-z_]*(\/[A-Z][A-Za-z0-9_+-]*)*$/;
let supportedZones: ReadonlySet<string> | undefined;

/**
 * True for an IANA time zone name. `Intl.supportedValuesOf` lists canonical names only, so `UTC` and
 * current aliases the runtime resolves (e.g. `Europe/Kyiv` on an older ICU) are accepted when spelt with
 * the canonical capitalisation.
 */
export const isIanaTimeZone = (name: string): boolean => {
  supportedZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (supportedZones.has(name) || name === 'UTC') return true;
  if (!CAPITALISED_ZONE.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
};

/** Retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SLACK_WORKSPACE = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL = /^[A-Za-z0-9]{1,255}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/** One scheduled job: at most once a day, so `minute` and `hour` are single values. */
const schedule = (what: string, weekDay: string) =>
  group({
    enabled: setting(flag(), true, {
      description: `Run the ${what} on schedule; \`false\` deploys the schedule DISABLED.`,
      example: false,
    }),
    minute: setting(wholeNumber({ min: 0, max: 59 }), 0, {
      description: `Minute of the ${what}.`,
      example: 30,
    }),
    hour: setting(wholeNumber({ min: 0, max: 23 }), 9, {
      description: `Hour of the ${what}, in its time zone.`,
      example: 7,
    }),
    weekDay: setting(
      text(
        (v) => parseWeekDays(v) !== null,
        (v) => `${show(v)} is not a day-of-week field (*, MON, 2, MON-FRI or MON,WED,FRI; 1 = SUN)`,
      ),
      weekDay,
      {
        description: `Days of the ${what}: \`*\` (daily), \`MON\`, \`MON-FRI\`, \`MON,THU\` (AWS cron; 1 = SUN).`,
        example: 'MON-FRI',
      },
    ),
    timeZone: setting(
      text(isIanaTimeZone, (v) => `${show(v)} is not an IANA time zone`),
      'Europe/London',
      {
        type: 'IANA zone',
        description: `Time zone of the ${what}; daylight saving is followed.`,
        example: 'America/New_York',
      },
    ),
  });

const email = () =>
  text(
    (v) => EMAIL.test(v),
    (v) => `${show(v)} is not an email address`,
  );

const slackChannel = () =>
  text(
    (v) => SLACK_CHANNEL.test(v),
    (v) => `${show(v)} is not a Slack channel id (e.g. C0123ABCDE)`,
  );

const SLACK = strict({
  workspaceId: requiredSetting(
    text(
      (v) => SLACK_WORKSPACE.test(v),
      (v) =>
        v === undefined
          ? 'is required when slack is set'
          : `${show(v)} is not a Slack workspace id (e.g. T0123ABCDE)`,
    ),
    {
      description: 'Slack workspace id `T…` (authorise the workspace in the AWS Chatbot console first).',
      noDefault: 'no Slack',
      example: 'T0123ABCDE',
    },
  ),
  reportChannelId: optionalSetting(slackChannel(), {
    description: 'Slack channel id `C…` for reports.',
    example: 'C0123ABCDE',
  }),
  alertChannelId: optionalSetting(slackChannel(), {
    description: 'Slack channel id `C…` for alerts and alarms.',
    example: 'C0456FGHIJ',
  }),
}).check(
  relation<{ reportChannelId?: string; alertChannelId?: string }>([], (slack, report) => {
    if (slack.reportChannelId === undefined && slack.alertChannelId === undefined) {
      report(null, 'needs reportChannelId, alertChannelId or both');
    }
  }),
);

const STACK_SET = strict({
  targets: requiredSetting(
    z
      .array(identifier(OU_OR_ROOT_ID_RULE), {
        error: (issue) =>
          issue.input === undefined
            ? 'needs at least one root or OU id'
            : `${show(issue.input)} must be a list`,
      })
      .check(z.minLength(1, { error: 'needs at least one root or OU id' })),
    {
      description:
        'Root (`r-…`) or OU ids for the member-role StackSet; setting `stackSet` adds the `KeyAuditMemberRoleStackSet` stack.',
      noDefault: 'no StackSet',
      example: ['r-ab12'],
    },
  ),
  region: setting(
    text(
      (v) => REGION.test(v),
      (v) => `${show(v)} is not an AWS region (exactly one region: IAM role names are global)`,
    ),
    'us-east-1',
    {
      description: 'The one region of the StackSet instances (role names are global, so one region only).',
      example: 'eu-west-2',
    },
  ),
  callAs: setting(oneOf(['SELF', 'DELEGATED_ADMIN']), 'SELF', {
    description: 'Deploy from the management account or from a delegated StackSets administrator.',
    example: 'DELEGATED_ADMIN',
  }),
});

/** The deployment settings, in the order the README lists them. */
export const DEPLOYMENT_SETTINGS = {
  organisationId: optionalSetting(identifier(ORGANISATION_ID_RULE), {
    description:
      'Organisation id `o-…`; required in organisation mode (limits `sts:AssumeRole` by `aws:ResourceOrgID`); when set, member roles also require `aws:PrincipalOrgID`.',
    example: 'o-abcdefghij',
  }),
  scannerRoleName: setting(identifier(ROLE_NAME_RULE), 'key-audit-scanner', {
    description: 'Fixed name of the scanner role; member roles trust exactly this role.',
    example: 'security-key-audit-scanner',
  }),
  scannerAccountId: optionalSetting(accountId(), {
    description:
      'Account of the scanner stack, trusted by the member roles. Set it whenever the scanner runs in another account than the member-role stacks.',
    noDefault: 'the account each member-role stack is deployed to',
    example: '444455556666',
  }),
  schedules: group({
    report: schedule('weekly report', 'MON'),
    alerts: schedule('alerts job', '*'),
  }),
  reportEmails: setting(list(email()), () => [], {
    description: 'Addresses subscribed to the report topic (each confirms by email).',
    example: ['security@example.com'],
  }),
  alertEmails: setting(list(email()), () => [], {
    description:
      'Addresses subscribed to the alert topic and to the alarm topic (alarms on the scanner itself).',
    example: ['oncall@example.com'],
  }),
  slack: z.optional(SLACK),
  logRetentionDays: setting(
    z.number({ error: (issue) => `${show(issue.input)} is not a CloudWatch Logs retention` }).check(
      z.refine((v) => LOG_RETENTION_DAYS.includes(v), {
        error: (issue) =>
          `${show(issue.input)} is not a CloudWatch Logs retention (one of ${LOG_RETENTION_DAYS.join(', ')})`,
      }),
    ),
    90,
    {
      type: 'integer',
      description:
        'Retention of the scanner log group (a CloudWatch Logs value: 1, 3, 5, 7, 14, 30, 60, 90, …).',
      example: 365,
    },
  ),
  securityHub: setting(flag(), false, {
    description:
      "Import the findings into AWS Security Hub after each weekly report, each account's through its member role (which then also gets `securityhub:BatchImportFindings` and `securityhub:GetFindings`), and archive those resolved.",
    example: true,
  }),
  historyRetentionDays: setting(wholeNumber({ min: 1, unit: 'days' }), 400, {
    description:
      'Days the history bucket keeps each stored report (400: a year of weekly evidence for auditors, with margin). The memory (`state.json`) is kept while the scanner runs.',
    example: 731,
  }),
  lambda: group({
    memoryMb: setting(wholeNumber({ min: 128, max: 10_240, unit: 'MB' }), 1024, {
      description: 'Memory (and CPU) of the scanner; sized for accounts with up to 5,000 users.',
      example: 2048,
    }),
    timeoutSeconds: setting(wholeNumber({ min: 1, max: 900, unit: 'seconds' }), 900, {
      description:
        'Timeout of one run (900 is the Lambda maximum); the Duration alarm fires above 80 % of it.',
      example: 600,
    }),
    reservedConcurrency: optionalSetting(wholeNumber({ min: 1 }), {
      description:
        'Reserved concurrency. Unset: accounts with the default quota of 10 cannot reserve any, and 1 would throttle the Monday report against the daily alerts.',
      example: 2,
    }),
  }),
  stackSet: z.optional(STACK_SET),
};
