import { PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { runScheduledJob } from '../../lambda/app/scheduled-job.ts';
import { A, B, config, fakeWorld, NOW } from './job-fakes.ts';

describe('runScheduledJob', () => {
  it('does mark the run incomplete and alert every account not reached when no time is left at all', async () => {
    const world = fakeWorld();
    world.sns
      .on(PublishBatchCommand)
      .callsFake((input: { PublishBatchRequestEntries?: { Id?: string }[] }) => ({
        Successful: (input.PublishBatchRequestEntries ?? []).map((entry) => ({
          Id: entry.Id,
          MessageId: `alert-${entry.Id}`,
        })),
        Failed: [],
      }));
    const summary = await runScheduledJob('alerts', config([A, B]), world.deps, 0);
    expect(summary).toMatchObject({
      accounts: 2,
      failed: 2,
      notScanned: 2,
      incomplete: true,
      alerts: 2,
    });
    expect(summary.messageIds).toHaveLength(2);
    expect(world.iamCalls.get(A)).toEqual([]);
    expect(world.deps.metrics.published[0]).toMatchObject({ AccountsScanned: 0, AccountsFailed: 2 });
  });

  it('does scan as of the clock at the start, log the scan, then publish and flush the metrics once', async () => {
    const world = fakeWorld();
    world.sns.on(PublishCommand).resolves({ MessageId: 'report-1' });
    const summary = await runScheduledJob('report', config([A, B]), world.deps, 900_000);
    expect(summary).toEqual({
      job: 'report',
      asOf: new Date(NOW).toISOString(),
      accounts: 2,
      failed: 0,
      notScanned: 0,
      violations: 3,
      incomplete: false,
      messageIds: ['report-1'],
    });
    expect(world.deps.logger.lines.map((l) => l.message)).toEqual(['scan finished', 'report published']);
    expect(world.deps.metrics.flushes).toBe(1);
  });
});
