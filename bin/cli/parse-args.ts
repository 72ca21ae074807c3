import { parseArgs } from 'node:util';
import { isAccountId, isOuOrRootId, isTopicArn } from '../../lambda/domain/aws-ids.ts';
import { InputError } from '../../lambda/domain/errors.ts';
import { isSeverity, type Severity } from '../../lambda/domain/severity.ts';
import { parseDuration } from './duration.ts';
import { parseInstant } from './instant.ts';
import { OPTION_SPECS } from './option-specs.ts';

export const FORMATS = ['table', 'json', 'markdown', 'email', 'slack', 'asff', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** Which accounts a live scan reads. */
export type AccountSelection =
  | { readonly mode: 'self' }
  | { readonly mode: 'accounts'; readonly accountIds: readonly string[] }
  | { readonly mode: 'org'; readonly ous: readonly string[]; readonly exclude: readonly string[] };

/** Where the inventory comes from. */
export type InputSelection =
  | { readonly kind: 'files'; readonly files: readonly string[] }
  | {
      readonly kind: 'live';
      readonly source: 'report' | 'api';
      readonly accounts: AccountSelection;
      readonly roleName: string;
      readonly externalId?: string;
      readonly concurrency: number;
    };

/** Threshold flags; each overrides the configuration file. */
export interface ThresholdOverrides {
  readonly maxKeyAgeDays?: number;
  readonly warnDays?: number;
  readonly unusedDays?: number;
  readonly rotationGraceDays?: number;
}

/** A parsed `key-audit scan` command line. */
export interface ScanCommand {
  readonly command: 'scan';
  readonly input: InputSelection;
  /** Undefined means "now", read once when the scan starts. */
  readonly asOf?: Date;
  readonly configFile?: string;
  readonly thresholds: ThresholdOverrides;
  readonly format: Format;
  readonly output?: string;
  readonly failOn: Severity | 'none';
  readonly quiet: boolean;
  readonly stats: boolean;
  readonly debug: boolean;
  readonly publishReport?: string;
  readonly publishAlerts?: string;
  readonly alertSinceMs: number;
  readonly alertSeverity: Severity;
  /** Import the findings into Security Hub, each account's through its own session (live scans only). */
  readonly publishSecurityHub: boolean;
}

export type ParsedCommand = ScanCommand | { readonly command: 'help' } | { readonly command: 'version' };

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const accountIds = (value: string | undefined, flag: string): string[] => {
  const ids = list(value);
  if (value !== undefined && ids.length === 0) throw new InputError(`${flag}: no account ids given`);
  for (const id of ids) {
    if (!isAccountId(id)) throw new InputError(`${flag}: "${id}" is not a 12-digit AWS account id`);
  }
  return [...new Set(ids)];
};

const positiveInteger = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new InputError(`--${flag}: "${value}" is not a positive whole number`);
  }
  return Number(value);
};

const topicArn = (value: string | undefined, flag: string): string | undefined => {
  if (value !== undefined && !isTopicArn(value)) {
    throw new InputError(`--${flag}: "${value}" is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`);
  }
  return value;
};

const severity = (value: string, flag: string): Severity => {
  if (!isSeverity(value))
    throw new InputError(`--${flag}: "${value}" is not critical, high, medium, low or info`);
  return value;
};

/**
 * Parses `key-audit` arguments (without the node and script paths).
 * @throws InputError with one line naming the flag and the problem.
 */
export const parseCommandLine = (argv: readonly string[]): ParsedCommand => {
  const options = Object.fromEntries(
    OPTION_SPECS.map((s) => [s.name, { type: s.type, ...(s.multiple ? { multiple: true } : {}) }]),
  ) as Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages are clear but multi-sentence; keep the first sentence, one line.
    const message = (error as Error).message.split('\n')[0] ?? 'invalid arguments';
    throw new InputError(`${message.replace(/\. To specify a positional.*$/, '')} (see --help)`, {
      cause: error,
    });
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (v.help === true) return { command: 'help' };
  if (v.version === true) return { command: 'version' };

  const [command, ...rest] = parsed.positionals;
  if (command === undefined) throw new InputError('missing command: try "key-audit scan --help"');
  if (command !== 'scan') throw new InputError(`unknown command "${command}": the only command is "scan"`);

  const str = (name: string): string | undefined => {
    const value = v[name];
    return typeof value === 'string' ? value : undefined;
  };
  const reportFiles = [...((v['credential-report'] as string[] | undefined) ?? [])];
  if (rest.length > 0) {
    // `--credential-report a.csv b.csv`: the shell expands globs into positionals after the first file.
    if (reportFiles.length === 0) throw new InputError(`unexpected argument "${rest[0]}" (see --help)`);
    reportFiles.push(...rest);
  }

  const liveFlags = ['source', 'accounts', 'org', 'ou', 'exclude', 'role-name', 'external-id', 'concurrency'];
  let input: InputSelection;
  if (reportFiles.length > 0) {
    const clash = liveFlags.find((f) => v[f] !== undefined);
    if (clash)
      throw new InputError(`--${clash} cannot be combined with --credential-report (files are offline)`);
    input = { kind: 'files', files: reportFiles };
  } else {
    const source = str('source') ?? 'report';
    if (source !== 'report' && source !== 'api')
      throw new InputError(`--source: "${source}" is not report or api`);
    if (v.org === true && v.accounts !== undefined)
      throw new InputError('--org and --accounts cannot be combined');
    for (const flag of ['ou', 'exclude']) {
      if (v[flag] !== undefined && v.org !== true) throw new InputError(`--${flag} needs --org`);
    }
    const ous = list(str('ou'));
    for (const ou of ous) {
      if (!isOuOrRootId(ou)) {
        throw new InputError(
          `--ou: "${ou}" is not an organisational unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)`,
        );
      }
    }
    const accounts: AccountSelection =
      v.org === true
        ? { mode: 'org', ous, exclude: accountIds(str('exclude'), '--exclude') }
        : v.accounts !== undefined
          ? { mode: 'accounts', accountIds: accountIds(str('accounts'), '--accounts') }
          : { mode: 'self' };
    const roleName = str('role-name') ?? 'KeyAuditReadOnly';
    if (!/^[\w+=,.@-]{1,64}$/.test(roleName))
      throw new InputError(`--role-name: "${roleName}" is not an IAM role name`);
    const externalId = str('external-id');
    input = {
      kind: 'live',
      source,
      accounts,
      roleName,
      ...(externalId !== undefined ? { externalId } : {}),
      concurrency: positiveInteger(str('concurrency'), 'concurrency') ?? 4,
    };
  }

  const format = str('format') ?? 'table';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new InputError(`--format: "${format}" is not one of ${FORMATS.join(', ')}`);
  }
  const failOn = str('fail-on') ?? 'medium';
  const asOf = str('as-of');
  const thresholds: ThresholdOverrides = Object.fromEntries(
    (
      [
        ['maxKeyAgeDays', 'max-age-days'],
        ['warnDays', 'warn-days'],
        ['unusedDays', 'unused-days'],
        ['rotationGraceDays', 'rotation-grace-days'],
      ] as const
    )
      .map(([key, flag]) => [key, positiveInteger(str(flag), flag)] as const)
      .filter(([, value]) => value !== undefined),
  );
  const publishAlerts = topicArn(str('publish-alerts'), 'publish-alerts');
  if (publishAlerts === undefined) {
    for (const flag of ['alert-since', 'alert-severity']) {
      if (v[flag] !== undefined) throw new InputError(`--${flag} needs --publish-alerts`);
    }
  }
  const publishReport = topicArn(str('publish-report'), 'publish-report');
  if (v['publish-securityhub'] === true && input.kind === 'files')
    throw new InputError(
      '--publish-securityhub needs a live scan: findings are imported through each account',
    );
  const output = str('output');
  const configFile = str('config');
  return {
    command: 'scan',
    input,
    ...(asOf !== undefined ? { asOf: parseInstant(asOf, '--as-of') } : {}),
    ...(configFile !== undefined ? { configFile } : {}),
    thresholds,
    format: format as Format,
    ...(output !== undefined ? { output } : {}),
    failOn: failOn === 'none' ? 'none' : severity(failOn, 'fail-on'),
    quiet: v.quiet === true,
    stats: v.stats === true,
    debug: v.debug === true,
    ...(publishReport !== undefined ? { publishReport } : {}),
    ...(publishAlerts !== undefined ? { publishAlerts } : {}),
    alertSinceMs: parseDuration(str('alert-since') ?? '24h', '--alert-since'),
    alertSeverity: severity(str('alert-severity') ?? 'high', 'alert-severity'),
    publishSecurityHub: v['publish-securityhub'] === true,
  };
};
