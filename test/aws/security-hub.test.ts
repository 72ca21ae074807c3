import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  InvalidAccessException,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  archivedCopy,
  importFindings,
  listOwnFindings,
  MAX_IMPORT_BATCH,
  ownFindingsFilter,
  SecurityHubError,
} from '../../lambda/aws/security-hub.ts';
import { productArn, toAsffFinding } from '../../lambda/present/asff.ts';
import { AS_OF, keyTooOld, PROD } from '../present/render/report-factory.ts';

const REGION = 'eu-west-2';
const PRODUCT = productArn('aws', REGION, PROD);

/** `count` distinct findings of PROD, as key-audit imports them. */
const findings = (count: number): AwsSecurityFinding[] =>
  Array.from({ length: count }, (_, i) =>
    toAsffFinding(
      keyTooOld({ userName: `user-${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}` }),
      AS_OF,
      { region: REGION },
    ),
  );

const setup = () => {
  const client = new SecurityHubClient({ region: REGION });
  const sleeps: number[] = [];
  return {
    client,
    hub: mockClient(client),
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };
};

const denied = () =>
  new InvalidAccessException({
    message: 'Account 111111111111 is not subscribed to AWS Security Hub',
    Code: 'InvalidAccessException',
    $metadata: {},
  });

describe('importFindings', () => {
  it('does import in batches of at most 100 findings and return every accepted Id', async () => {
    const { client, hub, sleep } = setup();
    hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 0, FailedFindings: [] });
    const all = findings(250);
    const result = await importFindings(client, all, { sleep });
    const batches = hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings ?? []);
    expect(batches.map((b) => b.length)).toEqual([MAX_IMPORT_BATCH, MAX_IMPORT_BATCH, 50]);
    expect(batches.flat()).toEqual(all);
    expect(result).toEqual({ imported: all.map((f) => f.Id), failures: [] });
  });

  it('does send again only the findings Security Hub failed, after a pause, until they are accepted', async () => {
    const { client, hub, sleep, sleeps } = setup();
    const all = findings(3);
    const flaky = all[1]?.Id ?? '';
    hub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({
        FailedCount: 1,
        SuccessCount: 2,
        FailedFindings: [{ Id: flaky, ErrorCode: 'Throttled', ErrorMessage: 'slow down' }],
      })
      .resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    const result = await importFindings(client, all, { sleep });
    const calls = hub.commandCalls(BatchImportFindingsCommand);
    expect(calls.map((c) => (c.args[0].input.Findings ?? []).map((f) => f.Id))).toEqual([
      all.map((f) => f.Id),
      [flaky],
    ]);
    expect(sleeps).toEqual([1000]);
    expect(new Set(result.imported)).toEqual(new Set(all.map((f) => f.Id)));
    expect(result.failures).toEqual([]);
  });

  it('does report a finding that still fails after every try, with Security Hub’s reason', async () => {
    const { client, hub, sleep, sleeps } = setup();
    const [bad, good] = findings(2);
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings?: AwsSecurityFinding[] }) => ({
      FailedCount: 1,
      SuccessCount: (input.Findings?.length ?? 1) - 1,
      FailedFindings: [{ Id: bad?.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding too large' }],
    }));
    const result = await importFindings(client, [bad, good] as AwsSecurityFinding[], { sleep, attempts: 3 });
    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
    expect(result).toEqual({
      imported: [good?.Id],
      failures: [{ id: bad?.Id, code: 'InvalidInput', message: 'Finding too large' }],
    });
  });

  it('does throw a SecurityHubError with the AWS code when a call fails as a whole', async () => {
    const { client, hub, sleep } = setup();
    hub.on(BatchImportFindingsCommand).rejects(denied());
    const failure = importFindings(client, findings(1), { sleep });
    await expect(failure).rejects.toBeInstanceOf(SecurityHubError);
    await expect(failure).rejects.toMatchObject({
      code: 'InvalidAccessException',
      message:
        'Security Hub BatchImportFindings failed: Account 111111111111 is not subscribed to AWS Security Hub',
    });
  });

  it('does make no call when there is nothing to import', async () => {
    const { client, hub } = setup();
    await expect(importFindings(client, [])).resolves.toEqual({ imported: [], failures: [] });
    expect(hub.calls()).toHaveLength(0);
  });
});

describe('listOwnFindings', () => {
  const query = { productArn: PRODUCT, accountId: PROD };
  const own = findings(3);

  it('does ask for the ACTIVE key-audit findings of the account, page after page', async () => {
    const { client, hub } = setup();
    hub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: own.slice(0, 2), NextToken: 'page-2' })
      .resolves({ Findings: own.slice(2) });
    await expect(listOwnFindings(client, query)).resolves.toEqual(own);
    const inputs = hub.commandCalls(GetFindingsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { Filters: ownFindingsFilter(query), MaxResults: 100 },
      { Filters: ownFindingsFilter(query), MaxResults: 100, NextToken: 'page-2' },
    ]);
    expect(ownFindingsFilter(query)).toEqual({
      ProductArn: [{ Value: PRODUCT, Comparison: 'EQUALS' }],
      AwsAccountId: [{ Value: PROD, Comparison: 'EQUALS' }],
      GeneratorId: [{ Value: 'key-audit/', Comparison: 'PREFIX' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
    });
  });

  it('does drop what the filter should have excluded, so that no other finding is ever archived', async () => {
    const { client, hub } = setup();
    const [mine] = own;
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        mine as AwsSecurityFinding,
        { ...mine, Id: 'other-product', ProductArn: productArn('aws', REGION, '999999999999') },
        { ...mine, Id: 'other-generator', GeneratorId: 'prowler/iam' },
        { ...mine, Id: 'other-account', AwsAccountId: '999999999999' },
        { ...mine, Id: 'archived', RecordState: 'ARCHIVED' },
      ] as AwsSecurityFinding[],
    });
    await expect(listOwnFindings(client, query)).resolves.toEqual([mine]);
  });

  it('does throw a SecurityHubError when GetFindings is refused', async () => {
    const { client, hub } = setup();
    hub.on(GetFindingsCommand).rejects(denied());
    await expect(listOwnFindings(client, query)).rejects.toMatchObject({
      name: 'SecurityHubError',
      code: 'InvalidAccessException',
    });
  });
});

describe('archivedCopy', () => {
  it('does mark a finding ARCHIVED now, without the fields a provider may not send back', () => {
    const [finding] = findings(1);
    const stored: AwsSecurityFinding = {
      ...(finding as AwsSecurityFinding),
      Workflow: { Status: 'SUPPRESSED' },
      WorkflowState: 'NEW',
      Note: { Text: 'looked at it', UpdatedBy: 'analyst', UpdatedAt: AS_OF.toISOString() },
      UserDefinedFields: { ticket: 'SEC-1' },
      VerificationState: 'TRUE_POSITIVE',
      ProcessedAt: AS_OF.toISOString(),
      ProductFields: { ...finding?.ProductFields, 'aws/securityhub/FindingId': 'x' },
    };
    const later = new Date(AS_OF.getTime() + 86_400_000);
    const archived = archivedCopy(stored, later);
    expect(archived).toEqual({
      ...finding,
      RecordState: 'ARCHIVED',
      UpdatedAt: later.toISOString(),
      ProductFields: finding?.ProductFields,
    });
    expect(stored.RecordState).toBe('ACTIVE');
  });
});
