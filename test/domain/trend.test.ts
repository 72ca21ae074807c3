import { describe, expect, it } from 'vitest';
import type { Finding } from '../../lambda/domain/finding.ts';
import type { AccountStatus } from '../../lambda/domain/report.ts';
import { trend } from '../../lambda/domain/trend.ts';
import {
  DEV,
  daysBefore,
  exemptFinding,
  failed,
  finding,
  PROD,
  reportOf,
  scanned,
  unreachable,
} from './history-factories.ts';

const LAST_WEEK = daysBefore(7);
const key = (n: number, overrides: Partial<Finding> = {}) =>
  finding({ accessKeyId: `AKIAEXAMPLE00000000${n}`, ...overrides });

const previousOf = (findings: readonly Finding[], accounts?: readonly AccountStatus[]) =>
  reportOf(findings, { asOf: LAST_WEEK, ...(accounts === undefined ? {} : { accounts }) });

describe('trend', () => {
  it('does compare nothing on the first run of a job with a history', () => {
    expect(trend(null, reportOf([key(1)]))).toEqual({
      previousAsOf: null,
      previous: null,
      new: [],
      resolved: [],
    });
  });

  it("does carry the previous report's asOf and summary", () => {
    const previous = previousOf([key(1)]);
    const result = trend(previous, reportOf([key(1)]));
    expect(result.previousAsOf).toEqual(LAST_WEEK);
    expect(result.previous).toBe(previous.summary);
  });

  it('does list findings that appeared as new and findings that went away as resolved, in report order', () => {
    const previous = previousOf([key(1), key(2), key(3)]);
    const current = reportOf([key(4), key(2), key(5)]);
    expect(trend(previous, current)).toMatchObject({
      new: [key(4).id, key(5).id],
      resolved: [key(1).id, key(3).id],
    });
  });

  it.each([
    ['granted (the key was not rotated)', [key(1)], [key(1, { exempt: true })]],
    ['ended', [key(1, { exempt: true })], [key(1)]],
    ['in force in both', [exemptFinding('vendor', '2026-07-01')], [exemptFinding('vendor', '2026-07-01')]],
  ])('does count an exemption %s as neither new nor resolved', (_label, before, now) => {
    expect(trend(previousOf(before), reportOf(now))).toMatchObject({ new: [], resolved: [] });
  });

  it('does not list exempt findings that appeared or went away', () => {
    const previous = previousOf([exemptFinding('old', '2026-07-01'), key(9)]);
    const current = reportOf([exemptFinding('fresh', '2026-07-01'), key(9)]);
    expect(trend(previous, current)).toMatchObject({ new: [], resolved: [] });
  });

  it('does not claim as resolved the keys of an account unreachable now', () => {
    const previous = previousOf([key(1), key(2, { accountId: DEV })]);
    const current = reportOf([unreachable(PROD), key(2, { accountId: DEV })]);
    expect(trend(previous, current)).toMatchObject({ new: [unreachable(PROD).id], resolved: [] });
  });

  it('does not call new the keys of an account that was unreachable last time, but its return resolves it', () => {
    const previous = previousOf([unreachable(PROD)]);
    const current = reportOf([key(1)]);
    expect(trend(previous, current)).toMatchObject({ new: [], resolved: [unreachable(PROD).id] });
  });

  it('does leave out accounts a run stopped before scanning', () => {
    const previous = {
      ...previousOf([key(1, { accountId: DEV })], [scanned(PROD)]),
      incomplete: { reason: 'timeout', accountsNotScanned: [DEV] },
    };
    const current = reportOf([key(1, { accountId: DEV }), key(2, { accountId: DEV })], {
      accounts: [scanned(PROD), scanned(DEV)],
    });
    const stopped = {
      ...reportOf([], { accounts: [scanned(PROD)] }),
      incomplete: { reason: 'timeout', accountsNotScanned: [DEV] },
    };
    expect(trend(previous, current)).toMatchObject({ new: [], resolved: [] });
    expect(trend(previousOf([key(3, { accountId: DEV })]), stopped)).toMatchObject({ new: [], resolved: [] });
  });

  it('does count every finding of an account that joined or left the targets', () => {
    const previous = previousOf([key(1)], [scanned(PROD)]);
    const current = reportOf([key(2, { accountId: DEV })], { accounts: [scanned(DEV)] });
    expect(trend(previous, current)).toMatchObject({
      new: [key(2, { accountId: DEV }).id],
      resolved: [key(1).id],
    });
  });

  it('does accept a failed account in the previous report as unknown, not empty', () => {
    const previous = previousOf([unreachable(DEV)], [failed(DEV)]);
    expect(trend(previous, reportOf([key(1, { accountId: DEV })])).new).toEqual([]);
  });
});
