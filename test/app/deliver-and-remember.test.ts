import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alertChoices, deliverAndRemember, deliveredBefore } from '../../lambda/app/deliver-and-remember.ts';
import { type HistoryRun, startHistoryRun } from '../../lambda/app/history-run.ts';
import { HistoryError } from '../../lambda/domain/history-store.ts';
import type { PublishedAlert } from '../../lambda/domain/remember-run.ts';
import { createDirectoryHistoryStore } from '../../lambda/history/history-dir.ts';
import { finding, reportOf, unreachable } from '../domain/history-factories.ts';

const TMP = mkdtempSync(join(tmpdir(), 'key-audit-deliver-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let count = 0;

const alice = finding({ userName: 'alice', accessKeyId: 'AKIAALICE00000000001' });
const bob = finding({ userName: 'bob', accessKeyId: 'AKIABOB0000000000001' });
const delivered = (...ids: string[]): PublishedAlert[] =>
  ids.map((findingId) => ({ findingId, severity: 'high' }));

/** An error as AlertPublishError shapes it: which alerts reached the topic before it. */
class PartlyPublished extends Error {
  constructor(readonly delivered: readonly PublishedAlert[]) {
    super('publishing to arn:aws:sns:eu-west-2:111111111111:alerts failed for 1 message');
  }
}

const startedRun = async () => {
  count += 1;
  const store = createDirectoryHistoryStore(join(TMP, `h${count}`));
  const run = await startHistoryRun(store, 'alerts');
  const report = await run.complete(reportOf([alice, bob]));
  return { store, run, report };
};

describe('deliverAndRemember', () => {
  it('does save what publishing delivered and return it', async () => {
    const { store, run, report } = await startedRun();
    const result = await deliverAndRemember(run, report, async () => delivered(alice.id, bob.id));
    expect(result.delivered).toEqual(delivered(alice.id, bob.id));
    const { memory } = await store.load();
    expect(Object.keys(memory.delivered)).toEqual([alice.id, bob.id]);
  });

  it('does save what was delivered before publishing failed, then throw the publishing error', async () => {
    const { store, run, report } = await startedRun();
    const failure = new PartlyPublished(delivered(alice.id));
    await expect(
      deliverAndRemember(run, report, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    const { memory } = await store.load();
    expect(Object.keys(memory.delivered)).toEqual([alice.id]);
  });

  it('does throw both errors together when publishing and saving fail', async () => {
    const { run, report } = await startedRun();
    const broken: HistoryRun = {
      ...run,
      save: async () => {
        throw new HistoryError('s3://history: access denied to save the memory');
      },
    };
    const error = await deliverAndRemember(broken, report, async () => {
      throw new PartlyPublished([]);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toHaveLength(2);
    expect((error as Error).message).toBe(
      'publishing failed (publishing to arn:aws:sns:eu-west-2:111111111111:alerts failed for 1 message), ' +
        'and the history could not be saved (s3://history: access denied to save the memory)',
    );
  });

  it('does throw the save’s error alone when publishing went well', async () => {
    const { run, report } = await startedRun();
    const denied = new HistoryError('s3://history: access denied to save the memory');
    const broken: HistoryRun = {
      ...run,
      save: async () => {
        throw denied;
      },
    };
    await expect(deliverAndRemember(broken, report, async () => [])).rejects.toBe(denied);
  });

  it('does only publish without a history', async () => {
    const result = await deliverAndRemember(null, reportOf([alice]), async () => delivered(alice.id));
    expect(result).toEqual({ delivered: delivered(alice.id), saved: null });
  });
});

describe('deliveredBefore', () => {
  it.each([
    ['an error that says what was delivered', new PartlyPublished(delivered(alice.id)), delivered(alice.id)],
    ['any other error', new Error('boom'), []],
    ['a value that is not an error', { delivered: delivered(alice.id) }, []],
  ])('does read %s', (_, error, expected) => {
    expect(deliveredBefore(error)).toEqual(expected);
  });
});

describe('alertChoices', () => {
  it('does word an alert never delivered as new, and keep the standing reasons', () => {
    const gone = unreachable('222222222222');
    expect(
      alertChoices([
        { finding: alice, reason: 'undelivered' },
        { finding: bob, reason: 'new' },
        { finding: gone, reason: 'unreachable' },
      ]).map((c) => c.reason),
    ).toEqual(['new', 'new', 'unreachable']);
  });
});
