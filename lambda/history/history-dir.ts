/**
 * The history in a local directory (the CLI's `--history ./audit-history`), with the same layout as in S3
 * (`history-layout.ts`). Every file is written to a temporary name, flushed and renamed into place, so a
 * crash never leaves half a document. The memory's revision is the SHA-256 of `state.json`: a save first
 * takes `state.json.lock` (created exclusively, removed at once), checks the revision it loaded is still
 * the one on disk, then renames; a second run saving at the same moment is refused, never interleaved.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { type FolderListing, lastReportKeyBefore, reportKey, STATE_KEY } from '../domain/history-layout.ts';
import { HistoryConflictError, HistoryError, type HistoryStore } from '../domain/history-store.ts';
import { EMPTY_MEMORY } from '../domain/memory.ts';
import { decodeMemory, encodeMemory } from '../domain/memory-codec.ts';

const errnoOf = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

/** One line for a file-system failure while trying to `action` at `file`. */
const historyError = (error: unknown, file: string, action: string): HistoryError =>
  new HistoryError(`${file}: cannot ${action}: ${(error as Error).message}`, { cause: error });

/** The revision of a state document: its content's hash (the same text is the same revision). */
const revisionOf = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The text of `file`, or null when it does not exist. */
const readText = async (file: string, action: string): Promise<string | null> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw historyError(error, file, action);
  }
};

/** Writes `text` to `file` through a flushed temporary file and a rename (atomic on one file system). */
const writeAtomically = async (file: string, text: string, action: string): Promise<void> => {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw historyError(error, file, action);
  }
};

/** The history kept in `directory` (created on first write); report locations are absolute paths. */
export const createDirectoryHistoryStore = (directory: string): HistoryStore => {
  const root = path.resolve(directory);
  const pathOf = (key: string): string => path.join(root, ...key.split('/'));
  const statePath = pathOf(STATE_KEY);
  const lockPath = `${statePath}.lock`;

  const listFolder = async (folder: string): Promise<FolderListing> => {
    const dir = pathOf(folder);
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      return {
        folders: entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
        files: entries.filter((entry) => entry.isFile()).map((entry) => entry.name),
      };
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return { folders: [], files: [] };
      throw historyError(error, dir, 'list the reports');
    }
  };

  /** Runs `critical` holding the lock; another holder means another run is saving right now. */
  const withLock = async <T>(critical: () => Promise<T>): Promise<T> => {
    try {
      await mkdir(root, { recursive: true });
      await (await open(lockPath, 'wx')).close();
    } catch (error) {
      if (errnoOf(error) === 'EEXIST')
        throw new HistoryConflictError(
          `${lockPath}: another run is saving the memory (delete this file if none is)`,
          { cause: error },
        );
      throw historyError(error, lockPath, 'lock the memory');
    }
    try {
      return await critical();
    } finally {
      await unlink(lockPath);
    }
  };

  return {
    location: directory,

    async load() {
      const text = await readText(statePath, 'load the memory');
      if (text === null) return { memory: EMPTY_MEMORY, revision: null };
      return { memory: decodeMemory(text, statePath), revision: revisionOf(text) };
    },

    async save(memory, revision) {
      const text = encodeMemory(memory);
      return withLock(async () => {
        const current = await readText(statePath, 'save the memory');
        const currentRevision = current === null ? null : revisionOf(current);
        if (currentRevision !== revision)
          throw new HistoryConflictError(
            `${statePath}: another run saved the memory since this one loaded it; ` +
              `this run's deliveries are not recorded`,
          );
        await writeAtomically(statePath, text, 'save the memory');
        return revisionOf(text);
      });
    },

    async putReport(job, asOf, json) {
      const file = pathOf(reportKey(job, asOf));
      await writeAtomically(file, json, 'store the report');
      return file;
    },

    async getReport(location) {
      const file = path.resolve(location);
      if (!file.startsWith(`${root}${path.sep}`))
        throw new HistoryError(`${location}: not a report of the history ${directory}`);
      const text = await readText(file, 'read the report');
      if (text === null) throw new HistoryError(`${location}: no such report`);
      return text;
    },

    async previousReport(job, before) {
      const found = await lastReportKeyBefore(listFolder, job, before);
      if (found === null) return null;
      const file = pathOf(found);
      const json = await readText(file, 'read the report');
      return json === null ? null : { location: file, json };
    },
  };
};
