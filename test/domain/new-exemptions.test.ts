import { describe, expect, it } from 'vitest';
import { newExemptions } from '../../lambda/domain/new-exemptions.ts';
import { DEV, daysBefore, exemptFinding, finding, memoryWith, PROD, reportOf } from './history-factories.ts';

const knownVendor = memoryWith({
  exemptions: {
    [`${PROD}/vendor`]: {
      accountId: PROD,
      userName: 'vendor',
      until: '2026-07-01',
      reason: 'CHG-1',
      firstSeenAt: daysBefore(10),
    },
  },
});

describe('newExemptions', () => {
  it('does return a user exempt now whom the memory does not know, with what the exemption claims', () => {
    const report = reportOf([exemptFinding('vendor', '2026-07-01', 'CHG-1')]);
    expect(newExemptions(report, memoryWith())).toEqual([
      { accountId: PROD, userName: 'vendor', until: '2026-07-01', reason: 'CHG-1', source: 'tag' },
    ]);
  });

  it.each([
    ['the same exemption', '2026-07-01', 'CHG-1', 0],
    ['an exemption extended', '2026-12-31', 'CHG-1', 1],
    ['an exemption with another reason', '2026-07-01', 'CHG-9', 1],
  ])('does return %s %i time(s)', (_label, until, reason, count) => {
    expect(newExemptions(reportOf([exemptFinding('vendor', until, reason)]), knownVendor)).toHaveLength(
      count,
    );
  });

  it('does tell apart the same user name in two accounts', () => {
    const report = reportOf([exemptFinding('vendor', '2026-07-01', 'CHG-1', { accountId: DEV })]);
    expect(newExemptions(report, knownVendor).map((e) => e.accountId)).toEqual([DEV]);
  });

  it('does return a user once however many findings the exemption excuses', () => {
    const report = reportOf([
      exemptFinding('batch', '2026-07-01', 'CHG-2', { accessKeyId: 'AKIAEXAMPLE000000001' }),
      exemptFinding('batch', '2026-07-01', 'CHG-2', {
        accessKeyId: 'AKIAEXAMPLE000000002',
        rule: 'key-unused',
      }),
    ]);
    expect(newExemptions(report, memoryWith())).toHaveLength(1);
  });

  it('does ignore findings that are not exempt', () => {
    expect(newExemptions(reportOf([finding()]), memoryWith())).toEqual([]);
  });
});
