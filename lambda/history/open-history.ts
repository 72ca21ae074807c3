/**
 * The history store for a location people wrote (`--history`, the stack's settings): S3 or a directory.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3HistoryStore } from '../aws/history-s3.ts';
import { parseHistoryLocation } from '../domain/history-location.ts';
import type { HistoryStore } from '../domain/history-store.ts';
import { createDirectoryHistoryStore } from './history-dir.ts';

/**
 * The store of `text` (`s3://bucket/prefix` or a directory). `s3Client` is called only for an S3
 * location, so that a directory history needs no AWS configuration. Throws an InputError for a location
 * that is not one.
 */
export const openHistory = (text: string, s3Client: () => S3Client): HistoryStore => {
  const location = parseHistoryLocation(text);
  return location.kind === 's3'
    ? createS3HistoryStore(s3Client(), location)
    : createDirectoryHistoryStore(location.path);
};
