import {
  AccessDeniedException,
  AccountNotFoundException,
  ListParentsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { readAccountFacts } from '../../lambda/aws/account-facts.ts';
import { OrganizationsError } from '../../lambda/aws/organizations.ts';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const ROOT = 'r-ab12';
const WORKLOADS = 'ou-ab12-work0001';
const PROD = 'ou-ab12-prod0001';

/** A and B in workloads/prod, C in the root; every account tagged by its id. */
const organisation = () => {
  const org = new OrganizationsClient({ region: 'us-east-1' });
  const mock = mockClient(org);
  const parents: Record<string, { Id: string; Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' }> = {
    [A]: { Id: PROD, Type: 'ORGANIZATIONAL_UNIT' },
    [B]: { Id: PROD, Type: 'ORGANIZATIONAL_UNIT' },
    [C]: { Id: ROOT, Type: 'ROOT' },
    [PROD]: { Id: WORKLOADS, Type: 'ORGANIZATIONAL_UNIT' },
    [WORKLOADS]: { Id: ROOT, Type: 'ROOT' },
  };
  for (const [child, parent] of Object.entries(parents)) {
    mock.on(ListParentsCommand, { ChildId: child }).resolves({ Parents: [parent] });
  }
  return { org, mock };
};

describe('readAccountFacts', () => {
  it('makes no call when no fact is needed', async () => {
    const { org, mock } = organisation();
    const facts = await readAccountFacts(org, [A], { ancestors: false, tags: false });
    expect(facts.size).toBe(0);
    expect(mock.calls()).toHaveLength(0);
  });

  it('walks each account up to the root, reading each shared parent once', async () => {
    const { org, mock } = organisation();
    const facts = await readAccountFacts(
      org,
      [A, B, C, A],
      { ancestors: true, tags: false },
      { concurrency: 1 },
    );
    expect(Object.fromEntries(facts)).toEqual({
      [A]: { ancestors: [PROD, WORKLOADS, ROOT] },
      [B]: { ancestors: [PROD, WORKLOADS, ROOT] },
      [C]: { ancestors: [ROOT] },
    });
    const asked = mock.commandCalls(ListParentsCommand).map((c) => c.args[0].input.ChildId);
    expect(asked.sort()).toEqual([A, B, C, PROD, WORKLOADS].sort());
    expect(mock.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
  });

  it('reads the tags of each account by its id, following NextToken', async () => {
    const { org, mock } = organisation();
    mock
      .on(ListTagsForResourceCommand, { ResourceId: A })
      .resolvesOnce({ Tags: [{ Key: 'environment', Value: 'production' }], NextToken: 't1' })
      .resolvesOnce({ Tags: [{ Key: 'team', Value: 'payments' }] });
    mock.on(ListTagsForResourceCommand, { ResourceId: C }).resolves({ Tags: [] });
    const facts = await readAccountFacts(org, [A, C], { ancestors: false, tags: true });
    expect(facts.get(A)).toEqual({ tags: { environment: 'production', team: 'payments' } });
    expect(facts.get(C)).toEqual({ tags: {} });
    expect(mock.commandCalls(ListParentsCommand)).toHaveLength(0);
  });

  it('leaves the facts of an account outside the organisation unknown', async () => {
    const { org, mock } = organisation();
    const outsider = '999999999999';
    mock
      .on(ListParentsCommand, { ChildId: outsider })
      .rejects(new AccountNotFoundException({ message: 'no such account', $metadata: {} }));
    mock.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    const facts = await readAccountFacts(org, [outsider, C], { ancestors: true, tags: true });
    expect(facts.get(outsider)).toEqual({});
    expect(facts.get(C)).toEqual({ ancestors: [ROOT], tags: {} });
  });

  it('throws OrganizationsError with the AWS code when Organizations cannot be read', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1' });
    mockClient(org)
      .on(ListTagsForResourceCommand)
      .rejects(new AccessDeniedException({ message: 'not the management account', $metadata: {} }));
    const failure = readAccountFacts(org, [A], { ancestors: false, tags: true });
    await expect(failure).rejects.toBeInstanceOf(OrganizationsError);
    await expect(failure).rejects.toMatchObject({
      code: 'AccessDeniedException',
      message: expect.stringContaining(
        `ListTagsForResource for account ${A} failed: not the management account`,
      ),
    });
  });

  it('refuses a parent chain that never reaches a root', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1' });
    const mock = mockClient(org);
    mock
      .on(ListParentsCommand, { ChildId: A })
      .resolves({ Parents: [{ Id: PROD, Type: 'ORGANIZATIONAL_UNIT' }] });
    mock
      .on(ListParentsCommand, { ChildId: PROD })
      .resolves({ Parents: [{ Id: PROD, Type: 'ORGANIZATIONAL_UNIT' }] });
    await expect(readAccountFacts(org, [A], { ancestors: true, tags: false })).rejects.toMatchObject({
      name: 'OrganizationsError',
      code: 'UnexpectedResponse',
    });
  });
});
