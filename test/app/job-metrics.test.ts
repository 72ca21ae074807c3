import { describe, expect, it } from 'vitest';
import { addScanMetrics, METRIC } from '../../lambda/app/job-metrics.ts';
import { auditOf } from './audit-fixture.ts';
import { recordingMetrics } from './job-fakes.ts';

describe('addScanMetrics', () => {
  it.each([
    [{ scanned: 3 }, 3, 0],
    [{ scanned: 2, failed: 1 }, 2, 1],
    [{ scanned: 1, failed: 1, notScanned: 2, stopReason: 'deadline' as const }, 1, 3],
    [{ notScanned: 2, stopReason: 'aborted' as const }, 0, 2],
  ])('does count %j as %i scanned and %i failed or not scanned', (counts, scanned, failed) => {
    const metrics = recordingMetrics();
    const audit = auditOf(counts);
    addScanMetrics(metrics, audit);
    expect(metrics.added).toEqual([
      { name: METRIC.accountsScanned, unit: 'Count', value: scanned },
      { name: METRIC.accountsFailed, unit: 'Count', value: failed },
      { name: METRIC.violations, unit: 'Count', value: audit.report.summary.violations },
    ]);
  });
});
