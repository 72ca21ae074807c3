/**
 * The rotation policy as people write it (cdk.json, the CLI's `--config` file, the Lambda's
 * `KEY_AUDIT_POLICY`): declared once here, with its defaults, its checks and its documentation. Every
 * threshold has a default that matches the runbook: rotate every 90 days, at most one active key per user
 * outside a rotation.
 */
import * as z from 'zod/mini';
import {
  list,
  numberAbove,
  type Problem,
  problemsOf,
  relation,
  setting,
  show,
  strict,
  text,
  wholeNumber,
} from '../config/schema-kit.ts';
import { ACCOUNT_ID_RULE, idProblem } from './aws-ids.ts';
import { ConfigurationError } from './errors.ts';
import { parseCalendarDate } from './exemptions.ts';

/** IAM user name characters, plus the glob wildcards. */
const USER_NAME_GLOB = /^[\w+=,.@*?-]{1,64}$/;

const days = () => wholeNumber({ min: 1, unit: 'days' });

/** A value that must be given: `missing (why)` when it is not. */
const required =
  (why: string | undefined, problem: (value: unknown) => string) =>
  (value: unknown): string =>
    value === undefined ? `missing${why === undefined ? '' : ` (${why})`}` : problem(value);

/** One exemption from the configuration: a user (or glob of users) excused until a date, for a reason. */
const EXEMPTION = strict({
  accountId: z._default(
    text(
      (v) => v === '*' || ACCOUNT_ID_RULE.pattern.test(v),
      (v) => `${idProblem(ACCOUNT_ID_RULE, v)} or "*"`,
    ),
    '*',
  ),
  userName: text(
    (v) => USER_NAME_GLOB.test(v.trim()),
    required(
      undefined,
      (v) => `${show(v)} is not an IAM user name or glob (1-64 of A-Z a-z 0-9 +=,.@_- and * ?)`,
    ),
  ).check(z.trim()),
  until: text(
    (v) => parseCalendarDate(v) !== null,
    required('the last exempt day, YYYY-MM-DD', (v) => `${show(v)} is not a date (YYYY-MM-DD)`),
  ),
  reason: text(
    (v) => v.trim() !== '',
    required('every exemption needs a reason', (v) => `${show(v)} is not a reason`),
  ).check(z.trim()),
});

/** The policy settings, in the order the README lists them. */
export const POLICY_SETTINGS = {
  maxKeyAgeDays: setting(days(), 90, {
    description: 'Active keys older than this many days (more than N × 24 h since creation) must be rotated.',
    example: 60,
  }),
  warnDays: setting(days(), 14, {
    description: 'Warn this many days before a key reaches `maxKeyAgeDays`; less than it.',
    example: 7,
  }),
  unusedDays: setting(days(), 45, {
    description: 'Active keys unused (or never used) this many days should be removed.',
    example: 30,
  }),
  rotationGraceDays: setting(days(), 7, {
    description: 'Two active keys count as a rotation in progress while the newer key is younger than this.',
    example: 3,
  }),
  criticalAgeMultiplier: setting(numberAbove(1), 2, {
    description: 'Too-old keys become critical beyond this multiple of `maxKeyAgeDays`.',
    example: 1.5,
  }),
  maxExemptionDays: setting(days(), 90, {
    description:
      'An exemption may end at most this many days after the scan; one running further is not honoured (an `invalid-exemption` finding).',
    example: 30,
  }),
  exemptions: setting(list(EXEMPTION), () => [], {
    description:
      '`{accountId?, userName, until, reason}`: user (glob: `*`, `?`) excused until `YYYY-MM-DD` (UTC, inclusive); `accountId` defaults to every account. IAM user tags exempt users too.',
    example: [{ userName: 'ci-*', until: '2030-01-31', reason: 'legacy CI, ticket SEC-1' }],
  }),
};

/** The policy's keys. */
export const POLICY_KEYS = Object.keys(POLICY_SETTINGS) as readonly (keyof typeof POLICY_SETTINGS)[];

/** `warnDays` below `maxKeyAgeDays`: a warning after the limit would never be seen. */
export const warnBeforeMaxAge = relation<{ warnDays: number; maxKeyAgeDays: number }>(
  ['warnDays', 'maxKeyAgeDays'],
  ({ warnDays, maxKeyAgeDays }, report) => {
    if (warnDays >= maxKeyAgeDays) {
      report('warnDays', `${warnDays} must be less than maxKeyAgeDays (${maxKeyAgeDays})`);
    }
  },
);

/** A whole policy, as `KEY_AUDIT_POLICY` carries it. */
export const POLICY_SCHEMA = strict(POLICY_SETTINGS).check(warnBeforeMaxAge);

/** An exemption as configured (`accountId` may be left out: every account). */
export type ConfiguredExemption = Readonly<z.input<typeof EXEMPTION>>;

/** The rotation policy: thresholds (names carry their unit) and exemptions. */
export type Policy = Readonly<Omit<z.output<typeof POLICY_SCHEMA>, 'exemptions'>> & {
  /** Exemptions from configuration (tags on users are read as well). */
  readonly exemptions: readonly ConfiguredExemption[];
};

/** `policy`, frozen with its exemptions: the policy is shared by every evaluation of a run. */
export const frozen = (policy: Policy): Policy =>
  Object.freeze({
    ...policy,
    exemptions: Object.freeze(policy.exemptions.map((e) => Object.freeze({ ...e }))),
  });

/** The policy fields of `value` (a whole configuration, say), as a frozen policy. */
export const policyOf = (value: Policy): Policy => {
  const {
    maxKeyAgeDays,
    warnDays,
    unusedDays,
    rotationGraceDays,
    criticalAgeMultiplier,
    maxExemptionDays,
    exemptions,
  } = value;
  return frozen({
    maxKeyAgeDays,
    warnDays,
    unusedDays,
    rotationGraceDays,
    criticalAgeMultiplier,
    maxExemptionDays,
    exemptions,
  });
};

/** Every default. */
export const DEFAULT_POLICY: Policy = frozen(POLICY_SCHEMA.parse({}));

/** One problem with a policy: the field path (e.g. `exemptions[2].until`) and what is wrong. */
export type PolicyProblem = Problem;

/**
 * Validates `input` (a partial policy; undefined means "all defaults") and merges it over `DEFAULT_POLICY`.
 * Returns every problem instead of throwing, so that other configuration readers can report them under
 * their own names.
 */
export const checkPolicy = (
  input: unknown,
):
  | { readonly policy: Policy; readonly problems: readonly [] }
  | { readonly problems: readonly PolicyProblem[] } => {
  if (input === undefined) return { policy: DEFAULT_POLICY, problems: [] };
  const result = POLICY_SCHEMA.safeParse(input);
  if (result.success) return { policy: frozen(result.data), problems: [] };
  return { problems: problemsOf(result.error.issues, POLICY_SCHEMA) };
};

/** `origin: path: problem`, or `origin: problem` for a problem with the whole value. */
export const withOrigin = (origin: string, { path, problem }: Problem): string =>
  path === '' ? `${origin}: ${problem}` : `${origin}: ${path}: ${problem}`;

/**
 * Validates `input` (see `checkPolicy`) and throws a `ConfigurationError` listing every problem, each
 * `<origin>: <field path>: <problem>`, e.g. `config.json: exemptions[2].until: "2026-13-01" is not a date (YYYY-MM-DD)`.
 */
export const resolvePolicy = (input: unknown, origin: string): Policy => {
  const checked = checkPolicy(input);
  if ('policy' in checked) return checked.policy;
  throw new ConfigurationError(checked.problems.map((problem) => withOrigin(origin, problem)));
};
