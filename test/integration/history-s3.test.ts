/**
 * The S3 history against moto_server: a real S3 API (path-style addressing on the loopback endpoint),
 * including conditional writes, which moto 5.2 honours for PutObject (`If-None-Match: *` and `If-Match`).
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createS3HistoryStore } from '../../lambda/aws/history-s3.ts';
import { parseHistoryLocation } from '../../lambda/domain/history-location.ts';
import { HistoryConflictError, HistoryError, type HistoryStore } from '../../lambda/domain/history-store.ts';
import { EMPTY_MEMORY, type Memory } from '../../lambda/domain/memory.ts';
import { rememberRun } from '../../lambda/domain/remember-run.ts';
import { PROD, reportOf, scanned } from '../domain/history-factories.ts';
import { motoAvailable, motoEndpoint, motoEnv, resetMoto } from './moto.ts';

const BUCKET = 'key-audit-history-it';
const AS_OF = new Date('2026-06-15T12:00:00.000Z');

describe.runIf(motoAvailable())('S3 history against moto', () => {
  let client: S3Client;
  let prefixCount = 0;

  /** A store under a fresh prefix, so that tests do not see each other's objects. */
  const freshStore = (): HistoryStore => {
    prefixCount += 1;
    const location = parseHistoryLocation(`s3://${BUCKET}/run-${prefixCount}`);
    if (location.kind !== 's3') throw new Error('expected an S3 location');
    return createS3HistoryStore(client, location);
  };

  beforeAll(async () => {
    const endpoint = motoEndpoint() ?? '';
    const env = motoEnv(endpoint);
    await resetMoto(endpoint);
    client = new S3Client({
      endpoint,
      region: env.AWS_REGION,
      forcePathStyle: true,
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
      },
    });
    await client.send(
      new CreateBucketCommand({
        Bucket: BUCKET,
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-2' },
      }),
    );
  });

  it('does round-trip the memory: empty at first, then what the last run saved', async () => {
    const store = freshStore();
    const first = await store.load();
    expect(first).toEqual({ memory: EMPTY_MEMORY, revision: null });

    const reportRef = {
      job: 'report' as const,
      asOf: AS_OF,
      location: await store.putReport('report', AS_OF, '{}'),
    };
    const memory: Memory = rememberRun(first.memory, {
      report: reportOf([], { asOf: AS_OF, accounts: [scanned(PROD)] }),
      delivered: [],
      reportRef,
    });
    const revision = await store.save(memory, first.revision);
    await expect(store.load()).resolves.toEqual({ memory, revision });
  });

  it('does refuse a save on a stale revision and a second first save (conditional writes)', async () => {
    const store = freshStore();
    const revision = await store.save(EMPTY_MEMORY, null);
    const later: Memory = { ...EMPTY_MEMORY, lastScanned: { '111111111111': AS_OF } };
    const newer = await store.save(later, revision);
    expect(newer).not.toBe(revision);

    await expect(store.save(EMPTY_MEMORY, revision)).rejects.toBeInstanceOf(HistoryConflictError);
    await expect(store.save(EMPTY_MEMORY, null)).rejects.toBeInstanceOf(HistoryConflictError);
    await expect(store.load()).resolves.toEqual({ memory: later, revision: newer });
  });

  it('does store reports by date and find the previous one of the same job', async () => {
    const store = freshStore();
    const at = (iso: string) => new Date(iso);
    const lastMonth = await store.putReport('report', at('2026-05-31T23:00:00.000Z'), '{"n":1}');
    const yesterday = await store.putReport('report', at('2026-06-14T06:00:00.000Z'), '{"n":2}');
    const today = await store.putReport('report', at('2026-06-15T06:00:00.000Z'), '{"n":3}');
    await store.putReport('alerts', at('2026-06-15T11:00:00.000Z'), '{"alerts":true}');

    expect(today).toBe(
      `s3://${BUCKET}/run-${prefixCount}/reports/report/2026/06/15/2026-06-15T06-00-00.000Z.json`,
    );
    await expect(store.getReport(yesterday)).resolves.toBe('{"n":2}');
    await expect(store.previousReport('report', AS_OF)).resolves.toEqual({
      location: today,
      json: '{"n":3}',
    });
    await expect(store.previousReport('report', at('2026-06-15T06:00:00.000Z'))).resolves.toEqual({
      location: yesterday,
      json: '{"n":2}',
    });
    await expect(store.previousReport('report', at('2026-06-01T00:00:00.000Z'))).resolves.toEqual({
      location: lastMonth,
      json: '{"n":1}',
    });
    await expect(store.previousReport('report', at('2026-05-01T00:00:00.000Z'))).resolves.toBeNull();
    await expect(store.previousReport('scan', AS_OF)).resolves.toBeNull();
  });

  it('does name a bucket that does not exist', async () => {
    const store = createS3HistoryStore(client, { kind: 's3', bucket: 'no-such-history-bucket', prefix: '' });
    await expect(store.load()).rejects.toThrow(
      new HistoryError('s3://no-such-history-bucket: the history bucket does not exist'),
    );
  });
});
