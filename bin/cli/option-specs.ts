/**
 * Every `key-audit scan` option, with its help text and default. `--help` and the README are generated from
 * this table, so the documentation cannot drift from the parser.
 */
export interface OptionSpec {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly placeholder?: string;
  readonly description: string;
  /** Shown in `--help`; undefined when the option has no default. */
  readonly defaultText?: string;
  readonly group: 'Source' | 'Accounts' | 'Policy' | 'Output' | 'Publish' | 'Other';
}

export const OPTION_SPECS: readonly OptionSpec[] = [
  {
    name: 'credential-report',
    type: 'string',
    multiple: true,
    placeholder: 'FILE...',
    description: 'Evaluate downloaded credential report CSV files offline (account id from the ARNs).',
    group: 'Source',
  },
  {
    name: 'source',
    type: 'string',
    placeholder: 'report|api',
    description:
      'Live source: the credential report verified live for flagged users, or every user via the IAM API.',
    defaultText: 'report',
    group: 'Source',
  },
  {
    name: 'accounts',
    type: 'string',
    placeholder: 'ID,...',
    description: 'Scan these accounts by assuming --role-name in each.',
    defaultText: 'the current credentials’ own account',
    group: 'Accounts',
  },
  {
    name: 'org',
    type: 'boolean',
    description: 'Scan every ACTIVE account of the organisation (needs Organizations read access).',
    group: 'Accounts',
  },
  {
    name: 'ou',
    type: 'string',
    placeholder: 'OU,...',
    description: 'With --org: only accounts in these organisational units and their children.',
    group: 'Accounts',
  },
  {
    name: 'exclude',
    type: 'string',
    placeholder: 'ID,...',
    description: 'With --org: leave these accounts out.',
    group: 'Accounts',
  },
  {
    name: 'role-name',
    type: 'string',
    placeholder: 'NAME',
    description: 'Read-only role assumed in each member account.',
    defaultText: 'KeyAuditReadOnly',
    group: 'Accounts',
  },
  {
    name: 'external-id',
    type: 'string',
    placeholder: 'ID',
    description: 'ExternalId to pass when assuming the role.',
    group: 'Accounts',
  },
  {
    name: 'concurrency',
    type: 'string',
    placeholder: 'N',
    description: 'Accounts scanned at once (IAM throttles per account, so accounts parallelise well).',
    defaultText: '4',
    group: 'Accounts',
  },
  {
    name: 'config',
    type: 'string',
    placeholder: 'FILE',
    description: 'JSON configuration: {"policy": {thresholds..., "exemptions": [...]}}.',
    group: 'Policy',
  },
  {
    name: 'as-of',
    type: 'string',
    placeholder: 'ISO-8601',
    description: 'Evaluate as if it were this instant (e.g. 2026-11-23T09:00:00Z).',
    defaultText: 'now',
    group: 'Policy',
  },
  {
    name: 'max-age-days',
    type: 'string',
    placeholder: 'N',
    description: 'Active keys older than this must be rotated.',
    defaultText: '90',
    group: 'Policy',
  },
  {
    name: 'warn-days',
    type: 'string',
    placeholder: 'N',
    description: 'Warn this many days before a key reaches the limit.',
    defaultText: '14',
    group: 'Policy',
  },
  {
    name: 'unused-days',
    type: 'string',
    placeholder: 'N',
    description: 'Active keys unused (or never used) this long should go.',
    defaultText: '45',
    group: 'Policy',
  },
  {
    name: 'rotation-grace-days',
    type: 'string',
    placeholder: 'N',
    description: 'Two active keys count as a rotation in progress while the newer key is this young.',
    defaultText: '7',
    group: 'Policy',
  },
  {
    name: 'format',
    type: 'string',
    placeholder: 'FORMAT',
    description: 'table, json, markdown, email, slack, asff (Security Hub findings) or csv.',
    defaultText: 'table',
    group: 'Output',
  },
  {
    name: 'output',
    type: 'string',
    placeholder: 'FILE',
    description: 'Write the rendering to FILE instead of stdout.',
    defaultText: 'stdout',
    group: 'Output',
  },
  {
    name: 'fail-on',
    type: 'string',
    placeholder: 'SEVERITY',
    description: 'Exit 2 when a non-exempt finding is at or above this (critical|high|medium|low|info|none).',
    defaultText: 'medium',
    group: 'Output',
  },
  {
    name: 'quiet',
    type: 'boolean',
    description: 'No progress line on stderr.',
    group: 'Output',
  },
  {
    name: 'stats',
    type: 'boolean',
    description: 'Print AWS API call counts per account and operation to stderr after the scan.',
    group: 'Output',
  },
  {
    name: 'publish-report',
    type: 'string',
    placeholder: 'TOPIC_ARN',
    description: 'Publish the weekly report to this SNS topic (email, Slack and JSON in one message).',
    group: 'Publish',
  },
  {
    name: 'publish-alerts',
    type: 'string',
    placeholder: 'TOPIC_ARN',
    description: 'Publish on-call alerts (new or critical findings) to this SNS topic.',
    group: 'Publish',
  },
  {
    name: 'alert-since',
    type: 'string',
    placeholder: 'DURATION',
    description: 'With --publish-alerts: findings that became true within this window count as new.',
    defaultText: '24h',
    group: 'Publish',
  },
  {
    name: 'alert-severity',
    type: 'string',
    placeholder: 'SEVERITY',
    description: 'With --publish-alerts: the lowest severity that is alerted when new.',
    defaultText: 'high',
    group: 'Publish',
  },
  {
    name: 'publish-securityhub',
    type: 'boolean',
    description:
      "Import the findings into AWS Security Hub (AWS_REGION), each account's through its own role, and archive those resolved.",
    group: 'Publish',
  },
  {
    name: 'debug',
    type: 'boolean',
    description: 'Print stack traces for errors.',
    group: 'Other',
  },
  { name: 'help', type: 'boolean', description: 'Show this help.', group: 'Other' },
  { name: 'version', type: 'boolean', description: 'Show the version.', group: 'Other' },
];

const GROUP_ORDER: readonly OptionSpec['group'][] = [
  'Source',
  'Accounts',
  'Policy',
  'Output',
  'Publish',
  'Other',
];

/** The `--help` text. */
export const renderHelp = (): string => {
  const lines = [
    'Usage: key-audit scan [options]',
    '',
    'Finds IAM access keys that need rotating, across accounts, and tells the right people.',
    '',
    'Exit codes: 0 nothing at or above --fail-on; 2 violations; 3 scan incomplete (an account failed);',
    '            1 usage, configuration or input error.',
  ];
  for (const group of GROUP_ORDER) {
    lines.push('', `${group}:`);
    for (const spec of OPTION_SPECS.filter((s) => s.group === group)) {
      const flag = `  --${spec.name}${spec.placeholder ? ` ${spec.placeholder}` : ''}`;
      const text = spec.defaultText ? `${spec.description} (default: ${spec.defaultText})` : spec.description;
      lines.push(flag.length < 32 ? `${flag.padEnd(32)}${text}` : `${flag}\n${' '.repeat(32)}${text}`);
    }
  }
  lines.push(
    '',
    'AWS configuration is the SDK’s own: AWS_PROFILE, AWS_REGION, the default credential chain, AWS_ENDPOINT_URL.',
  );
  return `${lines.join('\n')}\n`;
};

/** The options as a Markdown table, for the README. */
export const renderOptionsTable = (): string => {
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  const rows = OPTION_SPECS.map(
    (s) =>
      `| \`--${cell(`${s.name}${s.placeholder ? ` ${s.placeholder}` : ''}`)}\` | ${cell(s.description)} | ${cell(s.defaultText ?? '')} |`,
  );
  return ['| option | what it does | default |', '|---|---|---|', ...rows].join('\n');
};
