import { describe, expect, it } from 'vitest';
import { s3ConsoleUrl, storedReportLink } from '../../lambda/history/stored-report-link.ts';

const KEY = 'audit/reports/report/2026/06/15/2026-06-15T12-00-00.000Z.json';

describe('s3ConsoleUrl', () => {
  it.each([
    ['eu-west-2', 'https://eu-west-2.console.aws.amazon.com'],
    ['cn-north-1', 'https://cn-north-1.console.amazonaws.cn'],
    ['us-gov-west-1', 'https://us-gov-west-1.console.amazonaws-us-gov.com'],
  ])('does link the object page of the console of %s', (region, host) => {
    expect(s3ConsoleUrl(`s3://key-audit-history/${KEY}`, region)).toBe(
      `${host}/s3/object/key-audit-history?region=${region}&prefix=${encodeURIComponent(KEY)}`,
    );
  });

  it.each([['/var/key-audit/reports/x.json'], ['s3://bucket-only'], ['s3://bucket/']])(
    'does give null for %s, which names no object',
    (location) => {
      expect(s3ConsoleUrl(location, 'eu-west-2')).toBeNull();
    },
  );
});

describe('storedReportLink', () => {
  it('does give the URI and the console page of an object in S3', () => {
    expect(storedReportLink(`s3://key-audit-history/${KEY}`, 'eu-west-2')).toEqual({
      uri: `s3://key-audit-history/${KEY}`,
      consoleUrl: `https://eu-west-2.console.aws.amazon.com/s3/object/key-audit-history?region=eu-west-2&prefix=${encodeURIComponent(KEY)}`,
    });
  });

  it.each([
    ['a file path', '/var/key-audit/reports/x.json', 'eu-west-2'],
    ['an unknown region', `s3://key-audit-history/${KEY}`, undefined],
  ])('does give the location alone for %s', (_, location, region) => {
    expect(storedReportLink(location, region)).toEqual({ uri: location });
  });
});
