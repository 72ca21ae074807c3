import { GenerateCredentialReportCommand, IAMServiceException } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { CredentialsProvider } from '../../lambda/aws/client-factory.ts';
import { CredentialReportError } from '../../lambda/aws/credential-report-source.ts';
import type { InventorySource } from '../../lambda/domain/inventory.ts';
import { DAY_MS, DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import { accountReader } from '../../lambda/scan/account-reader.ts';
import { fakeIamAccount } from '../aws/fake-iam.ts';

const A = '111111111111';
const AS_OF = new Date('2025-06-01T12:00:00Z');
const provider: CredentialsProvider = async () => ({ accessKeyId: `ASIA${A}`, secretAccessKey: 's' });

/** Account A with one user holding an old key, and a reader of `source` over it (polling `maxWaitMs`). */
const setup = (source: InventorySource, maxWaitMs?: number) => {
  const fake = fakeIamAccount({
    accountId: A,
    users: [
      {
        name: 'old',
        keys: [
          {
            id: 'AKIAOLD0000000000001',
            status: 'Active',
            createdAt: new Date(AS_OF.getTime() - 200 * DAY_MS),
            lastUsedAt: new Date(AS_OF.getTime() - DAY_MS),
          },
        ],
      },
    ],
  });
  const built: [string, CredentialsProvider | undefined][] = [];
  const usersRead: [string, number][] = [];
  const reader = accountReader({
    source,
    clients: {
      iam: (accountId, credentials) => {
        built.push([accountId, credentials]);
        return fake.client;
      },
    },
    credentials: async () => provider,
    userConcurrency: 2,
    asOf: AS_OF,
    policy: DEFAULT_POLICY,
    now: () => AS_OF.getTime(),
    reportPolling: {
      sleep: async () => {},
      pollDelayMs: 1,
      ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
    },
    onUsersRead: (accountId, count) => usersRead.push([accountId, count]),
  });
  const generated = () => fake.mock.commandCalls(GenerateCredentialReportCommand).length;
  return { fake, reader, built, generated, usersRead };
};

describe('accountReader', () => {
  it.each<[InventorySource, string[]]>([
    ['api', ['old']],
    ['credential-report', ['old']],
  ])('does read the users of an account from the %s source with its credentials', async (source, users) => {
    const { reader, built } = setup(source);
    const account = await reader.read(A);
    expect(account).toMatchObject({ accountId: A, status: 'scanned', source });
    expect(account.status === 'scanned' ? account.users.map((u) => u.userName) : []).toEqual(users);
    expect(built.every(([accountId, credentials]) => accountId === A && credentials === provider)).toBe(true);
  });

  it('does offer no head start for the API source', () => {
    expect(setup('api').reader.headStart).toBeUndefined();
  });

  it("does start an account's credential report once, however often the head start is asked", async () => {
    const { reader, generated } = setup('credential-report');
    await Promise.all([reader.headStart?.(A), reader.headStart?.(A)]);
    await reader.headStart?.(A);
    expect(generated()).toBe(1);
    await reader.read(A);
    // The read itself asks once more, to find the started report complete; it never starts it again.
    expect(generated()).toBe(2);
  });

  it('does let the head start swallow an AWS failure and the read report it', async () => {
    const { fake, reader, generated } = setup('credential-report');
    fake.mock.on(GenerateCredentialReportCommand).rejects(
      new IAMServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'not authorized to perform: iam:GenerateCredentialReport',
      }),
    );
    await expect(reader.headStart?.(A)).resolves.toBeUndefined();
    await expect(reader.read(A)).rejects.toThrow(CredentialReportError);
    expect(generated()).toBe(2);
  });

  it.each<[InventorySource]>([['api'], ['credential-report']])(
    'does tell as users of the account are read from the %s source',
    async (source) => {
      const { reader, usersRead } = setup(source);
      await reader.read(A);
      expect(usersRead).toEqual([[A, 1]]);
    },
  );

  it('does read the IAM API instead when the credential report does not complete in time, and says so', async () => {
    const { fake, reader, usersRead } = setup('credential-report', 0);
    fake.mock.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
    const account = await reader.read(A);
    expect(account).toMatchObject({
      accountId: A,
      status: 'scanned',
      source: 'api',
      fallback: {
        from: 'credential-report',
        reason: expect.stringMatching(/^ReportTimeout: credential report/),
      },
    });
    expect(account.status === 'scanned' ? account.users.map((u) => u.userName) : []).toEqual(['old']);
    expect(usersRead).toEqual([[A, 1]]);
  });

  it('does not stand in for a credential report that failed otherwise', async () => {
    const { fake, reader } = setup('credential-report');
    fake.mock.on(GenerateCredentialReportCommand).rejects(
      new IAMServiceException({
        name: 'ServiceFailure',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
        message: 'internal error',
      }),
    );
    await expect(reader.read(A)).rejects.toMatchObject({ code: 'ServiceFailure' });
  });
});
