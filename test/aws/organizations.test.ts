import {
  AccessDeniedException,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  ParentNotFoundException,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  isActiveAccount,
  listOrganisationAccounts,
  OrganizationsError,
  readOrganisationScope,
} from '../../lambda/aws/organizations.ts';
import { InputError } from '../../lambda/domain/errors.ts';

const account = (id: string, extra: Record<string, string> = { Status: 'ACTIVE' }) => ({
  Id: id,
  Name: `acct-${id.slice(-2)}`,
  ...extra,
});

describe('isActiveAccount', () => {
  it.each([
    [{ Status: 'ACTIVE' }, true],
    [{ Status: 'SUSPENDED' }, false],
    [{ Status: 'PENDING_CLOSURE' }, false],
    [{ State: 'ACTIVE', Status: 'ACTIVE' }, true],
    [{ State: 'CLOSED', Status: 'SUSPENDED' }, false],
    [{ State: 'PENDING_ACTIVATION' }, false],
    // State is newer than Status and wins when they disagree.
    [{ State: 'SUSPENDED', Status: 'ACTIVE' }, false],
  ] as const)('reads %j as active: %s', (fields, active) => {
    expect(isActiveAccount(fields)).toBe(active);
  });
});

describe('listOrganisationAccounts', () => {
  it('follows NextToken past an empty page and keeps ACTIVE accounts sorted by id', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1' });
    const mock = mockClient(org);
    mock
      .on(ListAccountsCommand)
      .resolvesOnce({
        Accounts: [account('333333333333'), account('444444444444', { Status: 'SUSPENDED' })],
        NextToken: 't1',
      })
      .resolvesOnce({ Accounts: [], NextToken: 't2' })
      .resolvesOnce({
        Accounts: [
          account('111111111111', { State: 'ACTIVE' }),
          account('555555555555', { State: 'CLOSED' }),
        ],
      });
    await expect(listOrganisationAccounts(org)).resolves.toEqual([
      { accountId: '111111111111', name: 'acct-11' },
      { accountId: '333333333333', name: 'acct-33' },
    ]);
    const tokens = mock.commandCalls(ListAccountsCommand).map((c) => c.args[0].input.NextToken);
    expect(tokens).toHaveLength(3);
  });

  it('leaves out excluded accounts', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1' });
    mockClient(org)
      .on(ListAccountsCommand)
      .resolves({ Accounts: [account('111111111111'), account('222222222222')] });
    const accounts = await listOrganisationAccounts(org, { exclude: ['222222222222'] });
    expect(accounts.map((a) => a.accountId)).toEqual(['111111111111']);
  });

  it('walks the given OUs and their child OUs, page by page', async () => {
    // ou-a holds 1 and child ou-b; ou-b holds 2 (second page) and child ou-c; ou-c holds 3.
    const org = new OrganizationsClient({ region: 'us-east-1' });
    const mock = mockClient(org);
    mock
      .on(ListAccountsForParentCommand, { ParentId: 'ou-root-aaaaaaaa' })
      .resolves({ Accounts: [account('111111111111')] });
    mock
      .on(ListAccountsForParentCommand, { ParentId: 'ou-root-bbbbbbbb' })
      .resolvesOnce({ Accounts: [], NextToken: 'p2' })
      .resolvesOnce({ Accounts: [account('222222222222')] });
    mock
      .on(ListAccountsForParentCommand, { ParentId: 'ou-root-cccccccc' })
      .resolves({ Accounts: [account('333333333333')] });
    mock
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-root-aaaaaaaa' })
      .resolvesOnce({ OrganizationalUnits: [], NextToken: 'o2' })
      .resolvesOnce({ OrganizationalUnits: [{ Id: 'ou-root-bbbbbbbb' }] });
    mock
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-root-bbbbbbbb' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-root-cccccccc' }] });
    mock
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-root-cccccccc' })
      .resolves({ OrganizationalUnits: [] });
    const accounts = await listOrganisationAccounts(org, {
      ous: ['ou-root-aaaaaaaa'],
      exclude: ['333333333333'],
    });
    expect(accounts.map((a) => a.accountId)).toEqual(['111111111111', '222222222222']);
    expect(mock.commandCalls(ListAccountsCommand)).toHaveLength(0);
  });

  it('reads an OU named twice (or nested in another named OU) once', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1' });
    const mock = mockClient(org);
    mock.on(ListAccountsForParentCommand).resolves({ Accounts: [] });
    mock
      .on(ListAccountsForParentCommand, { ParentId: 'ou-root-bbbbbbbb' })
      .resolves({ Accounts: [account('222222222222')] });
    mock.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
    mock
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-root-aaaaaaaa' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-root-bbbbbbbb' }] });
    const accounts = await listOrganisationAccounts(org, { ous: ['ou-root-aaaaaaaa', 'ou-root-bbbbbbbb'] });
    expect(accounts.map((a) => a.accountId)).toEqual(['222222222222']);
    const parents = mock.commandCalls(ListAccountsForParentCommand).map((c) => c.args[0].input.ParentId);
    expect(parents.filter((p) => p === 'ou-root-bbbbbbbb')).toHaveLength(1);
  });

  it('fails with an InputError naming an OU that does not exist', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1' });
    mockClient(org)
      .on(ListAccountsForParentCommand)
      .rejects(new ParentNotFoundException({ message: 'parent not found', $metadata: {} }));
    const error = await listOrganisationAccounts(org, { ous: ['ou-root-zzzzzzzz'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'organisational unit "ou-root-zzzzzzzz" not found in the organisation',
    );
  });

  it('fails with OrganizationsError outside the management account', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1' });
    const denied = new AccessDeniedException({ message: 'You don’t have permissions', $metadata: {} });
    mockClient(org).on(ListAccountsCommand).rejects(denied);
    const error = await listOrganisationAccounts(org).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrganizationsError);
    expect(error).toMatchObject({ code: 'AccessDeniedException', cause: denied });
  });
});

describe('readOrganisationScope', () => {
  it('names the excluded ids the organisation does not hold, counting an account in any state as held', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1' });
    mockClient(org)
      .on(ListAccountsCommand)
      .resolves({
        Accounts: [account('111111111111'), account('222222222222', { Status: 'SUSPENDED' })],
      });
    const listing = await readOrganisationScope(org, {
      exclude: ['999999999999', '222222222222', '888888888888', '111111111111'],
    });
    expect(listing).toEqual({ accounts: [], unknownExclusions: ['999999999999', '888888888888'] });
  });

  it('judges exclusions against the accounts under the OUs when OUs are given', async () => {
    const org = new OrganizationsClient({ region: 'us-east-1' });
    const mock = mockClient(org);
    mock.on(ListAccountsForParentCommand).resolves({ Accounts: [account('111111111111')] });
    mock.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
    const listing = await readOrganisationScope(org, {
      ous: ['ou-root-aaaaaaaa'],
      exclude: ['222222222222'],
    });
    expect(listing).toEqual({
      accounts: [{ accountId: '111111111111', name: 'acct-11' }],
      unknownExclusions: ['222222222222'],
    });
  });
});
