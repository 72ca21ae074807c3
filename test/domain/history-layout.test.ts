import { describe, expect, it } from 'vitest';
import {
  type FolderListing,
  lastReportKeyBefore,
  reportFileName,
  reportKey,
  STATE_KEY,
} from '../../lambda/domain/history-layout.ts';

/** A lister over a set of keys, recording the folders it was asked for. */
const listerOf = (keys: readonly string[]) => {
  const asked: string[] = [];
  const list = async (folder: string): Promise<FolderListing> => {
    asked.push(folder);
    const folders = new Set<string>();
    const files: string[] = [];
    for (const key of keys) {
      if (!key.startsWith(`${folder}/`)) continue;
      const [first, ...rest] = key.slice(folder.length + 1).split('/');
      if (first === undefined) continue;
      if (rest.length === 0) files.push(first);
      else folders.add(first);
    }
    return { folders: [...folders], files };
  };
  return { list, asked };
};

const at = (iso: string) => new Date(iso);
const AS_OF_NOON = at('2026-06-15T12:00:00.000Z');

describe('reportKey', () => {
  it('does date the key by the UTC day and name the file after the instant', () => {
    expect(reportKey('alerts', at('2026-06-15T23:30:05.123Z'))).toBe(
      'reports/alerts/2026/06/15/2026-06-15T23-30-05.123Z.json',
    );
  });

  it('does keep state.json beside the reports', () => {
    expect(STATE_KEY).toBe('state.json');
  });

  it('does sort keys of later instants after earlier ones', () => {
    const instants = ['2026-01-02T00:00:00.000Z', '2026-01-10T00:00:00.000Z', '2026-01-10T09:59:59.999Z'];
    const keys = instants.map((iso) => reportKey('scan', at(iso)));
    expect([...keys].reverse().sort()).toEqual(keys);
  });

  it.each(['0999-12-31T23:59:59.999Z', '+010000-01-01T00:00:00.000Z'])(
    'does refuse %s, whose ISO form would not sort as text',
    (iso) => {
      expect(() => reportKey('scan', at(iso))).toThrow(RangeError);
    },
  );
});

describe('reportFileName', () => {
  it('does replace every colon, so the name is valid on every file system', () => {
    expect(reportFileName(at('2026-06-15T12:00:00.000Z'))).toBe('2026-06-15T12-00-00.000Z.json');
  });
});

describe('lastReportKeyBefore', () => {
  const keys = [
    '2025-12-31T23:00:00.000Z',
    '2026-06-14T08:00:00.000Z',
    '2026-06-15T08:00:00.000Z',
    '2026-06-15T12:00:00.000Z',
  ].map((iso) => reportKey('report', at(iso)));

  it.each([
    ['a later instant the same day', '2026-06-15T12:00:00.001Z', keys[3]],
    ['the instant of a stored report (strictly before)', '2026-06-15T12:00:00.000Z', keys[2]],
    ['the first instant of a day', '2026-06-15T00:00:00.000Z', keys[1]],
    ['a day in another month and year', '2026-01-01T00:00:00.000Z', keys[0]],
    ['an instant before every report', '2025-12-31T23:00:00.000Z', null],
  ])('does find the last key before %s', async (_label, before, expected) => {
    const { list } = listerOf(keys);
    await expect(lastReportKeyBefore(list, 'report', at(before))).resolves.toBe(expected);
  });

  it('does not look at the reports of another job', async () => {
    const { list } = listerOf([reportKey('alerts', at('2026-06-15T11:00:00.000Z'))]);
    await expect(lastReportKeyBefore(list, 'report', AS_OF_NOON)).resolves.toBeNull();
  });

  it('does walk down to yesterday in five listings when today holds only later reports', async () => {
    const many = Array.from({ length: 500 }, (_, day) =>
      reportKey('alerts', new Date(Date.UTC(2025, 0, 1 + day, 6))),
    );
    const { list, asked } = listerOf(many);
    const found = await lastReportKeyBefore(list, 'alerts', at('2026-02-05T00:30:00.000Z'));
    expect(found).toBe(reportKey('alerts', at('2026-02-04T06:00:00.000Z')));
    expect(asked).toEqual([
      'reports/alerts',
      'reports/alerts/2026',
      'reports/alerts/2026/02',
      'reports/alerts/2026/02/05',
      'reports/alerts/2026/02/04',
    ]);
  });

  it('does pass over names that are not reports of the layout', async () => {
    const { list } = listerOf([
      'reports/scan/2026/06/14/2026-06-14T08:00:00.000Z.json',
      'reports/scan/2026/06/14/notes.txt',
      'reports/scan/2026/06/14/2026-06-14T09-00-00.000Z.json.123.abcd.tmp',
      'reports/scan/2026/6/1/2026-06-01T00-00-00.000Z.json',
      reportKey('scan', at('2026-06-13T08:00:00.000Z')),
    ]);
    await expect(lastReportKeyBefore(list, 'scan', AS_OF_NOON)).resolves.toBe(
      reportKey('scan', at('2026-06-13T08:00:00.000Z')),
    );
  });
});
