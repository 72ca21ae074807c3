import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  AssumeRoleError,
  CallerIdentityError,
  DEFAULT_ROLE_NAME,
  getCallerIdentity,
  memberRoleArn,
  newSessionName,
  RoleSessions,
  SESSION_DURATION_SECONDS,
} from '../../lambda/aws/sts-sessions.ts';
import { InputError } from '../../lambda/domain/errors.ts';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const credentials = (expiration: Date) => ({
  AccessKeyId: 'ASIAEXAMPLE',
  SecretAccessKey: 'secret',
  SessionToken: 'token',
  Expiration: expiration,
});
const accessDenied = () =>
  new STSServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: 'User: arn:aws:iam::999999999999:user/scanner is not authorized to perform: sts:AssumeRole',
  });

describe('memberRoleArn', () => {
  it.each([
    ['aws', 'arn:aws:iam::111122223333:role/KeyAuditReadOnly'],
    ['aws-cn', 'arn:aws-cn:iam::111122223333:role/KeyAuditReadOnly'],
  ])('builds the role ARN in partition %s', (partition, arn) => {
    expect(memberRoleArn(partition, '111122223333', DEFAULT_ROLE_NAME)).toBe(arn);
  });
});

describe('newSessionName', () => {
  it('names key-audit and the run within the 64 characters STS allows', () => {
    const name = newSessionName(NOW, 'ab12cd34');
    expect(name).toBe('key-audit-20250601T120000Z-ab12cd34');
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
  });

  it('adds a random part by default so that concurrent runs differ', () => {
    expect(newSessionName(NOW)).toMatch(/^key-audit-20250601T120000Z-[0-9a-f]{8}$/);
  });
});

describe('getCallerIdentity', () => {
  it('takes the partition from the caller ARN', async () => {
    const sts = new STSClient({ region: 'cn-north-1' });
    mockClient(sts)
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '111122223333', Arn: 'arn:aws-cn:sts::111122223333:assumed-role/scanner/s' });
    await expect(getCallerIdentity(sts)).resolves.toEqual({
      accountId: '111122223333',
      arn: 'arn:aws-cn:sts::111122223333:assumed-role/scanner/s',
      partition: 'aws-cn',
    });
  });

  it('fails with CallerIdentityError when the caller has no valid credentials', async () => {
    const sts = new STSClient({ region: 'eu-west-2' });
    mockClient(sts)
      .on(GetCallerIdentityCommand)
      .rejects(
        new STSServiceException({
          name: 'InvalidClientTokenId',
          $fault: 'client',
          $metadata: {},
          message: 'bad token',
        }),
      );
    const error = await getCallerIdentity(sts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallerIdentityError);
    expect(error).toMatchObject({ code: 'InvalidClientTokenId' });
  });
});

describe('RoleSessions', () => {
  const sessions = (sts: STSClient, extra: Partial<ConstructorParameters<typeof RoleSessions>[1]> = {}) =>
    new RoleSessions(sts, { now: () => NOW, sessionName: 'key-audit-test', ...extra });

  it('assumes the member role once per account with the session settings and external id', async () => {
    const sts = new STSClient({ region: 'eu-west-2' });
    const mock = mockClient(sts);
    mock.on(AssumeRoleCommand).resolves({ Credentials: credentials(new Date(NOW.getTime() + 3_600_000)) });
    const roles = sessions(sts, { externalId: 'org-secret-1' });
    const first = await roles.credentials('111122223333');
    await roles.credentials('111122223333');
    await roles.provider('111122223333')();
    expect(first).toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date(NOW.getTime() + 3_600_000),
    });
    expect(mock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(mock.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: 'arn:aws:iam::111122223333:role/KeyAuditReadOnly',
      RoleSessionName: 'key-audit-test',
      DurationSeconds: SESSION_DURATION_SECONDS,
      ExternalId: 'org-secret-1',
    });
  });

  it('omits ExternalId when none is configured and uses the given role name', async () => {
    const sts = new STSClient({ region: 'eu-west-2' });
    const mock = mockClient(sts);
    mock.on(AssumeRoleCommand).resolves({ Credentials: credentials(new Date(NOW.getTime() + 3_600_000)) });
    await sessions(sts, { roleName: 'audit/Scanner' }).credentials('111122223333');
    const input = mock.commandCalls(AssumeRoleCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty('ExternalId');
    expect(input?.RoleArn).toBe('arn:aws:iam::111122223333:role/audit/Scanner');
  });

  it('fails with AssumeRoleError carrying the STS code, once per account', async () => {
    const sts = new STSClient({ region: 'eu-west-2' });
    const mock = mockClient(sts);
    const denied = accessDenied();
    mock.on(AssumeRoleCommand).rejects(denied);
    const roles = sessions(sts);
    const error = await roles.credentials('111122223333').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssumeRoleError);
    expect(error).toMatchObject({
      code: 'AccessDenied',
      accountId: '111122223333',
      roleArn: 'arn:aws:iam::111122223333:role/KeyAuditReadOnly',
      cause: denied,
    });
    expect((error as Error).message).toContain('not authorized to perform: sts:AssumeRole');
    await expect(roles.credentials('111122223333')).rejects.toBe(error);
    expect(mock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('renews credentials that are about to expire', async () => {
    const sts = new STSClient({ region: 'eu-west-2' });
    const mock = mockClient(sts);
    mock
      .on(AssumeRoleCommand)
      .resolvesOnce({ Credentials: credentials(new Date(NOW.getTime() + 60_000)) })
      .resolvesOnce({
        Credentials: { ...credentials(new Date(NOW.getTime() + 3_600_000)), AccessKeyId: 'ASIARENEWED' },
      });
    const provider = sessions(sts).provider('111122223333');
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'ASIARENEWED' });
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'ASIARENEWED' });
    expect(mock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it.each([
    [{ roleName: 'bad role' }, 'invalid role name "bad role"'],
    [{ roleName: '' }, 'invalid role name ""'],
    [{ externalId: 'x' }, 'invalid external id'],
  ])('rejects %j with an InputError', (options, message) => {
    const create = () => sessions(new STSClient({ region: 'eu-west-2' }), options);
    expect(create).toThrow(InputError);
    expect(create).toThrow(message);
  });
});
