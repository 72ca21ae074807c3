/**
 * The layout of a history location, the same for a directory and for `s3://bucket/prefix`:
 *
 * ```text
 * state.json                                              the memory (memory-codec.ts)
 * reports/<job>/<YYYY>/<MM>/<DD>/<asOf>.json               one complete JSON report per run
 * ```
 *
 * `<asOf>` is the ISO instant with `:` replaced by `-` (`2026-06-15T12-00-00.000Z`): valid in file names
 * on every platform and in S3 keys, and sorting as text sorts by time, so the previous report of a job is
 * the last key before the run's own. Keys here are relative to the location and use `/`; each backend
 * maps them (an S3 key under the prefix, a path under the directory).
 */
import type { HistoryJob } from './memory.ts';

/** The memory document, relative to the location. */
export const STATE_KEY = 'state.json';

/** The folder holding every stored report, relative to the location. */
export const REPORTS_FOLDER = 'reports';

const pad2 = (value: number): string => String(value).padStart(2, '0');

/** The file name of the report of `asOf`: its ISO instant with `:` replaced (`2026-06-15T12-00-00.000Z.json`). */
export const reportFileName = (asOf: Date): string => `${asOf.toISOString().replaceAll(':', '-')}.json`;

/** The folder holding the reports of `job` (relative, no trailing `/`). */
export const jobFolder = (job: HistoryJob): string => `${REPORTS_FOLDER}/${job}`;

/** The folders from `jobFolder(job)` down to the day of `asOf` (UTC): `[YYYY, MM, DD]`. */
const dayFolders = (asOf: Date): readonly [string, string, string] => [
  String(asOf.getUTCFullYear()),
  pad2(asOf.getUTCMonth() + 1),
  pad2(asOf.getUTCDate()),
];

/**
 * The key of the report of `job` at `asOf`, e.g. `reports/scan/2026/06/15/2026-06-15T12-00-00.000Z.json`.
 * Throws a RangeError for instants outside years 1000-9999, whose ISO form would not sort as text.
 */
export const reportKey = (job: HistoryJob, asOf: Date): string => {
  const year = asOf.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) throw new RangeError(`cannot store a report dated ${String(asOf)}`);
  return [jobFolder(job), ...dayFolders(asOf), reportFileName(asOf)].join('/');
};

/** What one folder of a backend holds: the names of its sub-folders and of its files. */
export interface FolderListing {
  readonly folders: readonly string[];
  readonly files: readonly string[];
}

/**
 * Lists one folder given by its key relative to the location (`reports/scan/2026`); a missing folder is
 * empty. Each backend supplies one: a directory read, or an S3 listing with the `/` delimiter.
 */
export type ListFolder = (folder: string) => Promise<FolderListing>;

/** Names each level of a job's folder holds: years, months, days, then report files. */
const LEVELS: readonly RegExp[] = [
  /^\d{4}$/,
  /^\d{2}$/,
  /^\d{2}$/,
  /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.json$/,
];

const descending = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/**
 * The key of the last report of `job` stored before `before` (strictly), or null when there is none.
 * Walks down years, months and days from the latest that can hold one, so a job that ran yesterday costs
 * four listings whatever the size of the history. Names that do not fit the layout (a stray `.DS_Store`)
 * are not reports and are passed over.
 */
export const lastReportKeyBefore = async (
  list: ListFolder,
  job: HistoryJob,
  before: Date,
): Promise<string | null> => {
  const bound = reportKey(job, before).split('/').slice(2);
  const search = async (folder: string, level: number, bounded: boolean): Promise<string | null> => {
    const listing = await list(folder);
    const isFile = level === LEVELS.length - 1;
    const limit = bound[level] as string;
    const candidates = (isFile ? listing.files : listing.folders)
      .filter((name) => (LEVELS[level] as RegExp).test(name))
      .filter((name) => !bounded || (isFile ? name < limit : name <= limit))
      .sort(descending);
    if (isFile) return candidates[0] === undefined ? null : `${folder}/${candidates[0]}`;
    for (const name of candidates) {
      const found = await search(`${folder}/${name}`, level + 1, bounded && name === limit);
      if (found !== null) return found;
    }
    return null;
  };
  return search(jobFolder(job), 0, true);
};
