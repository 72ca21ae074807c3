import { describe, expect, it } from 'vitest';
import type { AccountImport } from '../../lambda/app/import-findings.ts';
import { importError, MAX_ACCOUNTS_NAMED } from '../../lambda/app/job-security-hub.ts';

const account = (accountId: string, overrides: Partial<AccountImport> = {}): AccountImport => ({
  accountId,
  imported: 3,
  archived: 0,
  resolved: true,
  failures: [],
  error: null,
  ...overrides,
});
const id = (n: number): string => String(n).padStart(12, '1');

describe('importError', () => {
  it('does give null for an import Security Hub took in full', () => {
    expect(importError({ region: 'eu-west-2', accounts: [account(id(1))], complete: true })).toBeNull();
  });

  it('does name each account that failed, and why', () => {
    const error = importError({
      region: 'eu-west-2',
      accounts: [
        account(id(1)),
        account(id(2), { error: 'AccessDeniedException: not authorized', imported: 0 }),
        account(id(3), { failures: [{ id: 'f1', code: 'InvalidInput', message: 'bad' }] }),
      ],
      complete: false,
    });
    expect(error?.message).toBe(
      `Security Hub import (eu-west-2) incomplete in 2 accounts: ${id(2)} (AccessDeniedException: not authorized), ${id(3)} (1 finding not imported)`,
    );
  });

  it('does count the accounts beyond the ones it names', () => {
    const accounts = Array.from({ length: MAX_ACCOUNTS_NAMED + 2 }, (_, i) =>
      account(id(i), { error: 'InvalidAccessException: not subscribed' }),
    );
    expect(importError({ region: 'eu-west-2', accounts, complete: false })?.message).toMatch(
      /incomplete in 12 accounts: .* and 2 more$/,
    );
  });
});
