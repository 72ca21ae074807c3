import { describe, expect, it } from 'vitest';
import {
  ABORT_MARGIN_MS,
  DEADLINE_MARGIN_MS,
  FINDINGS_PER_LOG_LINE,
  logReportAtError,
  parseJobEvent,
  runScheduledJob,
  scanWindow,
} from '../../lambda/app/scheduled-job.ts';
import { InputError } from '../../lambda/domain/errors.ts';
import { toJsonReport } from '../../lambda/present/render/index.ts';
import { largeReport } from '../present/render/report-factory.ts';
import { A, B, config, fakeWorld, recordingLogger } from './job-fakes.ts';

describe('parseJobEvent', () => {
  it.each([
    [{ job: 'report' }, 'report'],
    [{ job: 'alerts', extra: true }, 'alerts'],
  ])('does read the job of %j', (event, job) => {
    expect(parseJobEvent(event)).toBe(job);
  });

  it.each([[{ job: 'Report' }], [{ jobs: 'report' }], [[]], [undefined]])('does refuse %j', (event) => {
    expect(() => parseJobEvent(event)).toThrow(InputError);
    expect(() => parseJobEvent(event)).toThrow(/^event/);
  });
});

describe('scanWindow', () => {
  it.each([
    [900_000, 900_000 - DEADLINE_MARGIN_MS, 900_000 - ABORT_MARGIN_MS],
    [120_000, 60_000, 90_000],
    [60_000, 30_000, 45_000],
    [0, 0, 0],
    [-5, 0, 0],
  ])('does stop starting accounts and abort them in time with %i ms left', (remaining, deadline, abort) => {
    expect(scanWindow(remaining)).toEqual({ deadlineMs: deadline, abortMs: abort });
  });
});

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
});

describe('runScheduledJob', () => {
  it('does mark the run incomplete and list every account when no time is left at all', async () => {
    const world = fakeWorld();
    const summary = await runScheduledJob('alerts', config([A, B]), world.deps, 0);
    expect(summary).toMatchObject({
      accounts: 2,
      notScanned: 2,
      incomplete: true,
      alerts: 0,
      messageIds: [],
    });
    expect(world.iamCalls.get(A)).toEqual([]);
    expect(world.deps.metrics.published[0]).toMatchObject({ AccountsScanned: 0, AccountsFailed: 2 });
  });
});
