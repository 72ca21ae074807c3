/**
 * Where a history lives, as people write it (`--history`, the stack's settings): `s3://bucket/prefix` or a
 * directory path.
 */
import { InputError } from './errors.ts';

/** A parsed history location. */
export type HistoryLocation =
  | {
      readonly kind: 's3';
      readonly bucket: string;
      /** Empty, or ends with `/` (`audit/history/`), so that keys are `prefix + relative key`. */
      readonly prefix: string;
    }
  | { readonly kind: 'directory'; readonly path: string };

/** S3 bucket names (general purpose): 3-63 of lowercase letters, digits, `.` and `-`, alphanumeric ends. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const URI_SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/**
 * The location `text` names: `s3://bucket`, `s3://bucket/prefix` (a trailing `/` is optional) or a
 * directory. Throws an InputError naming the problem for an `s3://` location without a valid bucket, with
 * an empty prefix segment (`a//b`), or for another URI scheme.
 */
export const parseHistoryLocation = (text: string): HistoryLocation => {
  const value = text.trim();
  if (value === '') throw new InputError('history location is empty');
  const scheme = URI_SCHEME.exec(value)?.[1];
  if (scheme === undefined) return { kind: 'directory', path: value };
  if (scheme !== 's3')
    throw new InputError(
      `history location ${JSON.stringify(text)}: expected s3://bucket/prefix or a directory`,
    );
  const rest = value.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  if (bucket === '') throw new InputError(`history location ${JSON.stringify(text)}: no bucket after s3://`);
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..'))
    throw new InputError(
      `history location ${JSON.stringify(text)}: ${JSON.stringify(bucket)} is not an S3 bucket name`,
    );
  if (prefix.split('/').includes('') && prefix !== '')
    throw new InputError(`history location ${JSON.stringify(text)}: the prefix has an empty segment (//)`);
  return { kind: 's3', bucket, prefix: prefix === '' ? '' : `${prefix}/` };
};

/** The location as people write it: `s3://bucket/prefix` (no trailing `/`) or the directory path. */
export const formatHistoryLocation = (location: HistoryLocation): string =>
  location.kind === 'directory'
    ? location.path
    : `s3://${location.bucket}${location.prefix === '' ? '' : `/${location.prefix.slice(0, -1)}`}`;
