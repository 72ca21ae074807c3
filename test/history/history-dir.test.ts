import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportKey } from '../../lambda/domain/history-layout.ts';
import { HistoryConflictError, HistoryError } from '../../lambda/domain/history-store.ts';
import { EMPTY_MEMORY, type Memory } from '../../lambda/domain/memory.ts';
import { createDirectoryHistoryStore } from '../../lambda/history/history-dir.ts';

const AS_OF = new Date('2026-06-15T12:00:00.000Z');
const MEMORY: Memory = { ...EMPTY_MEMORY, lastScanned: { '111111111111': AS_OF } };
const LATER: Memory = {
  ...EMPTY_MEMORY,
  lastScanned: { '111111111111': new Date('2026-06-16T12:00:00.000Z') },
};

let root = '';
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'key-audit-history-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const storeIn = (...segments: string[]) => createDirectoryHistoryStore(path.join(root, ...segments));
const statePath = (...segments: string[]) => path.join(root, ...segments, 'state.json');

/** Every file under `dir`, relative, sorted. */
const filesUnder = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();

describe('createDirectoryHistoryStore', () => {
  describe('load and save', () => {
    it('does start from the empty memory, revision null, without creating the directory', async () => {
      const store = storeIn('history');
      await expect(store.load()).resolves.toEqual({ memory: EMPTY_MEMORY, revision: null });
      await expect(readdir(root)).resolves.toEqual([]);
    });

    it('does read back what it saved, with the revision the save returned', async () => {
      const store = storeIn('nested', 'history');
      const revision = await store.save(MEMORY, null);
      await expect(store.load()).resolves.toEqual({ memory: MEMORY, revision });
      await expect(filesUnder(root)).resolves.toEqual([path.join('nested', 'history', 'state.json')]);
    });

    it('does refuse the save of a run that loaded before another run saved', async () => {
      const first = storeIn('history');
      await first.save(MEMORY, null);
      const [a, b] = [await first.load(), await storeIn('history').load()];
      await first.save(LATER, a.revision);
      const error = await storeIn('history')
        .save(MEMORY, b.revision)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HistoryConflictError);
      expect((error as Error).message).toBe(
        `${statePath('history')}: another run saved the memory since this one loaded it; this run's deliveries are not recorded`,
      );
      await expect(first.load()).resolves.toMatchObject({ memory: LATER });
    });

    it('does refuse a first save when another run created the memory meanwhile', async () => {
      await storeIn('history').save(MEMORY, null);
      await expect(storeIn('history').save(LATER, null)).rejects.toBeInstanceOf(HistoryConflictError);
    });

    it('does refuse to save while another run holds the lock, naming the lock file', async () => {
      const store = storeIn();
      await writeFile(`${statePath()}.lock`, '');
      await expect(store.save(MEMORY, null)).rejects.toThrow(
        new HistoryConflictError(
          `${statePath()}.lock: another run is saving the memory (delete this file if none is)`,
        ),
      );
    });

    it('does leave neither lock nor temporary file behind', async () => {
      const store = storeIn();
      const revision = await store.save(MEMORY, null);
      await store.save(LATER, revision);
      await expect(filesUnder(root)).resolves.toEqual(['state.json']);
    });

    it('does refuse a corrupt state.json, naming the file, rather than start empty', async () => {
      await writeFile(statePath(), '{"schemaVersion":1,"lastScanned":{}}');
      await expect(storeIn().load()).rejects.toThrow(
        /^.*state\.json: delivered: Invalid input: expected record, received undefined; /,
      );
      await expect(storeIn().load()).rejects.toBeInstanceOf(HistoryError);
    });

    it('does turn a state.json it cannot read into one HistoryError line', async () => {
      await mkdir(statePath());
      await expect(storeIn().load()).rejects.toThrow(
        new RegExp(`^${statePath().replaceAll('\\', '\\\\')}: cannot load the memory: EISDIR`),
      );
    });
  });

  describe('reports', () => {
    it('does store a report under its dated path and read it back by that path', async () => {
      const store = storeIn('history');
      const location = await store.putReport('report', AS_OF, '{"report":1}');
      expect(location).toBe(path.join(root, 'history', ...reportKey('report', AS_OF).split('/')));
      await expect(readFile(location, 'utf8')).resolves.toBe('{"report":1}');
      await expect(store.getReport(location)).resolves.toBe('{"report":1}');
    });

    it('does keep the location as written and give reports absolute paths', async () => {
      const relative = path.relative(process.cwd(), path.join(root, 'history'));
      const store = createDirectoryHistoryStore(relative);
      expect(store.location).toBe(relative);
      expect(path.isAbsolute(await store.putReport('scan', AS_OF, '{}'))).toBe(true);
    });

    it('does find the last report of the job before an instant', async () => {
      const store = storeIn();
      const stored = new Map<string, string>();
      for (const iso of ['2026-06-01T00:00:00.000Z', '2026-06-14T12:00:00.000Z', '2026-06-15T12:00:00.000Z'])
        stored.set(iso, await store.putReport('report', new Date(iso), JSON.stringify({ asOf: iso })));
      await store.putReport('alerts', new Date('2026-06-15T11:00:00.000Z'), '{}');
      await writeFile(path.join(root, 'reports', 'report', '2026', '06', '15', 'README.txt'), 'not a report');

      await expect(store.previousReport('report', AS_OF)).resolves.toEqual({
        location: stored.get('2026-06-14T12:00:00.000Z'),
        json: '{"asOf":"2026-06-14T12:00:00.000Z"}',
      });
      await expect(store.previousReport('report', new Date('2026-06-01T00:00:00.000Z'))).resolves.toBeNull();
      await expect(store.previousReport('scan', AS_OF)).resolves.toBeNull();
    });

    it.each([
      ['a file outside the history', () => path.join(root, 'elsewhere.json'), 'not a report of the history'],
      ['a report that is gone', () => path.join(root, 'h', 'reports', 'x.json'), 'no such report'],
    ])('does refuse to read %s', async (_label, location, problem) => {
      await expect(storeIn('h').getReport(location())).rejects.toThrow(new RegExp(`: ${problem}`));
    });
  });
});
