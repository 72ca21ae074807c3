import { describe, expect, it } from 'vitest';
import {
  FINDINGS_PER_LOG_LINE,
  logReportAtError,
  logScan,
  MAX_FAILED_LOGGED,
} from '../../lambda/app/job-log.ts';
import { toJsonReport } from '../../lambda/present/render/index.ts';
import { largeReport, makeReport } from '../present/render/report-factory.ts';
import { auditOf } from './audit-fixture.ts';
import { recordingLogger } from './job-fakes.ts';

describe('logReportAtError', () => {
  it('does log the report, then its findings in parts of bounded size, every finding once', () => {
    const logger = recordingLogger();
    const json = toJsonReport(largeReport(250));
    logReportAtError(logger, 'report could not be published', json, { job: 'report' });
    const parts = Math.ceil(250 / FINDINGS_PER_LOG_LINE);
    expect(logger.lines).toHaveLength(1 + parts);
    expect(logger.lines.every((l) => l.level === 'error' && l.fields.job === 'report')).toBe(true);
    expect(logger.lines[0]?.fields).toMatchObject({
      findingParts: parts,
      report: { findings: [], summary: json.summary },
    });
    const logged = logger.lines.slice(1).flatMap((l) => l.fields.findings as unknown[]);
    expect(logged).toEqual(json.findings);
    expect(logger.lines[1]?.message).toBe(`report could not be published (findings, part 1 of ${parts})`);
  });

  it('does log one line when there is no finding', () => {
    const logger = recordingLogger();
    logReportAtError(logger, 'report could not be published', toJsonReport(makeReport([])), {});
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.fields.findingParts).toBe(0);
  });
});

describe('logScan', () => {
  it('does log a finished scan at info level with its counts', () => {
    const logger = recordingLogger();
    logScan(logger, 'report', auditOf({ scanned: 2, failed: 1 }), 1_234);
    expect(logger.lines).toEqual([
      {
        level: 'info',
        message: 'scan finished',
        fields: expect.objectContaining({
          job: 'report',
          accountsScanned: 2,
          accountsFailed: 1,
          accountsNotScanned: 0,
          stopReason: null,
          elapsedMs: 1_234,
        }),
      },
    ]);
  });

  it('does log each warning of the audit as a warning line of its own, before the scan line', () => {
    const logger = recordingLogger();
    const warning =
      'exclude: account 999999999999 is not in the organisation, so it excludes nothing (a typo?)';
    logScan(logger, 'report', auditOf({ scanned: 1, warnings: [warning] }), 0);
    expect(logger.lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', warning],
      ['info', 'scan finished'],
    ]);
  });

  it('does warn with the reason when the scan stopped early, listing the accounts not scanned', () => {
    const logger = recordingLogger();
    logScan(logger, 'alerts', auditOf({ scanned: 1, notScanned: 2, stopReason: 'deadline' }), 0);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'warn',
      message: 'scan incomplete: publishing what was scanned',
      fields: {
        job: 'alerts',
        accountsNotScanned: 2,
        stopReason: 'deadline',
        reason: expect.stringContaining('time limit'),
      },
    });
    expect(logger.lines[0]?.fields.notScannedAccounts).toHaveLength(2);
  });

  it(`does list at most ${MAX_FAILED_LOGGED} failed and not-scanned accounts but count them all`, () => {
    const logger = recordingLogger();
    const many = MAX_FAILED_LOGGED + 5;
    logScan(logger, 'report', auditOf({ failed: many, notScanned: many, stopReason: 'aborted' }), 0);
    const fields = logger.lines[0]?.fields ?? {};
    // Accounts not reached are failed accounts too (error Deadline), and listed as not scanned as well.
    expect(fields).toMatchObject({ accountsFailed: 2 * many, accountsNotScanned: many });
    expect(fields.failedAccounts).toHaveLength(MAX_FAILED_LOGGED);
    expect(fields.notScannedAccounts).toHaveLength(MAX_FAILED_LOGGED);
  });
});
