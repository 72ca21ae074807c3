/**
 * The JSON contract (schemaVersion 1) for machines: SNS `sqs`/`lambda` payloads, `--format json`, files.
 * Every contract key is always present (null, never omitted) and every Date is an ISO-8601 string.
 */
import type { ReportedAction } from '../../domain/enforcement/record.ts';
import type { Finding, RuleId } from '../../domain/finding.ts';
import type { EnforcementActionType, EnforcementStatus } from '../../domain/memory.ts';
import type { Policy } from '../../domain/policy.ts';
import type { Report, Summary } from '../../domain/report.ts';
import type { Severity } from '../../domain/severity.ts';
import { undoOf } from './describe-run.ts';
import type { OmittedFindings, RenderKind, RenderOptions } from './options.ts';

/** A finding's rotation state in the contract. */
export interface JsonRotation {
  readonly oldKeyUsedSinceNewKey: boolean;
  readonly oldAccessKeyId: string | null;
  readonly oldKeySlot: 1 | 2 | null;
  readonly newAccessKeyId: string | null;
  readonly newKeySlot: 1 | 2 | null;
  readonly newKeyCreatedAt: string;
  readonly newKeyLastUsedAt: string | null;
}

/** A finding in the contract. Fields after `production` are additions beyond the minimum contract. */
export interface JsonFinding {
  readonly id: string;
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly accountId: string;
  readonly userName: string | null;
  readonly accessKeyId: string | null;
  readonly keySlot: 1 | 2 | null;
  readonly ageDays: number | null;
  readonly since: string | null;
  readonly lastUsedAt: string | null;
  readonly lastUsedService: string | null;
  readonly lastUsedRegion: string | null;
  readonly owner: string | null;
  readonly exempt: boolean;
  readonly message: string;
  readonly remediation: string;
  /** True for a key in a production account: its next step is to tell 2nd line first. */
  readonly production: boolean;
  /** Present only for a rotation in progress (`two-active-keys`). */
  readonly rotation?: JsonRotation;
  readonly userArn: string | null;
  readonly overdueDays: number | null;
  readonly exemption: {
    readonly reason: string;
    readonly until: string;
    readonly source: 'tag' | 'config';
  } | null;
}

/** The summary in the contract. */
export interface JsonSummary {
  readonly accounts: number;
  readonly failedAccounts: number;
  readonly users: number;
  readonly activeKeys: number;
  readonly violations: number;
  readonly warnings: number;
  readonly exempt: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

/** What changed since the previous report of the job (runs with a history). */
export interface JsonTrend {
  /** The previous report's asOf; null on the first run with a history. */
  readonly previousAsOf: string | null;
  readonly previous: JsonSummary | null;
  /** Ids of non-exempt findings the previous report did not hold. */
  readonly new: readonly string[];
  /** Ids of the previous report's non-exempt findings that are gone. */
  readonly resolved: readonly string[];
}

/** An enforcement action in the contract. */
export interface JsonAction {
  readonly type: EnforcementActionType;
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId: string | null;
  readonly dueAt: string;
  readonly status: EnforcementStatus;
  readonly reason: string;
  readonly production: boolean;
  /** The AWS CLI command that undoes a deactivation done or planned; null otherwise. */
  readonly undoCommand: string | null;
}

/** An exemption new since the previous run. */
export interface JsonNewExemption {
  readonly accountId: string;
  readonly userName: string;
  readonly until: string;
  readonly reason: string;
  readonly source: 'tag' | 'config';
}

/** An account in the contract: `error` only for failed accounts; scan details only for scanned ones. */
export type JsonAccount =
  | {
      readonly accountId: string;
      readonly status: 'scanned';
      readonly source: 'credential-report' | 'api';
      readonly users: number;
      readonly activeKeys: number;
      readonly reportGeneratedAt: string | null;
    }
  | { readonly accountId: string; readonly status: 'failed'; readonly error: string };

/** The report in the contract. */
export interface JsonReport {
  readonly schemaVersion: 1;
  /** `report` or `alert` (an alert carries only the alerted findings). */
  readonly kind: RenderKind;
  readonly asOf: string;
  /** For alerts: the start of the window findings are new in; else null. */
  readonly newSince: string | null;
  readonly policy: Policy;
  readonly accounts: readonly JsonAccount[];
  readonly findings: readonly JsonFinding[];
  readonly summary: JsonSummary;
  /** Null for a run without a history. */
  readonly trend: JsonTrend | null;
  /** Enforcement actions of the run, in the report's order; null when enforcement is off. */
  readonly actions: readonly JsonAction[] | null;
  /** Exemptions new since the previous run; null for a run without a history. */
  readonly newExemptions: readonly JsonNewExemption[] | null;
  /** Where the complete report of this run is stored; null when it is not. */
  readonly storedAt: { readonly uri: string; readonly consoleUrl: string | null } | null;
  /** Present only when the run stopped early. */
  readonly incomplete?: { readonly reason: string; readonly accountsNotScanned: readonly string[] };
  /** Present only when findings were left out of `findings` (e.g. to fit SNS's size limit). */
  readonly omitted?: OmittedFindings;
}

const iso = (instant: Date | null): string | null => (instant === null ? null : instant.toISOString());

/** One finding as the contract has it. */
export const toJsonFinding = (finding: Finding): JsonFinding => ({
  id: finding.id,
  rule: finding.rule,
  severity: finding.severity,
  accountId: finding.accountId,
  userName: finding.userName,
  accessKeyId: finding.accessKeyId,
  keySlot: finding.keySlot,
  ageDays: finding.ageDays,
  since: iso(finding.since),
  lastUsedAt: iso(finding.lastUsedAt),
  lastUsedService: finding.lastUsedService,
  lastUsedRegion: finding.lastUsedRegion,
  owner: finding.owner,
  exempt: finding.exempt,
  message: finding.message,
  remediation: finding.remediation,
  production: finding.production,
  ...(finding.rotation === undefined
    ? {}
    : {
        rotation: {
          oldKeyUsedSinceNewKey: finding.rotation.oldKeyUsedSinceNewKey,
          oldAccessKeyId: finding.rotation.oldAccessKeyId,
          oldKeySlot: finding.rotation.oldKeySlot,
          newAccessKeyId: finding.rotation.newAccessKeyId,
          newKeySlot: finding.rotation.newKeySlot,
          newKeyCreatedAt: finding.rotation.newKeyCreatedAt.toISOString(),
          newKeyLastUsedAt: iso(finding.rotation.newKeyLastUsedAt),
        },
      }),
  userArn: finding.userArn,
  overdueDays: finding.overdueDays,
  exemption:
    finding.exemption === null
      ? null
      : {
          reason: finding.exemption.reason,
          until: finding.exemption.until,
          source: finding.exemption.source,
        },
});

/** A summary as the contract has it. */
export const toJsonSummary = (summary: Summary): JsonSummary => ({
  accounts: summary.accounts,
  failedAccounts: summary.failedAccounts,
  users: summary.users,
  activeKeys: summary.activeKeys,
  violations: summary.violations,
  warnings: summary.warnings,
  exempt: summary.exempt,
  bySeverity: { ...summary.bySeverity },
});

/** An action as the contract has it. */
export const toJsonAction = (action: ReportedAction): JsonAction => ({
  type: action.type,
  accountId: action.accountId,
  userName: action.userName,
  accessKeyId: action.accessKeyId,
  dueAt: action.dueAt.toISOString(),
  status: action.status,
  reason: action.reason,
  production: action.production,
  undoCommand: undoOf(action),
});

/** The report as a plain JSON-safe object (for SNS `sqs`/`lambda` message keys and typed consumers). */
export const toJsonReport = (report: Report, options: RenderOptions = {}): JsonReport => ({
  schemaVersion: 1,
  kind: options.kind ?? 'report',
  asOf: report.asOf.toISOString(),
  newSince: options.newSince === undefined ? null : options.newSince.toISOString(),
  policy: {
    maxKeyAgeDays: report.policy.maxKeyAgeDays,
    warnDays: report.policy.warnDays,
    unusedDays: report.policy.unusedDays,
    rotationGraceDays: report.policy.rotationGraceDays,
    criticalAgeMultiplier: report.policy.criticalAgeMultiplier,
    maxExemptionDays: report.policy.maxExemptionDays,
    exemptions: report.policy.exemptions.map((e) => ({
      accountId: e.accountId ?? '*',
      userName: e.userName,
      until: e.until,
      reason: e.reason,
    })),
  },
  accounts: report.accounts.map(
    (a): JsonAccount =>
      a.status === 'failed'
        ? { accountId: a.accountId, status: 'failed', error: a.error }
        : {
            accountId: a.accountId,
            status: 'scanned',
            source: a.source,
            users: a.users,
            activeKeys: a.activeKeys,
            reportGeneratedAt: iso(a.reportGeneratedAt ?? null),
          },
  ),
  findings: report.findings.map(toJsonFinding),
  summary: toJsonSummary(report.summary),
  trend:
    report.trend === undefined
      ? null
      : {
          previousAsOf: iso(report.trend.previousAsOf),
          previous: report.trend.previous === null ? null : toJsonSummary(report.trend.previous),
          new: [...report.trend.new],
          resolved: [...report.trend.resolved],
        },
  actions: report.actions === undefined ? null : report.actions.map(toJsonAction),
  newExemptions:
    report.newExemptions === undefined
      ? null
      : report.newExemptions.map((e) => ({
          accountId: e.accountId,
          userName: e.userName,
          until: e.until,
          reason: e.reason,
          source: e.source,
        })),
  storedAt:
    report.storedAt === undefined
      ? null
      : { uri: report.storedAt.uri, consoleUrl: report.storedAt.consoleUrl ?? null },
  ...(report.incomplete === undefined
    ? {}
    : {
        incomplete: {
          reason: report.incomplete.reason,
          accountsNotScanned: [...report.incomplete.accountsNotScanned],
        },
      }),
  ...(options.omitted === undefined || options.omitted === null ? {} : { omitted: options.omitted }),
});

/** Options of `renderJson`. */
export interface JsonRenderOptions extends RenderOptions {
  /** Indentation; 0 for one compact line (SNS payloads). @default 2 */
  readonly indent?: number;
}

/** The report as JSON text (the contract of `toJsonReport`). */
export const renderJson = (report: Report, options: JsonRenderOptions = {}): string =>
  JSON.stringify(toJsonReport(report, options), null, options.indent ?? 2);
