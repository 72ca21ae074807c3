import { describe, expect, it } from 'vitest';
import { describeStored, MAX_EXEMPTIONS_NAMED, startCliHistory } from '../../bin/cli/history.ts';
import type { NewExemption } from '../../lambda/domain/new-exemptions.ts';
import { AS_OF, reportOf } from '../domain/history-factories.ts';

const STORED = { uri: '/audit/reports/scan/2026/06/15/2026-06-15T12-00-00.000Z.json' };
const exemption = (userName: string): NewExemption => ({
  accountId: '111111111111',
  userName,
  until: '2026-12-31',
  reason: 'CHG-1',
  source: 'tag',
});

describe('describeStored', () => {
  it('does say where the report is and that a first run has nothing to compare with', () => {
    const report = {
      ...reportOf([]),
      storedAt: STORED,
      trend: { previousAsOf: null, previous: null, new: [], resolved: [] },
      newExemptions: [],
    };
    expect(describeStored(report)).toBe(
      `key-audit: complete report stored in ${STORED.uri}\n` +
        'key-audit: first scan with this history: nothing to compare with yet\n',
    );
  });

  it('does give the trend since the previous scan and name the new exemptions', () => {
    const report = {
      ...reportOf([]),
      storedAt: STORED,
      trend: { previousAsOf: AS_OF, previous: null, new: ['a', 'b'], resolved: ['c'] },
      newExemptions: [exemption('vendor')],
    };
    expect(describeStored(report)).toBe(
      `key-audit: complete report stored in ${STORED.uri}\n` +
        'key-audit: since the previous scan (2026-06-15 12:00 UTC): 2 new findings, 1 resolved\n' +
        'key-audit: 1 new exemption: vendor in 111111111111 until 2026-12-31\n',
    );
  });

  it('does count the new exemptions beyond those it names', () => {
    const many = Array.from({ length: MAX_EXEMPTIONS_NAMED + 3 }, (_, i) => exemption(`svc-${i}`));
    const report = { ...reportOf([]), storedAt: STORED, newExemptions: many };
    expect(describeStored(report)).toMatch(/13 new exemptions: svc-0 in .* and 3 more\n$/);
  });
});

describe('startCliHistory', () => {
  it('does keep no history without --history', async () => {
    await expect(startCliHistory({})).resolves.toBeNull();
  });
});
