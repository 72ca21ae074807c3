/**
 * Builders for the history tests: findings and reports in a few lines (without evaluating an inventory,
 * so that each test sets exactly the since, severity and exemption it is about), and memories.
 */

import type { Finding, RuleId } from '../../lambda/domain/finding.ts';
import { findingId } from '../../lambda/domain/finding-id.ts';
import { EMPTY_MEMORY, type Memory } from '../../lambda/domain/memory.ts';
import { DAY_MS, DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import type { AccountStatus, Report, Summary } from '../../lambda/domain/report.ts';

/** The instant the runs under test happen. */
export const AS_OF = new Date('2026-06-15T12:00:00.000Z');
export const PROD = '111111111111';
export const DEV = '222222222222';

/** The instant `days` days before `from` (AS_OF by default). */
export const daysBefore = (days: number, from: Date = AS_OF): Date =>
  new Date(from.getTime() - days * DAY_MS);

/** A finding: a non-exempt high key-too-old in PROD unless overridden; the id follows rule, account and key. */
export const finding = (overrides: Partial<Finding> = {}): Finding => {
  const rule: RuleId = overrides.rule ?? 'key-too-old';
  const accountId = overrides.accountId ?? PROD;
  const accessKeyId = overrides.accessKeyId === undefined ? 'AKIAEXAMPLE000000001' : overrides.accessKeyId;
  return {
    id: findingId(rule, accountId, accessKeyId ?? undefined),
    rule,
    severity: 'high',
    accountId,
    userName: 'alice',
    userArn: `arn:aws:iam::${accountId}:user/alice`,
    accessKeyId,
    keySlot: null,
    ageDays: 95,
    since: daysBefore(5),
    overdueDays: 5,
    lastUsedAt: null,
    lastUsedService: null,
    lastUsedRegion: null,
    owner: null,
    production: false,
    exempt: false,
    exemption: null,
    message: 'test finding',
    remediation: 'rotate',
    ...overrides,
  };
};

/** An exempt finding of `userName`, excused until `until` for `reason`. */
export const exemptFinding = (
  userName: string,
  until: string,
  reason = 'CHG-1 vendor key',
  overrides: Partial<Finding> = {},
): Finding =>
  finding({
    userName,
    accessKeyId: `AKIA${userName.toUpperCase().padEnd(16, 'X')}`,
    exempt: true,
    exemption: { until, reason, source: 'tag' },
    ...overrides,
  });

/** The unreachable finding of `accountId`. */
export const unreachable = (accountId: string): Finding =>
  finding({
    rule: 'account-unreachable',
    accountId,
    accessKeyId: null,
    userName: null,
    userArn: null,
    severity: 'high',
    since: null,
  });

const ZERO_SUMMARY: Summary = {
  accounts: 0,
  failedAccounts: 0,
  users: 0,
  activeKeys: 0,
  violations: 0,
  warnings: 0,
  exempt: 0,
  bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
};

/** A scanned account status. */
export const scanned = (accountId: string): AccountStatus => ({
  accountId,
  status: 'scanned',
  source: 'api',
  users: 1,
  activeKeys: 1,
});

/** A failed account status. */
export const failed = (accountId: string): AccountStatus => ({
  accountId,
  status: 'failed',
  error: 'AccessDenied: not authorized to perform: sts:AssumeRole',
  cause: 'role',
});

/**
 * A report at `asOf` holding `findings`; accounts default to every account of the findings, scanned
 * (failed for those with an account-unreachable finding). The summary counts only violations and exempt.
 */
export const reportOf = (
  findings: readonly Finding[],
  options: { asOf?: Date; accounts?: readonly AccountStatus[]; summary?: Partial<Summary> } = {},
): Report => {
  const failedIds = new Set(findings.filter((f) => f.rule === 'account-unreachable').map((f) => f.accountId));
  const accountIds = [...new Set(findings.map((f) => f.accountId))];
  return {
    schemaVersion: 1,
    asOf: options.asOf ?? AS_OF,
    policy: DEFAULT_POLICY,
    accounts: options.accounts ?? accountIds.map((id) => (failedIds.has(id) ? failed(id) : scanned(id))),
    findings,
    summary: {
      ...ZERO_SUMMARY,
      violations: findings.filter((f) => !f.exempt).length,
      exempt: findings.filter((f) => f.exempt).length,
      ...options.summary,
    },
  };
};

/** EMPTY_MEMORY with some fields set. */
export const memoryWith = (overrides: Partial<Memory> = {}): Memory => ({ ...EMPTY_MEMORY, ...overrides });
