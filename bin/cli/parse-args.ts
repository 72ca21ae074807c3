import { parseArgs } from 'node:util';
import { SCAN_DEFAULTS, type ScanSettings } from '../../lambda/config/scan-settings.ts';
import { notOneOf, valueFromText, valueProblem } from '../../lambda/config/schema-kit.ts';
import { idProblem, TOPIC_ARN_RULE } from '../../lambda/domain/aws-ids.ts';
import { didYouMean } from '../../lambda/domain/did-you-mean.ts';
import { InputError } from '../../lambda/domain/errors.ts';
import { parseHistoryLocation } from '../../lambda/domain/history-location.ts';
import type { Policy } from '../../lambda/domain/policy.ts';
import { isSeverity, SEVERITIES, type Severity } from '../../lambda/domain/severity.ts';
import { parseDuration } from './duration.ts';
import { parseInstant } from './instant.ts';
import {
  ENFORCE_MODES,
  FAIL_ON_NONE,
  type FlagSetting,
  FORMATS,
  type Format,
  OPTIONS,
  type OptionDecl,
  type OptionName,
  schemaOf,
} from './option-specs.ts';

export { FORMATS, type Format };

/** Which accounts a live scan reads. */
export type AccountSelection =
  | { readonly mode: 'self' }
  | { readonly mode: 'accounts'; readonly accountIds: readonly string[] }
  | { readonly mode: 'org'; readonly ous: readonly string[]; readonly exclude: readonly string[] };

/** A live scan: what to read and how. */
export interface LiveInput {
  readonly kind: 'live';
  readonly source: 'report' | 'api';
  readonly accounts: AccountSelection;
  readonly roleName: string;
  readonly externalId?: string;
  readonly concurrency: number;
}

/** Where the inventory comes from. */
export type InputSelection = { readonly kind: 'files'; readonly files: readonly string[] } | LiveInput;

/** Threshold flags; each overrides the configuration file. */
export type ThresholdOverrides = Partial<
  Pick<Policy, 'maxKeyAgeDays' | 'warnDays' | 'unusedDays' | 'rotationGraceDays'>
>;

/** The settings given on the command line, by setting name; each overrides the configuration file. */
export type CommandLineSettings = Partial<ScanSettings> & ThresholdOverrides;

/** A parsed `key-audit scan` command line. */
export interface ScanCommand {
  readonly command: 'scan';
  readonly input: InputSelection;
  /** The settings given as flags (the rest of `input` is defaults until a configuration file fills it). */
  readonly settings: CommandLineSettings;
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
  /** `--no-color`. */
  readonly noColor: boolean;
  /** `--profile`: the AWS profile the SDK loads. */
  readonly profile?: string;
  /** `--region`: the region of the STS and Organizations calls. */
  readonly region?: string;
  readonly publishReport?: string;
  readonly publishAlerts?: string;
  /** Import the findings into Security Hub, each account's through its own session (live scans only). */
  readonly publishSecurityHub: boolean;
  /** `--history`: the directory or `s3://bucket/prefix` the run keeps its history in. */
  readonly history?: string;
  readonly alertSinceMs: number;
  readonly alertSeverity: Severity;
  /** `--enforce`: the enforcement mode of this run; undefined: no enforcement, whatever the configuration says. */
  readonly enforce?: (typeof ENFORCE_MODES)[number];
}

export type ParsedCommand = ScanCommand | { readonly command: 'help' } | { readonly command: 'version' };

const THRESHOLDS = ['maxKeyAgeDays', 'warnDays', 'unusedDays', 'rotationGraceDays'] as const;

/** The settings that choose the accounts: given on the command line, they replace the file's choice. */
const SELECTION: readonly FlagSetting[] = ['accounts', 'organisation', 'ous', 'exclude'];

/** The accounts `settings` select. */
const selectionOf = (settings: ScanSettings): AccountSelection =>
  settings.organisation
    ? { mode: 'org', ous: settings.ous, exclude: settings.exclude }
    : settings.accounts.length > 0
      ? { mode: 'accounts', accountIds: settings.accounts }
      : { mode: 'self' };

/**
 * The live scan of a configuration (`base`: the `--config` file, or the defaults) with the command line's
 * `settings` over it. Choosing accounts on the command line (`--accounts`, `--org`) replaces the file's
 * choice as a whole.
 */
export const liveInputOf = (base: ScanSettings, settings: CommandLineSettings): LiveInput => {
  const choosesAccounts = SELECTION.some((key) => key in settings);
  const merged: ScanSettings = {
    ...base,
    ...(choosesAccounts ? { accounts: [], organisation: false, ous: [], exclude: [] } : {}),
    ...settings,
  };
  return {
    kind: 'live',
    source: merged.source,
    accounts: selectionOf(merged),
    roleName: merged.roleName,
    ...(merged.externalId === undefined ? {} : { externalId: merged.externalId }),
    concurrency: merged.concurrency,
  };
};

/** Throws the one-line `--flag: problem`. */
const refuse = (flag: string, problem: string): never => {
  throw new InputError(`--${flag}: ${problem}`);
};

/** The value of a setting flag, checked by the setting's own rule. */
const settingValue = (
  name: string,
  decl: OptionDecl & { setting: FlagSetting },
  raw: string | boolean,
): unknown => {
  const schema = schemaOf(decl);
  const value = typeof raw === 'boolean' ? raw : valueFromText(schema, raw);
  if (Array.isArray(value)) {
    if (value.length === 0) refuse(name, 'no ids given');
    const unique = [...new Set(value)];
    const problem = valueProblem(schema, unique);
    if (problem !== undefined) refuse(name, problem);
    return unique;
  }
  const problem = valueProblem(schema, value);
  if (problem !== undefined) refuse(name, problem);
  return value;
};

/** node:util's message for an unknown option, as one line with a did-you-mean. */
const unknownOption = (error: Error & { code?: string }): string => {
  const first = error.message.split('\n')[0] ?? 'invalid arguments';
  const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(first);
  if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || unknown === null) {
    return `${first.replace(/\. To specify a positional.*$/, '')} (see --help)`;
  }
  const [, dashes = '--', name = ''] = unknown;
  const near = didYouMean(name, Object.keys(OPTIONS));
  return `${dashes}${name}: unknown option${near === undefined ? '' : ` (did you mean --${near}?)`} (see --help)`;
};

/**
 * Parses `key-audit` arguments (without the node and script paths).
 * @throws InputError with one line naming the flag and the problem.
 */
export const parseCommandLine = (argv: readonly string[]): ParsedCommand => {
  const decls = OPTIONS as Readonly<Record<string, OptionDecl>>;
  const options = Object.fromEntries(
    Object.entries(decls).map(([name, d]) => [
      name,
      { type: d.type, ...(d.multiple ? { multiple: true } : {}), ...(d.short ? { short: d.short } : {}) },
    ]),
  ) as Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(unknownOption(error as Error), { cause: error });
  }
  const v = parsed.values as Partial<Record<OptionName, string | boolean | string[]>>;
  if (v.help === true) return { command: 'help' };
  if (v.version === true) return { command: 'version' };

  const [command, ...rest] = parsed.positionals;
  if (command === undefined) throw new InputError('missing command: try "key-audit scan --help"');
  if (command !== 'scan') throw new InputError(`unknown command "${command}": the only command is "scan"`);

  const str = (name: OptionName): string | undefined => {
    const value = v[name];
    return typeof value === 'string' ? value : undefined;
  };
  /** A command-line-only option's value, else its declared default. */
  const orDefault = (name: 'format' | 'fail-on' | 'alert-since'): string =>
    str(name) ?? OPTIONS[name].default;

  const reportFiles = [...((v['credential-report'] as string[] | undefined) ?? [])];
  if (rest.length > 0) {
    // `--credential-report a.csv b.csv`: the shell expands globs into positionals after the first file.
    if (reportFiles.length === 0) throw new InputError(`unexpected argument "${rest[0]}" (see --help)`);
    reportFiles.push(...rest);
  }

  const settings: Record<string, unknown> = {};
  for (const [name, decl] of Object.entries(decls)) {
    const raw = v[name as OptionName];
    if (decl.setting === undefined || raw === undefined || Array.isArray(raw)) continue;
    settings[decl.setting] = settingValue(name, decl as OptionDecl & { setting: FlagSetting }, raw);
  }
  const given = settings as CommandLineSettings;

  let input: InputSelection;
  if (reportFiles.length > 0) {
    const clash = Object.entries(decls).find(
      ([name, decl]) => decl.live === true && v[name as OptionName] !== undefined,
    );
    if (clash)
      throw new InputError(`--${clash[0]} cannot be combined with --credential-report (files are offline)`);
    input = { kind: 'files', files: reportFiles };
  } else {
    if (v.org === true && v.accounts !== undefined)
      throw new InputError('--org and --accounts cannot be combined');
    for (const flag of ['ou', 'exclude'] as const) {
      if (v[flag] !== undefined && v.org !== true) throw new InputError(`--${flag} needs --org`);
    }
    input = liveInputOf(SCAN_DEFAULTS, given);
  }

  const format = orDefault('format');
  if (!(FORMATS as readonly string[]).includes(format)) refuse('format', notOneOf(format, FORMATS));
  const failOn = orDefault('fail-on');
  if (failOn !== FAIL_ON_NONE && !isSeverity(failOn))
    refuse('fail-on', notOneOf(failOn, [...SEVERITIES, FAIL_ON_NONE]));
  const thresholds: ThresholdOverrides = Object.fromEntries(
    THRESHOLDS.filter((key) => given[key] !== undefined).map((key) => [key, given[key]]),
  );
  const topic = (flag: 'publish-report' | 'publish-alerts'): string | undefined => {
    const value = str(flag);
    if (value !== undefined && !TOPIC_ARN_RULE.pattern.test(value))
      refuse(flag, idProblem(TOPIC_ARN_RULE, value));
    return value;
  };
  const publishAlerts = topic('publish-alerts');
  if (publishAlerts === undefined) {
    for (const flag of ['alert-since', 'alert-severity'] as const) {
      if (v[flag] !== undefined) throw new InputError(`--${flag} needs --publish-alerts`);
    }
  }
  const publishReport = topic('publish-report');
  const history = str('history');
  if (history !== undefined) {
    try {
      parseHistoryLocation(history);
    } catch (error) {
      refuse('history', (error as Error).message);
    }
    if (v['alert-since'] !== undefined)
      throw new InputError(
        '--alert-since cannot be combined with --history: a history sends every alert not delivered yet, whenever it became true',
      );
  }
  const enforce = str('enforce');
  if (enforce !== undefined && !(ENFORCE_MODES as readonly string[]).includes(enforce))
    refuse('enforce', notOneOf(enforce, ENFORCE_MODES));
  if (enforce === 'apply' && history === undefined)
    refuse('enforce', 'apply needs --history LOCATION: notices and actions are remembered from run to run');
  if (enforce === 'apply' && publishAlerts === undefined)
    refuse('enforce', 'apply needs --publish-alerts TOPIC_ARN: a key is only changed after a notice there');
  const asOf = str('as-of');
  const output = str('output');
  const configFile = str('config');
  const profile = str('profile');
  const region = str('region');
  return {
    command: 'scan',
    input,
    settings: given,
    ...(asOf !== undefined ? { asOf: parseInstant(asOf, '--as-of') } : {}),
    ...(configFile !== undefined ? { configFile } : {}),
    thresholds,
    format: format as Format,
    ...(output !== undefined ? { output } : {}),
    failOn: failOn === FAIL_ON_NONE ? FAIL_ON_NONE : (failOn as Severity),
    quiet: v.quiet === true,
    stats: v.stats === true,
    debug: v.debug === true,
    noColor: v['no-color'] === true,
    ...(profile !== undefined ? { profile } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(publishReport !== undefined ? { publishReport } : {}),
    ...(publishAlerts !== undefined ? { publishAlerts } : {}),
    ...(history !== undefined ? { history } : {}),
    alertSinceMs: parseDuration(orDefault('alert-since'), '--alert-since'),
    alertSeverity: given.alertSeverity ?? SCAN_DEFAULTS.alertSeverity,
    publishSecurityHub: v['publish-securityhub'] === true,
    ...(enforce !== undefined ? { enforce: enforce as (typeof ENFORCE_MODES)[number] } : {}),
  };
};
