/**
 * Turns a policy as a person wrote it (a configuration file's `policy`, flags) into a `Policy`: every
 * field validated, defaults filled in, every problem reported at once so one run shows all the fixes.
 */
import { didYouMean } from './did-you-mean.ts';
import { ConfigurationError } from './errors.ts';
import { parseCalendarDate } from './exemptions.ts';
import { type ConfiguredExemption, DEFAULT_POLICY, type Policy } from './policy.ts';

type Threshold = 'maxKeyAgeDays' | 'warnDays' | 'unusedDays' | 'rotationGraceDays';

const THRESHOLDS: readonly Threshold[] = ['maxKeyAgeDays', 'warnDays', 'unusedDays', 'rotationGraceDays'];
const POLICY_KEYS: readonly string[] = [...THRESHOLDS, 'criticalAgeMultiplier', 'exemptions'];
const EXEMPTION_KEYS: readonly string[] = ['accountId', 'userName', 'until', 'reason'];
/** IAM user name characters, plus the glob wildcards. */
const USER_NAME_GLOB = /^[\w+=,.@*?-]{1,64}$/;

const show = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const unknownKey = (path: string, key: string, known: readonly string[]): string => {
  const near = didYouMean(key, known);
  return `${path}${key}: unknown setting${near === undefined ? '' : ` (did you mean ${near}?)`}`;
};

const exemptionProblems = (
  value: unknown,
  path: string,
): { problems: string[]; exemption?: ConfiguredExemption } => {
  if (!isRecord(value)) return { problems: [`${path}: ${show(value)} is not an object`] };
  const problems = Object.keys(value)
    .filter((key) => !EXEMPTION_KEYS.includes(key))
    .map((key) => unknownKey(`${path}.`, key, EXEMPTION_KEYS));
  const { accountId = '*', userName, until, reason } = value;
  if (typeof accountId !== 'string' || !(accountId === '*' || /^\d{12}$/.test(accountId))) {
    problems.push(`${path}.accountId: ${show(accountId)} is not a 12-digit account id or "*"`);
  }
  if (typeof userName !== 'string' || !USER_NAME_GLOB.test(userName.trim())) {
    problems.push(
      `${path}.userName: ${userName === undefined ? 'missing' : `${show(userName)} is not an IAM user name or glob (1-64 of A-Z a-z 0-9 +=,.@_- and * ?)`}`,
    );
  }
  if (until === undefined) problems.push(`${path}.until: missing (the last exempt day, YYYY-MM-DD)`);
  else if (typeof until !== 'string' || parseCalendarDate(until) === null) {
    problems.push(`${path}.until: ${show(until)} is not a date (YYYY-MM-DD)`);
  }
  if (reason === undefined) problems.push(`${path}.reason: missing (every exemption needs a reason)`);
  else if (typeof reason !== 'string' || reason.trim() === '') {
    problems.push(`${path}.reason: ${show(reason)} is not a reason`);
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    exemption: Object.freeze({
      accountId: accountId as string,
      userName: (userName as string).trim(),
      until: until as string,
      reason: (reason as string).trim(),
    }),
  };
};

/** One problem with a policy: the field path (e.g. `exemptions[2].until`) and what is wrong. */
export interface PolicyProblem {
  readonly path: string;
  readonly problem: string;
}

const splitProblem = (text: string): PolicyProblem => {
  const at = text.indexOf(': ');
  return { path: text.slice(0, at), problem: text.slice(at + 2) };
};

/**
 * Validates `input` (a partial policy; undefined means "all defaults") and merges it over `DEFAULT_POLICY`.
 * Returns every problem instead of throwing, so that other configuration readers (the CDK app) can report
 * them under their own key names. This is the one definition of a valid policy.
 */
export const checkPolicy = (
  input: unknown,
):
  | { readonly policy: Policy; readonly problems: readonly [] }
  | { readonly problems: readonly PolicyProblem[] } => {
  if (input === undefined) return { policy: DEFAULT_POLICY, problems: [] };
  if (!isRecord(input)) return { problems: [{ path: 'policy', problem: `${show(input)} is not an object` }] };
  const problems: string[] = Object.keys(input)
    .filter((key) => !POLICY_KEYS.includes(key))
    .map((key) => unknownKey('', key, POLICY_KEYS));

  const thresholds: Record<Threshold, number> = {
    maxKeyAgeDays: DEFAULT_POLICY.maxKeyAgeDays,
    warnDays: DEFAULT_POLICY.warnDays,
    unusedDays: DEFAULT_POLICY.unusedDays,
    rotationGraceDays: DEFAULT_POLICY.rotationGraceDays,
  };
  const invalid = new Set<Threshold>();
  for (const key of THRESHOLDS) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) thresholds[key] = value;
    else {
      invalid.add(key);
      problems.push(`${key}: ${show(value)} is not a positive whole number of days`);
    }
  }
  // Compared only when both are valid, so that one typo is not reported twice.
  if (
    !invalid.has('warnDays') &&
    !invalid.has('maxKeyAgeDays') &&
    thresholds.warnDays >= thresholds.maxKeyAgeDays
  ) {
    problems.push(
      `warnDays: ${thresholds.warnDays} must be less than maxKeyAgeDays (${thresholds.maxKeyAgeDays})`,
    );
  }

  let criticalAgeMultiplier = DEFAULT_POLICY.criticalAgeMultiplier;
  const multiplier = input.criticalAgeMultiplier;
  if (multiplier !== undefined) {
    if (typeof multiplier === 'number' && Number.isFinite(multiplier) && multiplier > 1) {
      criticalAgeMultiplier = multiplier;
    } else problems.push(`criticalAgeMultiplier: ${show(multiplier)} is not a number greater than 1`);
  }

  const exemptions: ConfiguredExemption[] = [];
  const listed = input.exemptions;
  if (listed !== undefined) {
    if (!Array.isArray(listed)) problems.push(`exemptions: ${show(listed)} is not a list`);
    else {
      listed.forEach((entry: unknown, index) => {
        const checked = exemptionProblems(entry, `exemptions[${index}]`);
        problems.push(...checked.problems);
        if (checked.exemption !== undefined) exemptions.push(checked.exemption);
      });
    }
  }

  if (problems.length > 0) return { problems: problems.map(splitProblem) };
  return {
    policy: Object.freeze({ ...thresholds, criticalAgeMultiplier, exemptions: Object.freeze(exemptions) }),
    problems: [],
  };
};

/**
 * Validates `input` (see `checkPolicy`) and throws a `ConfigurationError` listing every problem, each
 * `<origin>: <field path>: <problem>`, e.g. `config.json: exemptions[2].until: "2026-13-01" is not a date (YYYY-MM-DD)`.
 */
export const resolvePolicy = (input: unknown, origin: string): Policy => {
  const checked = checkPolicy(input);
  if ('policy' in checked) return checked.policy;
  throw new ConfigurationError(checked.problems.map(({ path, problem }) => `${origin}: ${path}: ${problem}`));
};
