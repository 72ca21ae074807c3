import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it, vi } from 'vitest';
import { InputError } from '../../lambda/domain/errors.ts';
import { openHistory } from '../../lambda/history/open-history.ts';

describe('openHistory', () => {
  it('does open an S3 history with the client the factory gives', () => {
    const factory = vi.fn(() => new S3Client({ region: 'eu-west-2' }));
    expect(openHistory('s3://audit-history/key-audit/', factory).location).toBe(
      's3://audit-history/key-audit',
    );
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('does open a directory history without asking for an S3 client', () => {
    const factory = vi.fn(() => new S3Client({ region: 'eu-west-2' }));
    expect(openHistory('./audit-history', factory).location).toBe('./audit-history');
    expect(factory).not.toHaveBeenCalled();
  });

  it('does refuse a location that is not one', () => {
    expect(() => openHistory('s3://', () => new S3Client({}))).toThrow(InputError);
  });
});
