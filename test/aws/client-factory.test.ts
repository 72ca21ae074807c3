import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import {
  CallCounter,
  clientConfig,
  createAwsClients,
  DEFAULT_MAX_ATTEMPTS,
  NO_ACCOUNT,
  resolveRegion,
} from '../../lambda/aws/client-factory.ts';

const THROTTLED = `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
  <RequestId>req-1</RequestId>
</ErrorResponse>`;

const LIST_USERS = `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListUsersResult>
    <Users><member><UserName>alice</UserName><Path>/</Path><UserId>AIDAALICE</UserId>
      <Arn>arn:aws:iam::111122223333:user/alice</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate></member></Users>
    <IsTruncated>false</IsTruncated>
  </ListUsersResult>
  <ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata>
</ListUsersResponse>`;

/** An HTTP handler answering with `responses` in turn (the last one repeats). */
const scriptedHandler = (responses: ReadonlyArray<{ status: number; body: string }>) => {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    handle: async () => {
      const response = responses[Math.min(calls, responses.length - 1)] ?? { status: 500, body: '' };
      calls += 1;
      return {
        response: {
          statusCode: response.status,
          reason: '',
          headers: { 'content-type': 'text/xml' },
          body: new TextEncoder().encode(response.body),
        },
      };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
};

const staticCredentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

describe('resolveRegion', () => {
  it.each([
    ['eu-west-1', { AWS_REGION: 'eu-west-2' }, 'eu-west-1'],
    [undefined, { AWS_REGION: 'eu-west-2' }, 'eu-west-2'],
    [undefined, {}, 'us-east-1'],
    ['', { AWS_REGION: '' }, 'us-east-1'],
  ])('picks %s over AWS_REGION %j', (option, env, expected) => {
    expect(resolveRegion(option, env)).toBe(expected);
  });
});

describe('clientConfig', () => {
  it('raises maxAttempts with the standard retry mode', () => {
    expect(clientConfig({ env: {} })).toEqual({
      region: 'us-east-1',
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      retryMode: 'standard',
    });
    expect(DEFAULT_MAX_ATTEMPTS).toBeGreaterThan(3);
  });

  it('hands a --profile to the SDK, which loads its credentials as the AWS CLI does', () => {
    expect(clientConfig({ env: {}, profile: 'audit', region: 'eu-west-2' })).toMatchObject({
      profile: 'audit',
      region: 'eu-west-2',
    });
    expect(clientConfig({ env: {} })).not.toHaveProperty('profile');
  });
});

describe('createAwsClients', () => {
  it('configures every client with the region and retry settings', async () => {
    const clients = createAwsClients({ region: 'eu-west-2', maxAttempts: 7 });
    for (const client of [clients.iam('111122223333'), clients.sts(), clients.organizations()]) {
      await expect(client.config.region()).resolves.toBe('eu-west-2');
      await expect(client.config.maxAttempts()).resolves.toBe(7);
    }
  });

  it('shares one STS and one Organizations client and hands role credentials to IAM clients', async () => {
    const clients = createAwsClients({ region: 'eu-west-2' });
    expect(clients.sts()).toBe(clients.sts());
    expect(clients.organizations()).toBe(clients.organizations());
    const iam = clients.iam('111122223333', async () => ({ ...staticCredentials, sessionToken: 'role' }));
    await expect(iam.config.credentials()).resolves.toMatchObject({ sessionToken: 'role' });
  });
});

describe('CallCounter', () => {
  it('counts logical calls and attempts, so that SDK retries after throttling show', async () => {
    const handler = scriptedHandler([
      { status: 400, body: THROTTLED },
      { status: 200, body: LIST_USERS },
    ]);
    const client = new IAMClient({
      ...clientConfig({ region: 'us-east-1' }),
      credentials: staticCredentials,
      requestHandler: handler,
    });
    const counter = new CallCounter();
    counter.attach(client, '111122223333');
    const response = await client.send(new ListUsersCommand({}));
    expect(response.Users?.map((u) => u.UserName)).toEqual(['alice']);
    expect(handler.calls).toBe(2);
    expect(counter.stats()).toEqual([
      { accountId: '111122223333', operation: 'ListUsers', calls: 1, attempts: 2 },
    ]);
  });

  it('counts calls that fail once maxAttempts is spent', async () => {
    const handler = scriptedHandler([{ status: 400, body: THROTTLED }]);
    const client = new IAMClient({
      region: 'us-east-1',
      maxAttempts: 2,
      credentials: staticCredentials,
      requestHandler: handler,
    });
    const counter = new CallCounter();
    counter.attach(client, '111122223333');
    await expect(client.send(new ListUsersCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
    expect(counter.totals('111122223333')).toEqual({ calls: 1, attempts: 2 });
  });

  it('totals per account and overall, and sorts stats by account then operation', () => {
    const counter = new CallCounter();
    counter.recordCall('222222222222', 'ListUsers');
    counter.recordCall('111111111111', 'ListUsers');
    counter.recordCall('111111111111', 'GetAccountSummary');
    counter.recordAttempt(NO_ACCOUNT, 'AssumeRole');
    expect(counter.stats().map((s) => `${s.accountId} ${s.operation}`)).toEqual([
      `${NO_ACCOUNT} AssumeRole`,
      '111111111111 GetAccountSummary',
      '111111111111 ListUsers',
      '222222222222 ListUsers',
    ]);
    expect(counter.totals()).toEqual({ calls: 3, attempts: 1 });
    expect(counter.totals('111111111111')).toEqual({ calls: 2, attempts: 0 });
  });
});
