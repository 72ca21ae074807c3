/**
 * The findings engine: runs every rule over every account, stamps each hit with its catalogue entry,
 * addresses findings to owners, marks production accounts, applies exemptions, and sums up. Pure: the
 * instant of evaluation is a parameter.
 */
import { InputError } from './errors.ts';
import { exemptionInForce, exemptionsForUser } from './exemptions.ts';
import type { AppliedExemption, Finding } from './finding.ts';
import { type AccountScan, type Inventory, isActive, type ScannedAccount } from './inventory.ts';
import { ownerOf } from './owner.ts';
import type { Policy } from './policy.ts';
import type { AccountStatus, Report, Summary } from './report.ts';
import { RULE_REGISTRY } from './rules/registry.ts';
import type { Rule, RuleContext, RuleHit } from './rules/rule.ts';
import { bySeverityDesc, isAtLeast, SEVERITIES, type Severity } from './severity.ts';
import { unreachableCause } from './unreachable-cause.ts';

/** What an evaluation depends on besides the inventory. */
export interface EvaluateOptions {
  /** The instant ages and exemptions are measured at. */
  readonly asOf: Date;
  /** A policy from `resolvePolicy` (or `DEFAULT_POLICY`). */
  readonly policy: Policy;
  /**
   * Which accounts are production (`productionClassifier` over the configuration's `production`): their
   * findings carry `production: true`. @default no account is production
   */
  readonly isProduction?: (accountId: string) => boolean;
}

interface UserFacts {
  readonly owner: string | null;
  readonly exemption: AppliedExemption | null;
}

const userFacts = (account: AccountScan, context: RuleContext): Map<string, UserFacts> => {
  const facts = new Map<string, UserFacts>();
  if (account.status !== 'scanned') return facts;
  for (const user of account.users) {
    const { valid } = exemptionsForUser(account.accountId, user, context.policy, context.asOf);
    facts.set(user.userName, { owner: ownerOf(user.tags), exemption: exemptionInForce(valid, context.asOf) });
  }
  return facts;
};

/** A finding as its rule raised it, before the user's owner, exemption and the account's production are known. */
export type RuledFinding = Omit<Finding, 'owner' | 'exempt' | 'exemption' | 'production'>;

/** `hit` as a finding of `rule`: its id, and the catalogue's severity and remediation unless the hit decided otherwise. */
const stamp = (rule: Rule, hit: RuleHit): RuledFinding => ({
  ...hit,
  rule: rule.metadata.id,
  severity: hit.severity ?? rule.metadata.defaultSeverity,
  remediation: hit.remediation ?? rule.metadata.remediation,
});

/**
 * Runs `rule` over `account` and stamps every hit in one place (as cdk-nag's `applyRule` does), so that a
 * rule module only decides and the catalogue stays the one source of rule ids, severities and next steps.
 */
export const applyRule = (rule: Rule, account: AccountScan, context: RuleContext): RuledFinding[] =>
  rule.check(account, context).map((hit) => stamp(rule, hit));

const decorate = (
  finding: RuledFinding,
  rule: Rule,
  facts: Map<string, UserFacts>,
  production: boolean,
): Finding => {
  const user = finding.userName === null ? undefined : facts.get(finding.userName);
  const exemption = rule.exemptible ? (user?.exemption ?? null) : null;
  return { ...finding, owner: user?.owner ?? null, production, exempt: exemption !== null, exemption };
};

const keyOrder = (finding: Finding): string =>
  finding.accessKeyId ?? (finding.keySlot === null ? '' : `#${finding.keySlot}`);

/** Byte-wise, so that the order does not depend on the machine's locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Most severe first, then account, user (account-level findings first), key, rule and id. */
export const compareFindings = (a: Finding, b: Finding): number =>
  bySeverityDesc(a.severity, b.severity) ||
  compareText(a.accountId, b.accountId) ||
  compareText(a.userName ?? '', b.userName ?? '') ||
  compareText(keyOrder(a), keyOrder(b)) ||
  compareText(a.rule, b.rule) ||
  compareText(a.id, b.id);

/** Active keys of IAM users; root keys are reported by `root-access-key` and not counted here. */
const activeKeysOf = (account: ScannedAccount): number =>
  account.users.reduce((sum, user) => sum + user.accessKeys.filter(isActive).length, 0);

const accountStatus = (account: AccountScan): AccountStatus =>
  account.status === 'failed'
    ? {
        accountId: account.accountId,
        status: 'failed',
        error: `${account.errorCode}: ${account.errorMessage}`,
        cause: unreachableCause(account.errorCode, account.step),
      }
    : {
        accountId: account.accountId,
        status: 'scanned',
        source: account.source,
        users: account.users.length,
        activeKeys: activeKeysOf(account),
        ...(account.reportGeneratedAt === undefined ? {} : { reportGeneratedAt: account.reportGeneratedAt }),
        ...(account.fallback === undefined ? {} : { fallback: account.fallback }),
      };

/** Counts over accounts (scanned and failed) and findings; violations and warnings exclude exempt ones. */
export const summarise = (accounts: readonly AccountStatus[], findings: readonly Finding[]): Summary => {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  let exempt = 0;
  for (const finding of findings) {
    if (finding.exempt) exempt += 1;
    else bySeverity[finding.severity] += 1;
  }
  const counted = findings.filter((finding) => !finding.exempt);
  let users = 0;
  let activeKeys = 0;
  for (const account of accounts) {
    if (account.status !== 'scanned') continue;
    users += account.users;
    activeKeys += account.activeKeys;
  }
  return {
    accounts: accounts.length,
    failedAccounts: accounts.filter((account) => account.status === 'failed').length,
    users,
    activeKeys,
    violations: counted.filter((finding) => isAtLeast(finding.severity, 'medium')).length,
    warnings: counted.filter((finding) => !isAtLeast(finding.severity, 'medium')).length,
    exempt,
    bySeverity,
  };
};

/** The classifier without a `production` configuration: no account is production. */
export const NOT_PRODUCTION = (_accountId: string): boolean => false;

/** Runs every rule in `RULE_REGISTRY` over the inventory at `asOf` and returns the report. */
export const evaluate = (
  inventory: Inventory,
  { asOf, policy, isProduction = NOT_PRODUCTION }: EvaluateOptions,
): Report => {
  if (Number.isNaN(asOf.getTime())) throw new InputError('asOf is not a valid date');
  const context: RuleContext = { asOf, policy };
  const findings = inventory.accounts.flatMap((account) => {
    const facts = userFacts(account, context);
    const production = isProduction(account.accountId);
    return RULE_REGISTRY.flatMap((rule) =>
      applyRule(rule, account, context).map((finding) => decorate(finding, rule, facts, production)),
    );
  });
  findings.sort(compareFindings);
  const accounts = inventory.accounts.map(accountStatus);
  return { schemaVersion: 1, asOf, policy, accounts, findings, summary: summarise(accounts, findings) };
};
