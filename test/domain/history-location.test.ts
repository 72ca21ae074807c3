import { describe, expect, it } from 'vitest';
import { InputError } from '../../lambda/domain/errors.ts';
import { formatHistoryLocation, parseHistoryLocation } from '../../lambda/domain/history-location.ts';

describe('parseHistoryLocation', () => {
  it.each([
    ['s3://audit-history', { kind: 's3', bucket: 'audit-history', prefix: '' }],
    ['s3://audit-history/', { kind: 's3', bucket: 'audit-history', prefix: '' }],
    ['s3://audit-history/key-audit', { kind: 's3', bucket: 'audit-history', prefix: 'key-audit/' }],
    ['s3://audit.history/a/b/', { kind: 's3', bucket: 'audit.history', prefix: 'a/b/' }],
    [' s3://abc/x ', { kind: 's3', bucket: 'abc', prefix: 'x/' }],
    ['./audit-history', { kind: 'directory', path: './audit-history' }],
    ['/var/lib/key-audit', { kind: 'directory', path: '/var/lib/key-audit' }],
    ['C:\\audit', { kind: 'directory', path: 'C:\\audit' }],
  ])('does read %j', (text, expected) => {
    expect(parseHistoryLocation(text)).toEqual(expected);
  });

  it.each([
    ['', 'history location is empty'],
    ['s3://', 'history location "s3://": no bucket after s3://'],
    ['s3:///prefix', 'history location "s3:///prefix": no bucket after s3://'],
    ['s3://ab/x', 'history location "s3://ab/x": "ab" is not an S3 bucket name'],
    ['s3://Audit/x', 'history location "s3://Audit/x": "Audit" is not an S3 bucket name'],
    ['s3://a..b/x', 'history location "s3://a..b/x": "a..b" is not an S3 bucket name'],
    ['s3://audit/a//b', 'history location "s3://audit/a//b": the prefix has an empty segment (//)'],
    ['https://audit/x', 'history location "https://audit/x": expected s3://bucket/prefix or a directory'],
    ['S3://audit/x', 'history location "S3://audit/x": expected s3://bucket/prefix or a directory'],
  ])('does refuse %j in one line', (text, message) => {
    expect(() => parseHistoryLocation(text)).toThrow(new InputError(message));
  });
});

describe('formatHistoryLocation', () => {
  it.each(['s3://audit-history', 's3://audit-history/a/b', './audit-history'])(
    'does write %s back as it was written',
    (text) => {
      expect(formatHistoryLocation(parseHistoryLocation(text))).toBe(text);
    },
  );
});
