import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { scanSessions } from '../../lambda/app/import-sessions.ts';
import { AssumeRoleError } from '../../lambda/aws/sts-sessions.ts';

const OWN = '999999999999';
const MEMBER = '111111111111';

const setup = () => {
  const client = new STSClient({ region: 'eu-west-2' });
  const sts = mockClient(client);
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn?: string }) => ({
    Credentials: {
      AccessKeyId: `ASIA${input.RoleArn?.split(':')[4] ?? ''}`,
      SecretAccessKey: 's',
      SessionToken: 't',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  }));
  return { client, sts };
};

const options = { partition: 'aws', roleName: 'audit/KeyAuditReadOnly', ownCredentialAccounts: [OWN] };

describe('scanSessions', () => {
  it('does use the caller’s own credentials everywhere for an own-account scan, assuming nothing', async () => {
    const { client, sts } = setup();
    const credentials = scanSessions({ ...options, sts: () => client, ownAccountOnly: true });
    await expect(credentials(MEMBER)).resolves.toBeUndefined();
    expect(sts.calls()).toHaveLength(0);
  });

  it('does use the caller’s own credentials where the scan did, and the member role elsewhere', async () => {
    const { client, sts } = setup();
    const credentials = scanSessions({ ...options, sts: () => client, ownAccountOnly: false });
    await expect(credentials(OWN)).resolves.toBeUndefined();
    const provider = await credentials(MEMBER);
    await expect(provider?.()).resolves.toMatchObject({ accessKeyId: `ASIA${MEMBER}` });
    await credentials(MEMBER);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${MEMBER}:role/audit/KeyAuditReadOnly`,
    ]);
  });

  it('does reject with the AssumeRoleError of an account whose role cannot be assumed', async () => {
    const { client, sts } = setup();
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const credentials = scanSessions({ ...options, sts: () => client, ownAccountOnly: false });
    await expect(credentials(MEMBER)).rejects.toBeInstanceOf(AssumeRoleError);
  });
});
