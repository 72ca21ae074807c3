import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createS3HistoryStore } from '../../lambda/aws/history-s3.ts';
import { reportKey } from '../../lambda/domain/history-layout.ts';
import { HistoryConflictError, HistoryError } from '../../lambda/domain/history-store.ts';
import { EMPTY_MEMORY } from '../../lambda/domain/memory.ts';
import { encodeMemory } from '../../lambda/domain/memory-codec.ts';

const BUCKET = 'audit-history';
const STATE = 'key-audit/state.json';
const STATE_URI = `s3://${BUCKET}/${STATE}`;
const AS_OF = new Date('2026-06-15T12:00:00.000Z');
const MEMORY = { ...EMPTY_MEMORY, lastScanned: { '111111111111': AS_OF } };

const setup = () => {
  const client = new S3Client({ region: 'eu-west-2' });
  const s3 = mockClient(client);
  const store = createS3HistoryStore(client, { kind: 's3', bucket: BUCKET, prefix: 'key-audit/' });
  return { s3, store };
};

/** A GetObject body as the SDK returns it (only `transformToString` is read). */
const bodyOf = (text: string) => ({ transformToString: async () => text }) as GetObjectCommandOutput['Body'];

const serviceError = (name: string, httpStatusCode: number, message = `${name} happened`) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message });

const noSuchKey = () =>
  new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'The specified key does not exist.' });
const noSuchBucket = () =>
  new NoSuchBucket({ $metadata: { httpStatusCode: 404 }, message: 'The specified bucket does not exist' });

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

describe('createS3HistoryStore', () => {
  it('does name its location as people write it', () => {
    expect(setup().store.location).toBe('s3://audit-history/key-audit');
  });

  describe('load', () => {
    it('does start from the empty memory, revision null, when there is no state.json', async () => {
      const { s3, store } = setup();
      s3.on(GetObjectCommand).rejects(noSuchKey());
      await expect(store.load()).resolves.toEqual({ memory: EMPTY_MEMORY, revision: null });
      expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({ Bucket: BUCKET, Key: STATE });
    });

    it('does read the memory and take its ETag as the revision', async () => {
      const { s3, store } = setup();
      s3.on(GetObjectCommand).resolves({ Body: bodyOf(encodeMemory(MEMORY)), ETag: '"etag-1"' });
      await expect(store.load()).resolves.toEqual({ memory: MEMORY, revision: '"etag-1"' });
    });

    it('does refuse a corrupt state.json, naming its URI, rather than start empty', async () => {
      const { s3, store } = setup();
      s3.on(GetObjectCommand).resolves({ Body: bodyOf('{"schemaVersion": 7}'), ETag: '"e"' });
      await expect(store.load()).rejects.toThrow(
        new HistoryError(`${STATE_URI}: schemaVersion 7 is not supported (this key-audit reads 1)`),
      );
    });

    it.each([
      ['a missing bucket', noSuchBucket(), 's3://audit-history: the history bucket does not exist'],
      [
        'denied access',
        serviceError('AccessDenied', 403, 'Access Denied'),
        `${STATE_URI}: access denied to load the memory (AccessDenied: Access Denied)`,
      ],
      [
        'any other failure',
        serviceError('SlowDown', 503, 'Please reduce your request rate.'),
        `${STATE_URI}: cannot load the memory: SlowDown: Please reduce your request rate.`,
      ],
    ])('does turn %s into one HistoryError line keeping the SDK error', async (_label, sdkError, message) => {
      const { s3, store } = setup();
      s3.on(GetObjectCommand).rejects(sdkError);
      const error = await failure(store.load());
      expect(error).toBeInstanceOf(HistoryError);
      expect(error).not.toBeInstanceOf(HistoryConflictError);
      expect(error).toMatchObject({ message, cause: sdkError });
    });
  });

  describe('save', () => {
    it.each([
      ['If-None-Match: * for the first save', null, { IfNoneMatch: '*' }],
      ['If-Match: the loaded ETag after', '"etag-1"', { IfMatch: '"etag-1"' }],
    ])('does write conditionally with %s and return the new ETag', async (_label, revision, condition) => {
      const { s3, store } = setup();
      s3.on(PutObjectCommand).resolves({ ETag: '"etag-2"' });
      await expect(store.save(MEMORY, revision)).resolves.toBe('"etag-2"');
      expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
        Bucket: BUCKET,
        Key: STATE,
        Body: encodeMemory(MEMORY),
        ContentType: 'application/json',
        ...condition,
      });
    });

    it.each([
      ['PreconditionFailed (412)', '"etag-1"', serviceError('PreconditionFailed', 412)],
      ['ConditionalRequestConflict (409)', '"etag-1"', serviceError('ConditionalRequestConflict', 409)],
      ['PreconditionFailed on a first save', null, serviceError('PreconditionFailed', 412)],
      ['NoSuchKey (deleted since the load)', '"etag-1"', noSuchKey()],
    ])('does report %s as a HistoryConflictError', async (_label, revision, sdkError) => {
      const { s3, store } = setup();
      s3.on(PutObjectCommand).rejects(sdkError);
      const error = await failure(store.save(MEMORY, revision));
      expect(error).toBeInstanceOf(HistoryConflictError);
      expect(error).toMatchObject({
        message: `${STATE_URI}: another run saved the memory since this one loaded it (${sdkError.name}); this run's deliveries are not recorded`,
        cause: sdkError,
      });
    });

    it('does report denied access as a HistoryError, not a conflict', async () => {
      const { s3, store } = setup();
      s3.on(PutObjectCommand).rejects(serviceError('AccessDenied', 403, 'Access Denied'));
      const error = await failure(store.save(MEMORY, '"etag-1"'));
      expect(error).not.toBeInstanceOf(HistoryConflictError);
      expect(error).toMatchObject({
        message: `${STATE_URI}: access denied to save the memory (AccessDenied: Access Denied)`,
      });
    });
  });

  describe('putReport', () => {
    it('does store the report under its dated key, encryption left to the bucket, and return its URI', async () => {
      const { s3, store } = setup();
      s3.on(PutObjectCommand).resolves({ ETag: '"r"' });
      const key = `key-audit/${reportKey('alerts', AS_OF)}`;
      await expect(store.putReport('alerts', AS_OF, '{"schemaVersion":1}')).resolves.toBe(
        `s3://${BUCKET}/${key}`,
      );
      expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
        Bucket: BUCKET,
        Key: key,
        Body: '{"schemaVersion":1}',
        ContentType: 'application/json',
      });
    });

    it('does name the bucket when it does not exist', async () => {
      const { s3, store } = setup();
      s3.on(PutObjectCommand).rejects(noSuchBucket());
      await expect(store.putReport('alerts', AS_OF, '{}')).rejects.toThrow(
        new HistoryError('s3://audit-history: the history bucket does not exist'),
      );
    });
  });

  describe('getReport', () => {
    const location = `s3://${BUCKET}/key-audit/${reportKey('report', AS_OF)}`;

    it('does read a report by the URI putReport returned', async () => {
      const { s3, store } = setup();
      s3.on(GetObjectCommand).resolves({ Body: bodyOf('{"a":1}') });
      await expect(store.getReport(location)).resolves.toBe('{"a":1}');
      expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
        Bucket: BUCKET,
        Key: `key-audit/${reportKey('report', AS_OF)}`,
      });
    });

    it('does say a report that is gone (expired) is missing', async () => {
      const { s3, store } = setup();
      s3.on(GetObjectCommand).rejects(noSuchKey());
      await expect(store.getReport(location)).rejects.toThrow(
        new HistoryError(`${location}: no such report`),
      );
    });

    it.each(['s3://other-bucket/key-audit/reports/x.json', `s3://${BUCKET}/elsewhere/x.json`, '/tmp/x.json'])(
      'does refuse %s, outside this history, without calling S3',
      async (other) => {
        const { s3, store } = setup();
        await expect(store.getReport(other)).rejects.toThrow(
          new HistoryError(`${other}: not a report of the history s3://audit-history/key-audit`),
        );
        expect(s3.calls()).toEqual([]);
      },
    );
  });

  describe('previousReport', () => {
    it('does walk the dated folders through every listing page and read the last report before', async () => {
      const { s3, store } = setup();
      const folder = 'key-audit/reports/report';
      const yesterday = `${folder}/2026/06/14/2026-06-14T06-00-00.000Z.json`;
      s3.on(ListObjectsV2Command, { Prefix: `${folder}/` }).resolves({
        CommonPrefixes: [{ Prefix: `${folder}/2026/` }],
      });
      s3.on(ListObjectsV2Command, { Prefix: `${folder}/2026/` }).resolves({
        CommonPrefixes: [{ Prefix: `${folder}/2026/06/` }],
      });
      s3.on(ListObjectsV2Command, { Prefix: `${folder}/2026/06/`, ContinuationToken: undefined }).resolves({
        CommonPrefixes: [{ Prefix: `${folder}/2026/06/14/` }],
        IsTruncated: true,
        NextContinuationToken: 'page-2',
      });
      s3.on(ListObjectsV2Command, { Prefix: `${folder}/2026/06/`, ContinuationToken: 'page-2' }).resolves({
        CommonPrefixes: [{ Prefix: `${folder}/2026/06/15/` }],
      });
      s3.on(ListObjectsV2Command, { Prefix: `${folder}/2026/06/15/` }).resolves({
        Contents: [{ Key: `${folder}/2026/06/15/2026-06-15T12-00-00.000Z.json` }],
      });
      s3.on(ListObjectsV2Command, { Prefix: `${folder}/2026/06/14/` }).resolves({
        Contents: [{ Key: yesterday }],
      });
      s3.on(GetObjectCommand, { Key: yesterday }).resolves({ Body: bodyOf('{"yesterday":true}') });

      await expect(store.previousReport('report', AS_OF)).resolves.toEqual({
        location: `s3://${BUCKET}/${yesterday}`,
        json: '{"yesterday":true}',
      });
      expect(
        s3.commandCalls(ListObjectsV2Command).every((call) => call.args[0].input.Delimiter === '/'),
      ).toBe(true);
    });

    it('does return null for a job without reports', async () => {
      const { s3, store } = setup();
      s3.on(ListObjectsV2Command).resolves({});
      await expect(store.previousReport('scan', AS_OF)).resolves.toBeNull();
    });

    it('does turn a failed listing into a HistoryError naming the folder', async () => {
      const { s3, store } = setup();
      s3.on(ListObjectsV2Command).rejects(serviceError('AccessDenied', 403, 'Access Denied'));
      await expect(store.previousReport('scan', AS_OF)).rejects.toThrow(
        new HistoryError(
          `s3://${BUCKET}/key-audit/reports/scan/: access denied to list the reports (AccessDenied: Access Denied)`,
        ),
      );
    });
  });
});
