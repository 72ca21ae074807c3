/**
 * Where a stored report can be opened: its location as the history store returned it, and, in S3, the
 * console page of the object, so that a summarised message can point people to the complete report.
 */
import type { StoredReportLink } from '../domain/report.ts';

/** The console host of a region's partition: China and GovCloud have consoles of their own. */
const consoleHost = (region: string): string => {
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `${region}.console.amazonaws-us-gov.com`;
  return `${region}.console.aws.amazon.com`;
};

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;

/**
 * The S3 console page of the object `s3://bucket/key` in `region` (the bucket's), e.g.
 * `https://eu-west-2.console.aws.amazon.com/s3/object/bucket?region=eu-west-2&prefix=reports%2F...`;
 * null for a location that is not an object URI (a file path).
 */
export const s3ConsoleUrl = (uri: string, region: string): string | null => {
  const match = S3_URI.exec(uri);
  if (match === null) return null;
  const [, bucket = '', key = ''] = match;
  const query = new URLSearchParams({ region, prefix: key });
  return `https://${consoleHost(region)}/s3/object/${encodeURIComponent(bucket)}?${query.toString()}`;
};

/** The link to a report stored at `location` (an `s3://` URI or a path); `region` is the bucket's. */
export const storedReportLink = (location: string, region: string | undefined): StoredReportLink => {
  const consoleUrl = region === undefined ? null : s3ConsoleUrl(location, region);
  return consoleUrl === null ? { uri: location } : { uri: location, consoleUrl };
};
