/**
 * The history in S3 (`s3://bucket/prefix`), with the layout of `history-layout.ts`. The memory is saved
 * with a conditional write: `If-None-Match: *` while there is none, `If-Match: <ETag loaded>` after, so a
 * run that overlapped another fails with a HistoryConflictError instead of overwriting its deliveries.
 * Objects are written without `ServerSideEncryption`: the bucket's default encryption applies.
 *
 * The role needs `s3:ListBucket` besides `s3:GetObject`/`s3:PutObject`: without it S3 answers a missing
 * `state.json` with AccessDenied instead of NoSuchKey, and the first run could not start.
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type FolderListing, lastReportKeyBefore, reportKey, STATE_KEY } from '../domain/history-layout.ts';
import { formatHistoryLocation, type HistoryLocation } from '../domain/history-location.ts';
import { HistoryConflictError, HistoryError, type HistoryStore } from '../domain/history-store.ts';
import { EMPTY_MEMORY } from '../domain/memory.ts';
import { decodeMemory, encodeMemory } from '../domain/memory-codec.ts';
import { awsErrorCode, awsErrorMessage, hasAwsErrorCode } from './aws-error.ts';

/** Codes S3 answers a conditional write with when the object changed (412, or 409 for a race in flight). */
const CONFLICT_CODES = ['PreconditionFailed', 'ConditionalRequestConflict'] as const;
const DENIED_CODES = ['AccessDenied', 'Forbidden', 'AllAccessDisabled'] as const;
const MISSING_KEY_CODES = ['NoSuchKey', 'NotFound'] as const;

type S3Location = Extract<HistoryLocation, { kind: 's3' }>;

/**
 * One line for an S3 failure while trying to `action` (`load the memory`) at `uri`: a missing bucket or
 * denied access named plainly, else the AWS code and message.
 */
const historyError = (error: unknown, bucket: string, uri: string, action: string): HistoryError => {
  const detail = `${awsErrorCode(error)}: ${awsErrorMessage(error)}`;
  if (hasAwsErrorCode(error, 'NoSuchBucket'))
    return new HistoryError(`s3://${bucket}: the history bucket does not exist`, { cause: error });
  if (hasAwsErrorCode(error, ...DENIED_CODES))
    return new HistoryError(`${uri}: access denied to ${action} (${detail})`, { cause: error });
  return new HistoryError(`${uri}: cannot ${action}: ${detail}`, { cause: error });
};

/** The history at `location` in S3 through `client` (a client of the bucket's region). */
export const createS3HistoryStore = (client: S3Client, location: S3Location): HistoryStore => {
  const { bucket, prefix } = location;
  const name = formatHistoryLocation(location);
  const uriOf = (key: string): string => `s3://${bucket}/${key}`;
  const stateKey = `${prefix}${STATE_KEY}`;

  /** The text of `key`, or null when there is no such object. */
  const read = async (key: string, action: string): Promise<{ text: string; etag: string | null } | null> => {
    try {
      const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = (await output.Body?.transformToString('utf-8')) ?? '';
      return { text, etag: output.ETag ?? null };
    } catch (error) {
      if (hasAwsErrorCode(error, ...MISSING_KEY_CODES)) return null;
      throw historyError(error, bucket, uriOf(key), action);
    }
  };

  const listFolder = async (folder: string): Promise<FolderListing> => {
    const folderPrefix = `${prefix}${folder}/`;
    const folders: string[] = [];
    const files: string[] = [];
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: folderPrefix,
            Delimiter: '/',
            ContinuationToken: token,
          }),
        );
      } catch (error) {
        throw historyError(error, bucket, uriOf(folderPrefix), 'list the reports');
      }
      for (const common of page.CommonPrefixes ?? [])
        if (common.Prefix !== undefined) folders.push(common.Prefix.slice(folderPrefix.length, -1));
      for (const object of page.Contents ?? [])
        if (object.Key !== undefined) files.push(object.Key.slice(folderPrefix.length));
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return { folders, files };
  };

  /** The key of a report location in this bucket; a HistoryError for any other location. */
  const keyOfLocation = (reportLocation: string): string => {
    const bucketUri = `s3://${bucket}/`;
    if (!reportLocation.startsWith(`${bucketUri}${prefix}`))
      throw new HistoryError(`${reportLocation}: not a report of the history ${name}`);
    return reportLocation.slice(bucketUri.length);
  };

  return {
    location: name,

    async load() {
      const stored = await read(stateKey, 'load the memory');
      if (stored === null) return { memory: EMPTY_MEMORY, revision: null };
      if (stored.etag === null)
        throw new HistoryError(`${uriOf(stateKey)}: S3 returned no ETag: cannot save safely`);
      return { memory: decodeMemory(stored.text, uriOf(stateKey)), revision: stored.etag };
    },

    async save(memory, revision) {
      const condition = revision === null ? { IfNoneMatch: '*' } : { IfMatch: revision };
      try {
        const output = await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: stateKey,
            Body: encodeMemory(memory),
            ContentType: 'application/json',
            ...condition,
          }),
        );
        if (output.ETag === undefined)
          throw new HistoryError(`${uriOf(stateKey)}: S3 returned no ETag for the saved memory`);
        return output.ETag;
      } catch (error) {
        if (error instanceof HistoryError) throw error;
        // With If-Match, a missing object (deleted since the load) is a conflict as well.
        const missing = revision !== null && hasAwsErrorCode(error, ...MISSING_KEY_CODES);
        if (hasAwsErrorCode(error, ...CONFLICT_CODES) || missing)
          throw new HistoryConflictError(
            `${uriOf(stateKey)}: another run saved the memory since this one loaded it ` +
              `(${awsErrorCode(error)}); this run's deliveries are not recorded`,
            { cause: error },
          );
        throw historyError(error, bucket, uriOf(stateKey), 'save the memory');
      }
    },

    async putReport(job, asOf, json) {
      const key = `${prefix}${reportKey(job, asOf)}`;
      try {
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: json, ContentType: 'application/json' }),
        );
      } catch (error) {
        throw historyError(error, bucket, uriOf(key), 'store the report');
      }
      return uriOf(key);
    },

    async getReport(reportLocation) {
      const stored = await read(keyOfLocation(reportLocation), 'read the report');
      if (stored === null) throw new HistoryError(`${reportLocation}: no such report`);
      return stored.text;
    },

    async previousReport(job, before) {
      const found = await lastReportKeyBefore(listFolder, job, before);
      if (found === null) return null;
      const stored = await read(`${prefix}${found}`, 'read the report');
      // Listed a moment ago and gone now: a lifecycle rule expired it; no previous report to compare.
      if (stored === null) return null;
      return { location: uriOf(`${prefix}${found}`), json: stored.text };
    },
  };
};
