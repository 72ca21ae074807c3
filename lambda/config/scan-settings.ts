/**
 * What a scan covers and how it runs: the settings the CLI, the Lambda and the CDK app share. Declared
 * once here; `key-audit-config.ts` adds the deployment settings, `handler-config.ts` reads these from the
 * Lambda environment and `bin/cli/option-specs.ts` maps flags onto them.
 */
import * as z from 'zod/mini';
import {
  ACCOUNT_ID_RULE,
  EXTERNAL_ID_RULE,
  OU_OR_ROOT_ID_RULE,
  ROLE_NAME_RULE,
  ROLE_NAME_WITH_PATH_RULE,
} from '../domain/aws-ids.ts';
import { SEVERITIES } from '../domain/severity.ts';
import {
  flag,
  group,
  identifier,
  list,
  oneOf,
  optionalSetting,
  setting,
  show,
  strict,
  text,
  wholeNumber,
} from './schema-kit.ts';

/** Most accounts scanned in parallel: beyond this, the caller's own STS bucket throttles every AssumeRole. */
export const MAX_CONCURRENCY = 50;

/** A 12-digit account id; a JSON number is refused with the reason (it loses leading zeros). */
export const accountId = () =>
  identifier(ACCOUNT_ID_RULE, (value) =>
    typeof value === 'number'
      ? `${value} must be a quoted string of 12 digits (a JSON number loses leading zeros)`
      : undefined,
  );

/** Organizations tag keys: 1-128 characters; values: up to 256. */
const TAG_KEY_LENGTH = { min: 1, max: 128 } as const;
const TAG_VALUE_MAX_LENGTH = 256;

/** `{"key": "value"}`: Organizations account tags, each to match exactly. */
const accountTags = () =>
  z.record(
    text(
      (key) => key.length >= TAG_KEY_LENGTH.min && key.length <= TAG_KEY_LENGTH.max,
      (key) => `${show(key)} is not a tag key (1-128 characters)`,
    ),
    text(
      (value) => value.length <= TAG_VALUE_MAX_LENGTH,
      (value) => `${show(value)} is not a tag value (a string of up to 256 characters)`,
    ),
    { error: (issue) => `${show(issue.input)} must be an object of tag keys and values` },
  );

/**
 * Which accounts are production: their findings say so (renderings tell the 2nd line first) and
 * enforcement gives them a longer notice. Classified by `lambda/domain/production.ts`.
 */
const PRODUCTION = group({
  accounts: setting(list(accountId()), () => [], {
    description: 'Production accounts by id.',
    example: ['111122223333'],
  }),
  ous: setting(list(identifier(OU_OR_ROOT_ID_RULE)), () => [], {
    description:
      'Production accounts: every account under these OUs (`ou-…`) or the root (`r-…`), child OUs included. Organisation mode only (read from Organizations).',
    example: ['ou-ab12-prod0001'],
  }),
  accountTag: setting(accountTags(), () => ({}), {
    type: 'object',
    description:
      'Production accounts: those carrying every one of these Organizations account tags, with exactly these values, e.g. `{"environment": "production"}`. Organisation mode only.',
    example: { environment: 'production' },
  }),
});

/** The scan settings, in the order the README lists them. */
export const SCAN_SETTINGS = {
  accounts: setting(list(accountId()), () => [], {
    description:
      'Account mode: 12-digit account ids (quoted) scanned through the member role. Empty and `organisation` false: only the scanner account, with its own credentials.',
    example: ['111122223333'],
  }),
  organisation: setting(flag(), false, {
    description: 'Organisation mode: every ACTIVE account of the organisation. Excludes `accounts`.',
    example: true,
  }),
  ous: setting(list(identifier(OU_OR_ROOT_ID_RULE)), () => [], {
    description:
      'Organisation mode: only accounts under these OUs (`ou-…`) or the root (`r-…`), and their children.',
    example: ['ou-ab12-cdef3456'],
  }),
  exclude: setting(list(accountId()), () => [], {
    description: 'Organisation mode: account ids never scanned.',
    example: ['111122223333'],
  }),
  roleName: setting(identifier(ROLE_NAME_RULE), 'KeyAuditReadOnly', {
    description: 'Name of the read-only member role assumed in each scanned account.',
    example: 'KeyAuditRead',
  }),
  externalId: optionalSetting(identifier(EXTERNAL_ID_RULE), {
    description: '`sts:ExternalId` the member role requires and the scanner sends.',
    example: 'key-audit-7f3a',
  }),
  source: setting(oneOf(['report', 'api']), 'report', {
    description:
      'Key data from the IAM credential report (fast; up to 4 h old; flagged users re-checked live) or from the IAM API (current; calls per user).',
    example: 'api',
  }),
  alertSeverity: setting(oneOf(SEVERITIES), 'high', {
    type: '`critical` … `info`',
    description: 'Lowest severity that alerts (new findings at or above it; critical ones always).',
    example: 'critical',
  }),
  concurrency: setting(wholeNumber({ min: 1, max: MAX_CONCURRENCY, unit: 'accounts' }), 4, {
    description: 'Accounts scanned at once (IAM throttles per account, so accounts parallelise well).',
    example: 8,
  }),
  production: PRODUCTION,
};

const SCAN_OBJECT = strict(SCAN_SETTINGS);

/** The scan settings as one object, every default applied. */
export type ScanSettings = z.output<typeof SCAN_OBJECT>;

/** Which accounts are production, every default applied (see `ProductionSettings`). */
export type ProductionConfig = ScanSettings['production'];

/** Every scan default. */
export const SCAN_DEFAULTS: Readonly<ScanSettings> = Object.freeze(SCAN_OBJECT.parse({}));

/**
 * A role name to assume, which may carry an IAM path: the CLI's `--role-name` and the Lambda's
 * `KEY_AUDIT_ROLE_NAME`. The configuration's `roleName` is stricter (no path) because the member-role
 * stacks create the role under that name.
 */
export const ASSUMED_ROLE_NAME = z._default(identifier(ROLE_NAME_WITH_PATH_RULE), SCAN_DEFAULTS.roleName);

/** How one encoding names the mode settings in problems (`organisation: true`, `KEY_AUDIT_ORG=true`). */
export interface ModeNames {
  /** Organisation mode switched on, e.g. `organisation: true`. */
  readonly organisationOn: string;
}

/** The mode settings as read, before defaults. */
export interface ModeInput {
  readonly organisation: boolean;
  readonly accounts: readonly string[];
  readonly ous: readonly string[];
  readonly exclude: readonly string[];
}

/**
 * The rules between the mode settings, shared by the configuration and the Lambda environment: accounts
 * and organisation mode exclude each other; OUs and exclusions only mean something in organisation mode.
 */
export const modeProblems = (
  value: ModeInput,
  names: ModeNames,
): { readonly key: 'accounts' | 'ous' | 'exclude'; readonly problem: string }[] => {
  if (value.organisation) {
    return value.accounts.length > 0
      ? [{ key: 'accounts', problem: `cannot be combined with ${names.organisationOn} (choose one mode)` }]
      : [];
  }
  return (['ous', 'exclude'] as const)
    .filter((key) => value[key].length > 0)
    .map((key) => ({ key, problem: `is only used with ${names.organisationOn}` }));
};
