import { describe, expect, it } from 'vitest';
import { JOBS, parseJobEvent } from '../../lambda/app/job-event.ts';
import { InputError } from '../../lambda/domain/errors.ts';

describe('parseJobEvent', () => {
  it.each([
    [{ job: 'report' }, 'report'],
    [{ job: 'alerts' }, 'alerts'],
    [{ job: 'alerts', extra: true }, 'alerts'],
  ])('does read the job of %j', (event, job) => {
    expect(parseJobEvent(event)).toBe(job);
  });

  it('does accept every job it declares', () => {
    expect(JOBS.map((job) => parseJobEvent({ job }))).toEqual([...JOBS]);
  });

  it.each([
    [{ job: 'Report' }, 'event.job: "Report" is not a job: expected "report" or "alerts"'],
    [{ job: 7 }, 'event.job: 7 is not a job: expected "report" or "alerts"'],
    [{ job: null }, 'event.job: null is not a job: expected "report" or "alerts"'],
    [{ jobs: 'report' }, 'event.job: missing: expected "report" or "alerts"'],
    [{}, 'event.job: missing: expected "report" or "alerts"'],
    [[], 'event: expected {"job": "report"} or {"job": "alerts"}, got []'],
    [null, 'event: expected {"job": "report"} or {"job": "alerts"}, got null'],
    ['report', 'event: expected {"job": "report"} or {"job": "alerts"}, got "report"'],
    [undefined, 'event: expected {"job": "report"} or {"job": "alerts"}, got undefined'],
  ])('does refuse %j with a one-line InputError naming the field', (event, message) => {
    expect(() => parseJobEvent(event)).toThrow(InputError);
    expect(() => parseJobEvent(event)).toThrow(message);
  });
});
