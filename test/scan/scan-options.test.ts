import { describe, expect, it } from 'vitest';
import { DEFAULT_USER_CONCURRENCY } from '../../lambda/aws/iam-inventory.ts';
import { InputError } from '../../lambda/domain/errors.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  type ScanOptions,
  scanSettings,
} from '../../lambda/scan/scan-options.ts';

const base: ScanOptions = { asOf: new Date('2025-06-01T00:00:00Z'), policy: DEFAULT_POLICY };

describe('scanSettings', () => {
  it('does apply the defaults when nothing is set', () => {
    expect(scanSettings(base)).toEqual({
      source: 'credential-report',
      concurrency: DEFAULT_ACCOUNT_CONCURRENCY,
      userConcurrency: DEFAULT_USER_CONCURRENCY,
      ownAccountFallback: true,
      now: Date.now,
    });
  });

  it('does keep what is set', () => {
    const now = () => 1;
    expect(
      scanSettings({
        ...base,
        source: 'api',
        concurrency: 2,
        userConcurrency: 3,
        ownAccountFallback: false,
        now,
        roleName: 'audit/KeyAudit',
        externalId: 'ext-123',
      }),
    ).toEqual({ source: 'api', concurrency: 2, userConcurrency: 3, ownAccountFallback: false, now });
  });

  it.each([
    [{ concurrency: 0 }, 'concurrency must be a positive integer, got 0'],
    [{ concurrency: 1.5 }, 'concurrency must be a positive integer, got 1.5'],
    [{ concurrency: Number.NaN }, 'concurrency must be a positive integer, got NaN'],
    [{ userConcurrency: -1 }, 'userConcurrency must be a positive integer, got -1'],
    [{ roleName: 'no spaces' }, 'invalid role name "no spaces"'],
    [{ externalId: 'x' }, 'invalid external id'],
  ])('does refuse %j with an InputError naming it', (extra, message) => {
    expect(() => scanSettings({ ...base, ...extra })).toThrow(InputError);
    expect(() => scanSettings({ ...base, ...extra })).toThrow(message);
  });
});
