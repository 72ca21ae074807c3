/**
 * key-audit's memory: what one run hands to the next through a history location (a directory or
 * `s3://bucket/prefix`). Pure data with `Date`s; the history adapters serialise it (ISO strings) and the
 * domain decides with it (alert delivery, trend, new exemptions, enforcement notices and actions).
 *
 * One document per history location holds it (`state.json` beside the stored reports), written once at the
 * end of a run with a conditional write so that two overlapping runs cannot silently overwrite each other.
 */
import type { Severity } from './severity.ts';

/** The jobs that keep a history: the scheduled report and alerts, and CLI scans. */
export type HistoryJob = 'report' | 'alerts' | 'scan';

/** An alert that reached its topic: the finding id and the severity it was delivered at. */
export interface DeliveredAlert {
  readonly findingId: string;
  /** Severity at delivery: an escalation (medium -> high) is a new alert, the same severity is not. */
  readonly severity: Severity;
  readonly deliveredAt: Date;
}

/** An exemption that was in force at the last run, so that a new one is alerted once. */
export interface KnownExemption {
  readonly accountId: string;
  readonly userName: string;
  /** `YYYY-MM-DD`, the last exempt day the exemption claimed when first seen. */
  readonly until: string;
  readonly reason: string;
  readonly firstSeenAt: Date;
}

/** The enforcement actions key-audit can take on one access key. */
export type EnforcementActionType = 'deactivate' | 'delete';

/**
 * A notice that key-audit published about one key: the action it announced and the key's last use at that
 * moment. Enforcement acts only on a key whose notice is old enough and whose last use has not changed since.
 */
export interface EnforcementNotice {
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId: string;
  readonly action: EnforcementActionType;
  /** When the notice was delivered. */
  readonly noticedAt: Date;
  /** The earliest instant the announced action may happen (noticedAt + notice period, or later). */
  readonly dueAt: Date;
  /** The key's last use as known when the notice was sent (null: never used). */
  readonly lastUsedAtNoticed: Date | null;
  readonly production: boolean;
}

/** What happened to one planned action. */
export type EnforcementStatus = 'planned' | 'done' | 'skipped' | 'failed';

/** An enforcement action as recorded in the history (and reported in the JSON `actions`). */
export interface EnforcementActionRecord {
  readonly type: EnforcementActionType | 'notice';
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId: string;
  /** When the action is (or was) due. */
  readonly dueAt: Date;
  /** When the run that recorded it ran. */
  readonly at: Date;
  readonly status: EnforcementStatus;
  /** Why: the condition met, or why it was skipped or failed. */
  readonly reason: string;
}

/** Where a stored report is and what it summed up, for the trend and for links in summarised messages. */
export interface StoredReportRef {
  readonly job: HistoryJob;
  readonly asOf: Date;
  /** The location of the complete JSON report (a path or `s3://` URI). */
  readonly location: string;
}

/** Everything key-audit remembers between runs. */
export interface Memory {
  /** Per account id: the instant of the last run that scanned it successfully. */
  readonly lastScanned: Readonly<Record<string, Date>>;
  /** Per finding id: the last delivered alert. */
  readonly delivered: Readonly<Record<string, DeliveredAlert>>;
  /** Per `accountId/userName`: exemptions in force at the last run. */
  readonly exemptions: Readonly<Record<string, KnownExemption>>;
  /** Per access key id: the notice in force. */
  readonly notices: Readonly<Record<string, EnforcementNotice>>;
  /** Actions done, skipped or failed, oldest first (kept for the retention period). */
  readonly actions: readonly EnforcementActionRecord[];
  /** Per job: the latest stored report. */
  readonly latestReports: Readonly<Partial<Record<HistoryJob, StoredReportRef>>>;
}

/** The memory of a history location that has never been written. */
export const EMPTY_MEMORY: Memory = Object.freeze({
  lastScanned: Object.freeze({}),
  delivered: Object.freeze({}),
  exemptions: Object.freeze({}),
  notices: Object.freeze({}),
  actions: Object.freeze([]),
  latestReports: Object.freeze({}),
});
