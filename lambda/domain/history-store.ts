/**
 * The port every history backend implements (a directory: `lambda/history/history-dir.ts`; S3:
 * `lambda/aws/history-s3.ts`), with the layout of `history-layout.ts`. A run loads the memory once, stores
 * its report, and saves the new memory once at the end with the revision it loaded: a save fails with a
 * HistoryConflictError when another run wrote in between, instead of silently overwriting its deliveries.
 */
import type { HistoryJob, Memory } from './memory.ts';

/**
 * A history that cannot be read or written: a missing bucket, denied access, a corrupt or unknown state
 * document. One line naming the location and the problem; `cause` keeps the underlying error. Never
 * answered by starting from an empty memory: that would re-send (or lose) alerts.
 */
export class HistoryError extends Error {
  override readonly name: string = 'HistoryError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The memory changed since it was loaded (another run saved first): this run's save was refused. */
export class HistoryConflictError extends HistoryError {
  override readonly name = 'HistoryConflictError';
}

/** A stored report read back. */
export interface StoredReportText {
  /** Where it is: a path or an `s3://` URI (as `putReport` returned it). */
  readonly location: string;
  readonly json: string;
}

/** A history location: the memory and the stored reports. */
export interface HistoryStore {
  /** The location as people write it (`s3://bucket/prefix` or the directory), for messages. */
  readonly location: string;
  /**
   * The memory and its revision (an opaque token for `save`); EMPTY_MEMORY and null when the location
   * holds no memory yet. Throws a HistoryError for a memory that cannot be read or trusted.
   */
  load(): Promise<{ readonly memory: Memory; readonly revision: string | null }>;
  /**
   * Writes `memory` if the stored one is still at `revision` (null: there must be none yet) and returns
   * the new revision. Throws a HistoryConflictError when another run saved since.
   */
  save(memory: Memory, revision: string | null): Promise<string>;
  /** Stores a complete JSON report under its dated key and returns its location (path or `s3://` URI). */
  putReport(job: HistoryJob, asOf: Date, json: string): Promise<string>;
  /** The text of a report stored in this history, by the location `putReport` returned. */
  getReport(location: string): Promise<string>;
  /** The last report of `job` stored before `before` (strictly), or null when there is none. */
  previousReport(job: HistoryJob, before: Date): Promise<StoredReportText | null>;
}
