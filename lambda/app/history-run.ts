/**
 * A run with a history, the same for the CLI (`--history`, job `scan`) and both Lambda jobs:
 *
 * 1. `startHistoryRun` loads the memory, before the scan: a history that cannot be read fails the run at
 *    once, having sent nothing (never answered with an empty memory, which would repeat or lose alerts).
 * 2. The caller scans and evaluates. (Enforcement goes here: it reads `run.memory` and hands `save` its
 *    own memory changes as `remember`.)
 * 3. `run.complete(report)` adds the trend against the job's previous stored report and the exemptions new
 *    since the job's previous run, stores the complete JSON report under its dated key, and sets `storedAt`.
 * 4. The caller publishes; an alerts run chooses with `run.alerts(report, ...)`: what was never delivered.
 * 5. `run.save({report, delivered})` saves the memory with exactly the alerts that reached their topic.
 *
 * Steps 4 and 5 are `deliverAndRemember` (deliver-and-remember.ts), which says why the memory is saved after
 * publishing, also when publishing failed.
 */
import type { AlertPolicy } from '../domain/alerts.ts';
import type { HistoryStore } from '../domain/history-store.ts';
import { HistoryConflictError } from '../domain/history-store.ts';
import { EMPTY_MEMORY, type HistoryJob, type Memory, type StoredReportRef } from '../domain/memory.ts';
import { type AlertToSend, alertsToSend } from '../domain/memory-alerts.ts';
import { type NewExemption, newExemptions } from '../domain/new-exemptions.ts';
import { type PublishedAlert, rememberRun } from '../domain/remember-run.ts';
import type { Report } from '../domain/report.ts';
import { newExemptionFindings } from '../domain/rules/new-exemption.ts';
import { parseStoredReport } from '../domain/stored-report.ts';
import { trend } from '../domain/trend.ts';
import { storedReportLink } from '../history/stored-report-link.ts';
import { renderJson } from '../present/render/json.ts';

/** Saves tried when other runs keep saving in between (each retry reloads the memory). */
export const DEFAULT_SAVE_ATTEMPTS = 3;

/** How a history run links and saves. */
export interface HistoryRunOptions {
  /** The bucket's region, for the S3 console link of a stored report (none: the URI alone). */
  readonly region?: string;
  /** @default DEFAULT_SAVE_ATTEMPTS */
  readonly saveAttempts?: number;
}

/** What a run hands the memory at its end. */
export interface RunOutcome {
  /** The completed report (`run.complete`). */
  readonly report: Report;
  /** Alerts that reached their topic: only these are recorded as delivered. */
  readonly delivered: readonly PublishedAlert[];
  /**
   * Further changes (enforcement's notices and actions), applied after the run's own. Pure: when another
   * run saved in between, it is applied again to the memory that run saved.
   */
  readonly remember?: (memory: Memory) => Memory;
}

/** The memory a run saved. */
export interface SavedMemory {
  readonly memory: Memory;
  readonly revision: string;
  /** Saves it took (more than one when another run saved in between). */
  readonly attempts: number;
}

/** A run with a history, between loading the memory and saving it. */
export interface HistoryRun {
  readonly store: HistoryStore;
  readonly job: HistoryJob;
  /** The memory as loaded when the run started. */
  readonly memory: Memory;
  /** The report with its trend, new exemptions and `storedAt`, once stored in full. */
  complete(report: Report): Promise<Report>;
  /**
   * The alerts to send with the memory: every qualifying finding not delivered yet (`alertsToSend`), then one
   * `new-exemption` alert per exemption in force not alerted yet, whatever `alertSeverity` says.
   */
  alerts(report: Report, policy: Pick<AlertPolicy, 'alertSeverity'>): AlertToSend[];
  /** Saves the memory after the run (after `complete`). Throws a HistoryError when it cannot. */
  save(outcome: RunOutcome): Promise<SavedMemory>;
}

/**
 * The exemptions of `report` new since the previous run of `job`: not in the memory, or first seen after
 * that run (by a run of another job), or changed since.
 */
export const exemptionsNewSinceJob = (report: Report, memory: Memory, job: HistoryJob): NewExemption[] => {
  const lastRun = memory.latestReports[job]?.asOf.getTime();
  const seenByJob = Object.fromEntries(
    Object.entries(memory.exemptions).filter(
      ([, known]) => lastRun !== undefined && known.firstSeenAt.getTime() <= lastRun,
    ),
  );
  return newExemptions(report, { ...memory, exemptions: seenByJob });
};

/** One `new-exemption` finding per exemption in force in `report` (its id names user and date). */
const exemptionAlertsOf = (report: Report) =>
  newExemptionFindings(newExemptions(report, EMPTY_MEMORY), report.asOf, { findings: report.findings });

/** `alerts` from `alertsToSend` and the new exemptions, with history's own reasons. */
const alertsWithMemory = (
  report: Report,
  memory: Memory,
  policy: Pick<AlertPolicy, 'alertSeverity'>,
): AlertToSend[] => [
  ...alertsToSend(report, memory, policy),
  ...exemptionAlertsOf(report)
    .filter((finding) => memory.delivered[finding.id] === undefined)
    .map((finding) => ({ finding, reason: 'new' as const })),
];

/**
 * The memory after the run: `rememberRun`, except that a delivered `new-exemption` alert is kept while its
 * exemption is in force (rememberRun drops deliveries of findings the report no longer holds, and
 * new-exemption findings are alerted, never in the report), so that it is sent once, not every run.
 */
const rememberWithExemptions = (memory: Memory, outcome: RunOutcome, reportRef: StoredReportRef): Memory => {
  const after = rememberRun(memory, { report: outcome.report, delivered: outcome.delivered, reportRef });
  const inForce = new Set(exemptionAlertsOf(outcome.report).map((finding) => finding.id));
  const kept = Object.entries(memory.delivered).filter(
    ([id]) => inForce.has(id) && after.delivered[id] === undefined,
  );
  const remembered =
    kept.length === 0 ? after : { ...after, delivered: { ...after.delivered, ...Object.fromEntries(kept) } };
  return outcome.remember === undefined ? remembered : outcome.remember(remembered);
};

/** Loads the memory of `store` for a run of `job`. Throws a HistoryError when it cannot be read. */
export const startHistoryRun = async (
  store: HistoryStore,
  job: HistoryJob,
  options: HistoryRunOptions = {},
): Promise<HistoryRun> => {
  const loaded = await store.load();
  let reportRef: StoredReportRef | undefined;
  return {
    store,
    job,
    memory: loaded.memory,
    async complete(report) {
      const previous = await store.previousReport(job, report.asOf);
      const completed: Report = {
        ...report,
        trend: trend(previous === null ? null : parseStoredReport(previous.json, previous.location), report),
        newExemptions: exemptionsNewSinceJob(report, loaded.memory, job),
      };
      const location = await store.putReport(job, report.asOf, renderJson(completed));
      reportRef = { job, asOf: report.asOf, location };
      return { ...completed, storedAt: storedReportLink(location, options.region) };
    },
    alerts: (report, policy) => alertsWithMemory(report, loaded.memory, policy),
    async save(outcome) {
      if (reportRef === undefined) throw new Error('save before complete: the run stored no report');
      const ref = reportRef;
      const attempts = options.saveAttempts ?? DEFAULT_SAVE_ATTEMPTS;
      let { memory, revision } = loaded;
      for (let attempt = 1; ; attempt += 1) {
        try {
          const next = rememberWithExemptions(memory, outcome, ref);
          return { memory: next, revision: await store.save(next, revision), attempts: attempt };
        } catch (error) {
          if (!(error instanceof HistoryConflictError) || attempt >= attempts) throw error;
          // Another run saved first: apply this run's outcome to what it saved.
          ({ memory, revision } = await store.load());
        }
      }
    },
  };
};
