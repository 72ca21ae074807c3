import { describe, expect, it } from 'vitest';
import { groupByOwnerOrAccount } from '../../../lambda/present/render/group.ts';
import { BROKEN, DEV, keyTooOld, keyUnused, makeReport, PROD, scanned } from './report-factory.ts';

describe('groupByOwnerOrAccount', () => {
  const alice = keyTooOld({ owner: 'team-b' });
  const bob = keyTooOld({
    userName: 'bob',
    accessKeyId: 'AKIABOB0000000000001',
    owner: 'team-a',
    accountId: DEV,
  });
  const carol = keyUnused({ userName: 'carol', owner: 'team-b', accountId: DEV });
  const dave = keyUnused({ userName: 'dave', owner: null, accountId: DEV });
  const erin = keyTooOld({ userName: 'erin', accessKeyId: 'AKIAERIN000000000001', owner: '  ' });
  const report = makeReport([alice, bob, carol, dave, erin], { accounts: [scanned(DEV), scanned(PROD)] });

  it('does group owners alphabetically across accounts, then accounts in the report order, keeping order within', () => {
    const groups = groupByOwnerOrAccount(report, [alice, bob, carol, dave, erin]);
    expect(
      groups.map((g) => [g.by === 'owner' ? g.owner : g.accountId, g.findings.map((f) => f.userName)]),
    ).toEqual([
      ['team-a', ['bob']],
      ['team-b', ['alice', 'carol']],
      [DEV, ['dave']],
      [PROD, ['erin']],
    ]);
  });

  it('does group by account alone when no user has an owner, naming accounts the list lacks last', () => {
    const lone = keyUnused({ owner: null, accountId: BROKEN });
    const groups = groupByOwnerOrAccount(report, [dave, lone]);
    expect(groups.map((g) => (g.by === 'account' ? g.accountId : g.owner))).toEqual([DEV, BROKEN]);
  });

  it('does return nothing for no findings', () => {
    expect(groupByOwnerOrAccount(report, [])).toEqual([]);
  });
});
