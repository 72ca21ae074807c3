/**
 * Builds Reports by hand for renderer tests, independent of the rules engine: every rule's finding with
 * realistic, self-consistent fields (ages, deadlines, `since`, `overdueDays` computed the way the catalogue
 * describes them), and a summary counted from the findings the way `Summary` documents it.
 */

import { CATALOGUE } from '../../../lambda/domain/catalogue.ts';
import type { ReportedAction } from '../../../lambda/domain/enforcement/record.ts';
import type { AppliedExemption, Finding, RuleId } from '../../../lambda/domain/finding.ts';
import { addDays, DAY_MS, DEFAULT_POLICY, type Policy } from '../../../lambda/domain/policy.ts';
import type { AccountStatus, Incompleteness, Report, Summary } from '../../../lambda/domain/report.ts';
import { NO_KEY_FIELDS } from '../../../lambda/domain/rules/rule.ts';
import { isAtLeast, SEVERITIES, type Severity, severityRank } from '../../../lambda/domain/severity.ts';

export const AS_OF = new Date('2026-11-15T06:00:00.000Z');
export const PROD = '111111111111';
export const DEV = '222222222222';
export const BROKEN = '333333333333';

const HOUR_MS = 3_600_000;

/** The creation instant of a key `ageDays` old at `asOf` (plus a few hours, so the age is not on a boundary). */
export const createdAtFor = (ageDays: number, asOf = AS_OF): Date =>
  new Date(asOf.getTime() - ageDays * DAY_MS - 3 * HOUR_MS);

const arn = (accountId: string, userName: string): string =>
  userName === '<root_account>'
    ? `arn:aws:iam::${accountId}:root`
    : `arn:aws:iam::${accountId}:user/${userName}`;

/** Fields of a finding about one user's key; rule builders fill in the rest. */
interface KeyInput {
  readonly accountId?: string;
  readonly userName?: string;
  readonly accessKeyId?: string | null;
  readonly keySlot?: 1 | 2 | null;
  readonly ageDays?: number;
  readonly lastUsedAt?: Date | null;
  readonly lastUsedService?: string | null;
  readonly lastUsedRegion?: string | null;
  readonly owner?: string | null;
  readonly exemption?: AppliedExemption | null;
}

const keyFinding = (
  rule: RuleId,
  input: KeyInput,
  defaults: { userName: string; ageDays: number },
  rest: Pick<Finding, 'severity' | 'since' | 'overdueDays' | 'message'> & Partial<Finding>,
): Finding => {
  const accountId = input.accountId ?? PROD;
  const userName = input.userName ?? defaults.userName;
  const accessKeyId = input.accessKeyId === undefined ? 'AKIAIOSFODNN7EXAMPLE' : input.accessKeyId;
  const exemption = input.exemption ?? null;
  return {
    id: `${rule}:${accountId}:${accessKeyId ?? `${userName}#${input.keySlot ?? 1}`}`,
    rule,
    accountId,
    userName,
    userArn: arn(accountId, userName),
    accessKeyId,
    keySlot: input.keySlot ?? null,
    ageDays: input.ageDays ?? defaults.ageDays,
    lastUsedAt: input.lastUsedAt === undefined ? new Date('2026-10-02T09:14:00Z') : input.lastUsedAt,
    lastUsedService: input.lastUsedService === undefined ? 's3' : input.lastUsedService,
    lastUsedRegion: input.lastUsedRegion === undefined ? 'eu-west-2' : input.lastUsedRegion,
    owner: input.owner === undefined ? 'team-payments@example.com' : input.owner,
    production: false,
    exempt: exemption !== null,
    exemption,
    remediation: CATALOGUE[rule].remediation,
    ...rest,
  };
};

/** `key-too-old`; critical beyond twice the limit, as the catalogue says. */
export const keyTooOld = (input: KeyInput = {}, policy: Policy = DEFAULT_POLICY): Finding => {
  const ageDays = input.ageDays ?? 134;
  const since = addDays(createdAtFor(ageDays), policy.maxKeyAgeDays);
  const overdueDays = Math.floor((AS_OF.getTime() - since.getTime()) / DAY_MS);
  return keyFinding(
    'key-too-old',
    { ...input, ageDays },
    { userName: 'alice', ageDays },
    {
      severity: ageDays > policy.maxKeyAgeDays * policy.criticalAgeMultiplier ? 'critical' : 'high',
      since,
      overdueDays,
      message: `Key of ${input.userName ?? 'alice'} is ${ageDays} days old: overdue by ${overdueDays} days.`,
    },
  );
};

/** `key-due-soon`: `since` is when the warning began, `warnDays` before the deadline. */
export const keyDueSoon = (input: KeyInput = {}, policy: Policy = DEFAULT_POLICY): Finding => {
  const ageDays = input.ageDays ?? 84;
  return keyFinding(
    'key-due-soon',
    { accessKeyId: 'AKIAI44QH8DHBDUESOON', ...input, ageDays },
    { userName: 'bob', ageDays },
    {
      severity: 'low',
      since: addDays(createdAtFor(ageDays), policy.maxKeyAgeDays - policy.warnDays),
      overdueDays: null,
      message: `Rotate the key of ${input.userName ?? 'bob'} before it is ${policy.maxKeyAgeDays} days old.`,
    },
  );
};

/** `key-unused`: never used (default) or last used long ago. */
export const keyUnused = (input: KeyInput = {}, policy: Policy = DEFAULT_POLICY): Finding => {
  const ageDays = input.ageDays ?? 60;
  const lastUsedAt = input.lastUsedAt === undefined ? null : input.lastUsedAt;
  return keyFinding(
    'key-unused',
    {
      accessKeyId: 'AKIAJUNUSEDKEY000001',
      lastUsedService: null,
      lastUsedRegion: null,
      ...input,
      lastUsedAt,
      ageDays,
    },
    { userName: 'ci-deployer', ageDays },
    {
      severity: 'medium',
      since: addDays(lastUsedAt ?? createdAtFor(ageDays), policy.unusedDays),
      overdueDays: null,
      message: `Key of ${input.userName ?? 'ci-deployer'} has not been used for more than ${policy.unusedDays} days.`,
    },
  );
};

/** `two-active-keys` during (or after) a rotation; reported against the older key. */
export const twoActiveKeys = (
  input: KeyInput & {
    readonly newKeyAgeDays?: number;
    readonly oldKeyUsedSinceNewKey?: boolean;
    readonly newAccessKeyId?: string | null;
    readonly newKeySlot?: 1 | 2 | null;
    readonly newKeyLastUsedAt?: Date | null;
  } = {},
  policy: Policy = DEFAULT_POLICY,
): Finding => {
  const newKeyAgeDays = input.newKeyAgeDays ?? 3;
  const newKeyCreatedAt = createdAtFor(newKeyAgeDays);
  const oldKeyId = input.accessKeyId === undefined ? 'AKIAOLDKEYROTATING01' : input.accessKeyId;
  return keyFinding(
    'two-active-keys',
    { accessKeyId: oldKeyId, ageDays: 95, ...input },
    { userName: 'reporting-etl', ageDays: 95 },
    {
      severity: newKeyAgeDays < policy.rotationGraceDays ? 'medium' : 'high',
      since: newKeyCreatedAt,
      overdueDays: null,
      message: `${input.userName ?? 'reporting-etl'} has two active keys.`,
      rotation: {
        oldKeyUsedSinceNewKey: input.oldKeyUsedSinceNewKey ?? true,
        oldAccessKeyId: oldKeyId,
        oldKeySlot: input.keySlot ?? null,
        newAccessKeyId: input.newAccessKeyId === undefined ? 'AKIANEWKEYROTATING02' : input.newAccessKeyId,
        newKeySlot: input.newKeySlot ?? null,
        newKeyCreatedAt,
        newKeyLastUsedAt:
          input.newKeyLastUsedAt === undefined
            ? new Date(newKeyCreatedAt.getTime() + DAY_MS)
            : input.newKeyLastUsedAt,
      },
    },
  );
};

/** `inactive-key`. */
export const inactiveKey = (input: KeyInput = {}): Finding =>
  keyFinding(
    'inactive-key',
    { accessKeyId: 'AKIAINACTIVEKEY00001', ...input },
    { userName: 'old-batch', ageDays: 300 },
    { severity: 'low', since: null, overdueDays: null, message: 'An inactive key is still present.' },
  );

/** `root-access-key`: from a credential report (slot, no id) by default. */
export const rootAccessKey = (input: KeyInput = {}): Finding =>
  keyFinding(
    'root-access-key',
    { accessKeyId: null, keySlot: 1, owner: null, lastUsedService: 'iam', lastUsedRegion: null, ...input },
    { userName: '<root_account>', ageDays: 400 },
    {
      severity: 'critical',
      since: createdAtFor(400),
      overdueDays: null,
      message: 'The root user has an active access key.',
    },
  );

/** `invalid-exemption`: about a user, not a key. */
export const invalidExemption = (input: Pick<KeyInput, 'accountId' | 'userName' | 'owner'> = {}): Finding => {
  const accountId = input.accountId ?? PROD;
  const userName = input.userName ?? 'legacy-ftp';
  return {
    id: `invalid-exemption:${accountId}:${userName}`,
    rule: 'invalid-exemption',
    severity: 'medium',
    accountId,
    userName,
    userArn: arn(accountId, userName),
    ...NO_KEY_FIELDS,
    since: null,
    owner: input.owner === undefined ? null : input.owner,
    production: false,
    exempt: false,
    exemption: null,
    message: `Exemption tag on ${userName} has an unparseable date "31/12/2026".`,
    remediation: CATALOGUE['invalid-exemption'].remediation,
  };
};

/** `account-unreachable` for an account whose scan failed. */
export const accountUnreachable = (
  accountId = BROKEN,
  error = 'AccessDenied: User: arn:aws:sts::999999999999:assumed-role/KeyAuditScanner/key-audit is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/KeyAuditReadOnly',
): Finding => ({
  id: `account-unreachable:${accountId}`,
  rule: 'account-unreachable',
  severity: 'high',
  accountId,
  userName: null,
  userArn: null,
  ...NO_KEY_FIELDS,
  since: null,
  owner: null,
  production: false,
  exempt: false,
  exemption: null,
  message: `Account ${accountId} could not be scanned: ${error}`,
  remediation: CATALOGUE['account-unreachable'].remediation,
});

/** An exemption as a tag declares it. */
export const tagExemption = (
  until = '2026-12-31',
  reason = 'vendor integration, rotation with vendor in Dec',
): AppliedExemption => ({
  reason,
  until,
  source: 'tag',
});

/** Summary counted from the findings and accounts, as `Summary` documents it. */
export const summarise = (accounts: readonly AccountStatus[], findings: readonly Finding[]): Summary => {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (!f.exempt) bySeverity[f.severity] += 1;
  const active = findings.filter((f) => !f.exempt);
  return {
    accounts: accounts.length,
    failedAccounts: accounts.filter((a) => a.status === 'failed').length,
    users: accounts.reduce((sum, a) => sum + (a.status === 'scanned' ? a.users : 0), 0),
    activeKeys: accounts.reduce((sum, a) => sum + (a.status === 'scanned' ? a.activeKeys : 0), 0),
    violations: active.filter((f) => isAtLeast(f.severity, 'medium')).length,
    warnings: active.filter((f) => !isAtLeast(f.severity, 'medium')).length,
    exempt: findings.length - active.length,
    bySeverity,
  };
};

/** A scanned account's status. */
export const scanned = (accountId: string, users = 12, activeKeys = 15): AccountStatus => ({
  accountId,
  status: 'scanned',
  source: 'credential-report',
  users,
  activeKeys,
  reportGeneratedAt: new Date(AS_OF.getTime() - 2 * HOUR_MS),
});

/** A failed account's status, with the error its unreachable finding carries. */
export const failed = (
  accountId: string,
  error = 'AccessDenied: not authorized to perform sts:AssumeRole',
): AccountStatus => ({
  accountId,
  status: 'failed',
  error,
  cause: 'role',
});

/** A Report of `findings`: accounts default to those the findings name (failed when unreachable). */
export const makeReport = (
  findings: readonly Finding[],
  options: {
    readonly accounts?: readonly AccountStatus[];
    readonly policy?: Policy;
    readonly asOf?: Date;
    readonly incomplete?: Incompleteness;
  } = {},
): Report => {
  const accounts =
    options.accounts ??
    [...new Set(findings.map((f) => f.accountId))].map((id) => {
      const unreachable = findings.find((f) => f.accountId === id && f.rule === 'account-unreachable');
      return unreachable === undefined
        ? scanned(id)
        : failed(id, unreachable.message.replace(/^.*scanned: /, ''));
    });
  const sorted = [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  return {
    schemaVersion: 1,
    asOf: options.asOf ?? AS_OF,
    policy: options.policy ?? DEFAULT_POLICY,
    accounts,
    findings: sorted,
    summary: summarise(accounts, findings),
    ...(options.incomplete === undefined ? {} : { incomplete: options.incomplete }),
  };
};

/**
 * Three accounts (production, development, one unreachable) with a finding of every rule, a rotation in
 * progress, exempt findings, and multi-byte user and owner names.
 */
export const everyRuleReport = (): Report =>
  makeReport([
    rootAccessKey(),
    keyTooOld({ userName: 'svc-legacy-backup', accessKeyId: 'AKIAOLDCRITICAL00001', ageDays: 290 }),
    keyTooOld(),
    twoActiveKeys(),
    keyUnused(),
    invalidExemption(),
    keyDueSoon({ accountId: DEV, userName: 'zoë', owner: 'Zoë Brontë 🚀' }),
    inactiveKey({ accountId: DEV }),
    keyTooOld({
      accountId: DEV,
      userName: 'vendor-sync',
      accessKeyId: 'AKIAEXEMPTVENDOR0001',
      ageDays: 120,
      exemption: tagExemption(),
    }),
    accountUnreachable(),
  ]);

const RULE_CYCLE: readonly ((i: number, accountId: string) => Finding)[] = [
  (i, accountId) =>
    keyTooOld({
      accountId,
      userName: `user-${i}`,
      accessKeyId: `AKIA${String(i).padStart(16, '0')}`,
      ageDays: 91 + (i % 100),
    }),
  (i, accountId) =>
    keyUnused({ accountId, userName: `user-${i}`, accessKeyId: `AKIB${String(i).padStart(16, '0')}` }),
  (i, accountId) =>
    keyDueSoon({
      accountId,
      userName: `zoë-${i}`,
      accessKeyId: `AKIC${String(i).padStart(16, '0')}`,
      owner: 'Zoë 🚀',
    }),
  (i, accountId) =>
    inactiveKey({ accountId, userName: `user-${i}`, accessKeyId: `AKID${String(i).padStart(16, '0')}` }),
  (i, accountId) =>
    twoActiveKeys({ accountId, userName: `user-${i}`, accessKeyId: `AKIE${String(i).padStart(16, '0')}` }),
  (i, accountId) =>
    keyTooOld({
      accountId,
      userName: `exempt-${i}`,
      accessKeyId: `AKIF${String(i).padStart(16, '0')}`,
      exemption: tagExemption('2027-01-31', `migrating ${i} to IAM Roles Anywhere`),
    }),
];

/**
 * `count` findings spread over `accounts` accounts, cycling through the key rules (a share of them critical
 * or exempt), plus one root key and one unreachable account: a large organisation's weekly report.
 */
export const largeReport = (count: number, accounts = 20): Report => {
  const ids = Array.from({ length: accounts }, (_, i) => String(100000000000 + i));
  const findings: Finding[] = [rootAccessKey({ accountId: ids[0] ?? PROD }), accountUnreachable(BROKEN)];
  for (let i = findings.length; i < count; i += 1) {
    const build = RULE_CYCLE[i % RULE_CYCLE.length];
    if (build !== undefined) findings.push(build(i, ids[i % ids.length] ?? PROD));
  }
  return makeReport(findings, {
    accounts: [...ids.map((id) => scanned(id, 400, 500)), failed(BROKEN)],
  });
};

/** The instant of the previous report in trends built here: a week before `AS_OF`. */
export const PREVIOUS_AS_OF = new Date(AS_OF.getTime() - 7 * DAY_MS);

/**
 * `report` as a run with a history: compared with a previous report of `previousViolations` violations
 * (`new` and `resolved` finding ids), or on the first run with a history (`'first-run'`).
 */
export const withTrend = (
  report: Report,
  trend:
    | 'first-run'
    | {
        readonly new?: readonly string[];
        readonly resolved?: readonly string[];
        readonly previousViolations?: number;
      },
): Report =>
  trend === 'first-run'
    ? { ...report, trend: { previousAsOf: null, previous: null, new: [], resolved: [] } }
    : {
        ...report,
        trend: {
          previousAsOf: PREVIOUS_AS_OF,
          previous: { ...report.summary, violations: trend.previousViolations ?? report.summary.violations },
          new: trend.new ?? [],
          resolved: trend.resolved ?? [],
        },
      };

/** `finding` about a key in a production account. */
export const inProduction = (finding: Finding): Finding => ({ ...finding, production: true });

/** An enforcement action as the report lists it: a deactivation done at `AS_OF` unless overridden. */
export const reportedAction = (overrides: Partial<ReportedAction> = {}): ReportedAction => ({
  type: 'deactivate',
  accountId: PROD,
  userName: 'ci-deployer',
  accessKeyId: 'AKIAJUNUSEDKEY000001',
  dueAt: AS_OF,
  status: 'done',
  reason: 'never used since its creation on 2026-08-01 (deactivated after 90 days unused)',
  production: false,
  ...overrides,
});

/** One action of every kind and status, in an order no rendering uses (skipped first). */
export const everyAction = (): ReportedAction[] => [
  reportedAction({
    userName: 'capped-user',
    accessKeyId: 'AKIASKIPPEDKEY000001',
    status: 'skipped',
    reason: 'at most 10 actions per run: tried again next run',
  }),
  reportedAction({
    userName: 'later-user',
    accessKeyId: 'AKIAPLANNEDLATER0001',
    status: 'planned',
    dueAt: new Date(AS_OF.getTime() + 7 * DAY_MS),
    production: true,
  }),
  reportedAction(),
  reportedAction({
    type: 'delete',
    userName: 'old-batch',
    accessKeyId: 'AKIADELETEDKEY000001',
    reason: 'deactivated by key-audit on 2026-10-01, never used (deleted 30 days after deactivation)',
  }),
  reportedAction({
    userName: 'denied-user',
    accessKeyId: 'AKIAFAILEDKEY0000001',
    status: 'failed',
    reason: 'AccessDenied: not authorized to perform iam:UpdateAccessKey',
  }),
  reportedAction({
    userName: 'plan-mode-user',
    accessKeyId: 'AKIAPLANNEDNOW000001',
    status: 'planned',
    dueAt: new Date(AS_OF.getTime() - DAY_MS),
  }),
];
