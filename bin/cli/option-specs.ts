/**
 * Every `key-audit scan` option. A flag that sets a configuration setting (`--role-name` is `roleName`)
 * takes its help text, default and check from the configuration schema; the others are declared here.
 * `--help`, the README's option table and the parser are all made from this table.
 */
import type * as z from 'zod/mini';
import { ASSUMED_ROLE_NAME, SCAN_SETTINGS } from '../../lambda/config/scan-settings.ts';
import { defaultOf, docOf } from '../../lambda/config/schema-kit.ts';
import { ENFORCEMENT_MODES } from '../../lambda/domain/enforcement/policy.ts';
import { POLICY_SETTINGS } from '../../lambda/domain/policy-config.ts';
import { SEVERITIES } from '../../lambda/domain/severity.ts';

/** The settings a flag can set: the scan settings and the policy thresholds. */
export const FLAG_SETTINGS = { ...SCAN_SETTINGS, ...POLICY_SETTINGS };
/** A setting a flag can set. */
export type FlagSetting = keyof typeof FLAG_SETTINGS;

/** Renderings `--format` accepts. */
export const FORMATS = ['table', 'json', 'markdown', 'email', 'slack', 'asff', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** What `--enforce` accepts: enforcement on the command line is never `off` (leave the flag out). */
export const ENFORCE_MODES = ENFORCEMENT_MODES.filter(
  (mode): mode is Exclude<(typeof ENFORCEMENT_MODES)[number], 'off'> => mode !== 'off',
);

/** What `--fail-on` accepts besides a severity. */
export const FAIL_ON_NONE = 'none';

type Group = 'Source' | 'Accounts' | 'Policy' | 'Output' | 'Publish' | 'AWS' | 'Other';

interface OptionBase {
  readonly type: 'string' | 'boolean';
  readonly multiple?: true;
  /** One-letter alias, e.g. `h` for `-h`. */
  readonly short?: string;
  readonly placeholder?: string;
  readonly group: Group;
  /** Only meaningful for a live scan: refused together with `--credential-report`. */
  readonly live?: true;
  /** Shown as the default when it is not a value (`the current credentials' own account`). */
  readonly defaultText?: string;
}

/** A flag that sets a configuration setting. */
interface SettingOption extends OptionBase {
  readonly setting: FlagSetting;
  /** The flag's own wording, when the setting's does not fit the command line. */
  readonly description?: string;
  /** Said after the setting's description: what the flag accepts beyond it. */
  readonly note?: string;
  /** A rule wider than the configuration's (a role to assume may have a path). */
  readonly schema?: z.core.$ZodType;
}

/** A flag of the command line only. */
interface CommandLineOption extends OptionBase {
  readonly setting?: undefined;
  readonly description: string;
  /** The value used when the flag is not given. */
  readonly default?: string;
}

export type OptionDecl = SettingOption | CommandLineOption;

/** Every option, by flag name, in `--help` order within each group. */
export const OPTIONS = {
  'credential-report': {
    type: 'string',
    multiple: true,
    placeholder: 'FILE...',
    description: 'Evaluate downloaded credential report CSV files offline (account id from the ARNs).',
    group: 'Source',
  },
  source: { type: 'string', placeholder: 'report|api', setting: 'source', live: true, group: 'Source' },
  accounts: {
    type: 'string',
    placeholder: 'ID,...',
    setting: 'accounts',
    live: true,
    description: 'Scan these accounts by assuming --role-name in each.',
    defaultText: 'the current credentials’ own account',
    group: 'Accounts',
  },
  org: {
    type: 'boolean',
    setting: 'organisation',
    live: true,
    description: 'Scan every ACTIVE account of the organisation (needs Organizations read access).',
    group: 'Accounts',
  },
  ou: {
    type: 'string',
    placeholder: 'OU,...',
    setting: 'ous',
    live: true,
    description: 'With --org: only accounts in these organisational units and their children.',
    group: 'Accounts',
  },
  exclude: {
    type: 'string',
    placeholder: 'ID,...',
    setting: 'exclude',
    live: true,
    description: 'With --org: leave these accounts out.',
    group: 'Accounts',
  },
  'role-name': {
    type: 'string',
    placeholder: 'NAME',
    setting: 'roleName',
    schema: ASSUMED_ROLE_NAME,
    live: true,
    note: 'May have an IAM path (path/Name).',
    group: 'Accounts',
  },
  'external-id': {
    type: 'string',
    placeholder: 'ID',
    setting: 'externalId',
    live: true,
    group: 'Accounts',
  },
  concurrency: { type: 'string', placeholder: 'N', setting: 'concurrency', live: true, group: 'Accounts' },
  config: {
    type: 'string',
    placeholder: 'FILE',
    description:
      'JSON configuration, the object cdk.json holds under "key-audit" ({"maxKeyAgeDays": 60, "exemptions": [...]}, or {"policy": {...}}); flags override it.',
    group: 'Policy',
  },
  'as-of': {
    type: 'string',
    placeholder: 'ISO-8601',
    description: 'Evaluate as if it were this instant (e.g. 2026-11-23T09:00:00Z).',
    defaultText: 'now',
    group: 'Policy',
  },
  enforce: {
    type: 'string',
    placeholder: ENFORCE_MODES.join('|'),
    live: true,
    description:
      'Enforce the configuration’s `enforcement` policy: `plan` reports the notices and deactivations that would happen, changing nothing; `apply` deactivates (and deletes) the keys whose notice period is over and publishes new notices to --publish-alerts, remembering both in --history. The configuration’s `enforcement.mode` is ignored here.',
    defaultText: 'no enforcement',
    group: 'Policy',
  },
  'max-age-days': { type: 'string', placeholder: 'N', setting: 'maxKeyAgeDays', group: 'Policy' },
  'warn-days': { type: 'string', placeholder: 'N', setting: 'warnDays', group: 'Policy' },
  'unused-days': { type: 'string', placeholder: 'N', setting: 'unusedDays', group: 'Policy' },
  'rotation-grace-days': { type: 'string', placeholder: 'N', setting: 'rotationGraceDays', group: 'Policy' },
  format: {
    type: 'string',
    placeholder: 'FORMAT',
    description: `${FORMATS.join(', ')} (asff: Security Hub findings, ready for BatchImportFindings).`,
    default: 'table',
    group: 'Output',
  },
  output: {
    type: 'string',
    placeholder: 'FILE',
    description: 'Write the rendering to FILE instead of stdout.',
    defaultText: 'stdout',
    group: 'Output',
  },
  'fail-on': {
    type: 'string',
    placeholder: 'SEVERITY',
    description: `Exit 2 when a non-exempt finding is at or above this (${[...SEVERITIES, FAIL_ON_NONE].join('|')}).`,
    default: 'medium',
    group: 'Output',
  },
  'no-color': {
    type: 'boolean',
    description:
      'No colour, even on a terminal (as NO_COLOR=1; FORCE_COLOR=1 colours output that is not a terminal).',
    group: 'Output',
  },
  quiet: { type: 'boolean', description: 'No progress line on stderr.', group: 'Output' },
  stats: {
    type: 'boolean',
    description: 'Print AWS API call counts per account and operation to stderr after the scan.',
    group: 'Output',
  },
  history: {
    type: 'string',
    placeholder: 'LOCATION',
    description:
      'Keep a history in this directory or s3://bucket/prefix: every complete report, what was alerted, when each account was last scanned. The report then says what changed since the previous scan, and --publish-alerts sends what was never delivered, once, instead of a window; --enforce keeps its notices and actions there.',
    group: 'Output',
  },
  'publish-report': {
    type: 'string',
    placeholder: 'TOPIC_ARN',
    description: 'Publish the weekly report to this SNS topic (email, Slack and JSON in one message).',
    group: 'Publish',
  },
  'publish-alerts': {
    type: 'string',
    placeholder: 'TOPIC_ARN',
    description: 'Publish on-call alerts (new or critical findings) to this SNS topic.',
    group: 'Publish',
  },
  'alert-since': {
    type: 'string',
    placeholder: 'DURATION',
    description: 'With --publish-alerts: findings that became true within this window count as new.',
    default: '24h',
    group: 'Publish',
  },
  'alert-severity': {
    type: 'string',
    placeholder: 'SEVERITY',
    setting: 'alertSeverity',
    description: 'With --publish-alerts: the lowest severity that is alerted when new.',
    group: 'Publish',
  },
  'publish-securityhub': {
    type: 'boolean',
    live: true,
    description:
      "Import the findings into AWS Security Hub, each account's through its own role, and archive those resolved.",
    group: 'Publish',
  },
  profile: {
    type: 'string',
    placeholder: 'NAME',
    description: 'AWS profile from ~/.aws/config or ~/.aws/credentials, as aws --profile.',
    defaultText: 'AWS_PROFILE, else the default credential chain',
    group: 'AWS',
  },
  region: {
    type: 'string',
    placeholder: 'REGION',
    description: 'Region of the STS and Organizations calls (IAM is global).',
    defaultText: 'AWS_REGION, else us-east-1',
    group: 'AWS',
  },
  debug: { type: 'boolean', description: 'Print stack traces for errors.', group: 'Other' },
  help: { type: 'boolean', short: 'h', description: 'Show this help.', group: 'Other' },
  version: { type: 'boolean', description: 'Show the version.', group: 'Other' },
} as const satisfies Record<string, OptionDecl>;

/** A flag name. */
export type OptionName = keyof typeof OPTIONS;

/** The schema that checks a setting flag's value. */
export const schemaOf = (decl: SettingOption): z.core.$ZodType => decl.schema ?? FLAG_SETTINGS[decl.setting];

/** An option as `--help` and the README show it. */
export interface OptionSpec {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  readonly placeholder?: string;
  readonly description: string;
  /** Shown in `--help`; undefined when the option has no default. */
  readonly defaultText?: string;
  readonly group: Group;
}

/** A default as `--help` shows it; none for `false` and empty lists (nothing to show). */
const shownDefault = (value: unknown): string | undefined =>
  value === undefined || value === false || (Array.isArray(value) && value.length === 0)
    ? undefined
    : String(value);

const specOf = (name: string, decl: OptionDecl): OptionSpec => {
  const setting = decl.setting === undefined ? undefined : FLAG_SETTINGS[decl.setting];
  const own = decl.description ?? (setting === undefined ? undefined : docOf(setting)?.description);
  if (own === undefined) throw new Error(`--${name}: no description`);
  const description = decl.setting !== undefined && decl.note !== undefined ? `${own} ${decl.note}` : own;
  const defaultText =
    decl.defaultText ??
    (decl.setting === undefined ? decl.default : shownDefault(defaultOf(FLAG_SETTINGS[decl.setting])));
  return {
    name,
    type: decl.type,
    ...(decl.multiple === undefined ? {} : { multiple: true }),
    ...(decl.short === undefined ? {} : { short: decl.short }),
    ...(decl.placeholder === undefined ? {} : { placeholder: decl.placeholder }),
    description,
    ...(defaultText === undefined ? {} : { defaultText }),
    group: decl.group,
  };
};

/** Every option with its help text and default resolved. */
export const OPTION_SPECS: readonly OptionSpec[] = Object.entries(OPTIONS as Record<string, OptionDecl>).map(
  ([name, decl]) => specOf(name, decl),
);

const GROUP_ORDER: readonly Group[] = ['Source', 'Accounts', 'Policy', 'Output', 'Publish', 'AWS', 'Other'];

/** Column where option descriptions start in `--help` on a wide enough terminal. */
const DESCRIPTION_COLUMN = 32;

/**
 * `text` broken into lines of at most `width` characters at spaces, the first line starting after
 * `first` characters already used and every other line indented by `indent`. A word longer than a line
 * is cut, so that no line is ever wider than `width`.
 */
export const wrap = (text: string, width: number, indent: number, first = indent): string[] => {
  const lines: string[] = [];
  let line = '';
  let room = width - first;
  const flush = (): void => {
    lines.push(line);
    line = '';
    room = width - indent;
  };
  for (let word of text.split(' ').filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > room) flush();
    while (word.length > room) {
      if (line !== '') flush();
      lines.push(word.slice(0, room));
      word = word.slice(room);
      room = width - indent;
    }
    line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${' '.repeat(indent)}${l}`));
};

/** The `--help` text, wrapped to `width` columns (the terminal's, else 80). */
export const renderHelp = (width = 80): string => {
  const column = Math.min(DESCRIPTION_COLUMN, Math.floor(width * 0.4));
  const paragraph = (text: string, indent = 0): string[] => wrap(text, width, indent, 0);
  const lines = [
    ...paragraph('Usage: key-audit scan [options]'),
    '',
    ...paragraph('Finds IAM access keys that need rotating, across accounts, and tells the right people.'),
    '',
    ...paragraph(
      'Exit codes: 0 nothing at or above --fail-on; 2 violations; 3 scan incomplete (an account failed); 1 usage, configuration or input error.',
      Math.min(12, Math.floor(width / 4)),
    ),
  ];
  for (const group of GROUP_ORDER) {
    lines.push('', `${group}:`);
    for (const spec of OPTION_SPECS.filter((s) => s.group === group)) {
      const flag = `  ${spec.short === undefined ? '' : `-${spec.short}, `}--${spec.name}${spec.placeholder ? ` ${spec.placeholder}` : ''}`;
      // Descriptions are Markdown for the README; a terminal shows code spans as plain text.
      const description = spec.description.replaceAll('`', '');
      const text = spec.defaultText ? `${description} (default: ${spec.defaultText})` : description;
      if (flag.length < column) {
        const [head = '', ...rest] = wrap(text, width, column);
        lines.push(`${flag.padEnd(column)}${head}`, ...rest);
      } else {
        lines.push(...wrap(flag.trimStart(), width, 4, 2).map((l, i) => (i === 0 ? `  ${l}` : l)));
        lines.push(...wrap(text, width, column).map((l, i) => (i === 0 ? `${' '.repeat(column)}${l}` : l)));
      }
    }
  }
  lines.push(
    '',
    ...paragraph(
      'AWS configuration is the SDK’s own: --profile or AWS_PROFILE, --region or AWS_REGION, the default credential chain, AWS_ENDPOINT_URL.',
    ),
  );
  return `${lines.join('\n')}\n`;
};

/** The options as a Markdown table, for the README. */
export const renderOptionsTable = (): string => {
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  const rows = OPTION_SPECS.map(
    (s) =>
      `| \`${s.short === undefined ? '' : `-${s.short}, `}--${cell(`${s.name}${s.placeholder ? ` ${s.placeholder}` : ''}`)}\` | ${cell(s.description)} | ${cell(s.defaultText ?? '')} |`,
  );
  return ['| option | what it does | default |', '|---|---|---|', ...rows].join('\n');
};
