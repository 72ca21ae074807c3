import { describe, expect, it } from 'vitest';
import type { CredentialsProvider } from '../../lambda/aws/client-factory.ts';
import { AssumeRoleError } from '../../lambda/aws/sts-sessions.ts';
import {
  type AccountCredentialsOptions,
  accountCredentials,
  OWN_ACCOUNT_FALLBACK_CODES,
} from '../../lambda/scan/account-credentials.ts';

const CALLER = '999999999999';
const OTHER = '111111111111';

/** Role sessions that fail AssumeRole with `code` in the accounts of `denied`, and count the attempts. */
const fakeSessions = (denied: Readonly<Record<string, string>> = {}) => {
  const attempts: string[] = [];
  const providers = new Map<string, CredentialsProvider>();
  return {
    attempts,
    providers,
    sessions: {
      credentials: async (accountId: string) => {
        attempts.push(accountId);
        const code = denied[accountId];
        if (code !== undefined)
          throw new AssumeRoleError(accountId, `arn:aws:iam::${accountId}:role/R`, code, `denied: ${code}`);
        return { accessKeyId: `ASIA${accountId}`, secretAccessKey: 's' };
      },
      provider: (accountId: string) => {
        const provider: CredentialsProvider = async () => ({ accessKeyId: accountId, secretAccessKey: 's' });
        providers.set(accountId, provider);
        return provider;
      },
    },
  };
};

const make = (fake: ReturnType<typeof fakeSessions>, extra: Partial<AccountCredentialsOptions> = {}) => {
  const fallbacks: string[] = [];
  const credentials = accountCredentials({
    sessions: fake.sessions,
    callerAccountId: CALLER,
    ownAccountFallback: true,
    onFallback: (accountId) => fallbacks.push(accountId),
    ...extra,
  });
  return { credentials, fallbacks };
};

describe('accountCredentials', () => {
  it("does give the role session's provider of an account", async () => {
    const fake = fakeSessions();
    const { credentials } = make(fake);
    const provider = await credentials(OTHER);
    expect(provider).toBe(fake.providers.get(OTHER));
    await expect(provider?.()).resolves.toMatchObject({ accessKeyId: OTHER });
  });

  it('does give the caller its own credentials (undefined) for every account without role sessions', async () => {
    const { credentials } = make(fakeSessions(), { sessions: null });
    await expect(credentials(OTHER)).resolves.toBeUndefined();
  });

  it('does assume the role once per account, however many callers ask at once', async () => {
    const fake = fakeSessions();
    const { credentials } = make(fake);
    const [first, second] = await Promise.all([credentials(OTHER), credentials(OTHER)]);
    expect(second).toBe(first);
    expect(fake.attempts).toEqual([OTHER]);
  });

  it.each(OWN_ACCOUNT_FALLBACK_CODES)(
    'does fall back to its own credentials in its own account when AssumeRole fails with %s',
    async (code) => {
      const fake = fakeSessions({ [CALLER]: code });
      const { credentials, fallbacks } = make(fake);
      await expect(credentials(CALLER)).resolves.toBeUndefined();
      await expect(credentials(CALLER)).resolves.toBeUndefined();
      expect(fallbacks).toEqual([CALLER]);
      expect(fake.attempts).toEqual([CALLER]);
    },
  );

  it.each([
    ['another account', OTHER, 'AccessDenied', true],
    ['its own account with a code that means broken access', CALLER, 'ExpiredToken', true],
    ['its own account when the fallback is off', CALLER, 'AccessDenied', false],
  ])('does not fall back in %s', async (_, accountId, code, ownAccountFallback) => {
    const fake = fakeSessions({ [accountId]: code });
    const { credentials, fallbacks } = make(fake, { ownAccountFallback });
    const failure = credentials(accountId);
    await expect(failure).rejects.toThrow(AssumeRoleError);
    await expect(failure).rejects.toMatchObject({ code });
    await expect(credentials(accountId)).rejects.toMatchObject({ code });
    expect(fake.attempts).toEqual([accountId]);
    expect(fallbacks).toEqual([]);
  });

  it('does let an error that is not an AssumeRoleError through, even in its own account', async () => {
    const bug = new TypeError('bug');
    const { credentials } = make({
      ...fakeSessions(),
      sessions: {
        credentials: async () => {
          throw bug;
        },
        provider: () => async () => ({ accessKeyId: 'x', secretAccessKey: 's' }),
      },
    });
    await expect(credentials(CALLER)).rejects.toBe(bug);
  });
});
