import { describe, expect, it } from 'vitest';
import {
  isProductionAccount,
  productionClassifier,
  productionFactsNeeded,
  productionReason,
  productionWithoutFacts,
} from '../../lambda/domain/production.ts';

const PROD = '111111111111';
const DEV = '222222222222';
const OU_PROD = 'ou-ab12-prod0001';
const ROOT = 'r-ab12';

describe('productionFactsNeeded', () => {
  it.each([
    [{}, { ancestors: false, tags: false }],
    [{ accounts: [PROD] }, { ancestors: false, tags: false }],
    [{ ous: [OU_PROD] }, { ancestors: true, tags: false }],
    [{ accountTag: { environment: 'production' } }, { ancestors: false, tags: true }],
    [
      { ous: [], accountTag: {} },
      { ancestors: false, tags: false },
    ],
  ])('asks Organizations only for what %j uses', (settings, needed) => {
    expect(productionFactsNeeded(settings)).toEqual(needed);
  });
});

describe('productionReason', () => {
  it('names a listed account without any Organizations facts', () => {
    expect(productionReason({ accounts: [PROD] }, PROD)).toBe('listed in production.accounts');
    expect(productionReason({ accounts: [PROD] }, DEV)).toBeNull();
  });

  it.each([
    [[OU_PROD, ROOT], `under ${OU_PROD}`],
    [['ou-ab12-child001', OU_PROD, ROOT], `under ${OU_PROD}`],
    [['ou-ab12-dev00001', ROOT], null],
  ])('classifies an account below %j by its OUs, children included', (ancestors, reason) => {
    expect(productionReason({ ous: [OU_PROD] }, DEV, { ancestors })).toBe(reason);
  });

  it('treats the root id as covering every account under it', () => {
    expect(isProductionAccount({ ous: [ROOT] }, DEV, { ancestors: ['ou-ab12-dev00001', ROOT] })).toBe(true);
  });

  it.each([
    [{ environment: 'production' }, 'tagged environment=production'],
    [{ environment: 'production', team: 'x' }, 'tagged environment=production'],
    [{ environment: 'Production' }, null],
    [{ env: 'production' }, null],
    [{}, null],
  ])('matches account tags %j exactly', (tags, reason) => {
    expect(productionReason({ accountTag: { environment: 'production' } }, DEV, { tags })).toBe(reason);
  });

  it('requires every configured tag', () => {
    const settings = { accountTag: { environment: 'production', tier: '1' } };
    expect(isProductionAccount(settings, DEV, { tags: { environment: 'production' } })).toBe(false);
    expect(isProductionAccount(settings, DEV, { tags: { environment: 'production', tier: '1' } })).toBe(true);
  });

  it.each([
    [{ ous: [OU_PROD] }, {}, 'OUs unknown (treated as production)'],
    [{ accountTag: { environment: 'production' } }, {}, 'account tags unknown (treated as production)'],
  ])('treats an account whose needed facts are unknown as production: %j', (settings, facts, reason) => {
    expect(productionReason(settings, DEV, facts)).toBe(reason);
  });

  it('is never production without settings', () => {
    expect(isProductionAccount({}, PROD)).toBe(false);
  });
});

describe('productionClassifier', () => {
  it('classifies each account by the facts read for it', () => {
    const isProduction = productionClassifier(
      { ous: [OU_PROD] },
      new Map([
        [PROD, { ancestors: [OU_PROD, ROOT] }],
        [DEV, { ancestors: [ROOT] }],
      ]),
    );
    expect([PROD, DEV].map(isProduction)).toEqual([true, false]);
  });
});

describe('productionWithoutFacts', () => {
  it.each([
    ['nothing', {}, null],
    ['account ids only', { accounts: ['111122223333'] }, null],
    [
      'OUs',
      { accounts: ['111122223333'], ous: ['ou-ab12-prod0001'] },
      'production.ous: read from Organizations in organisation mode only; offline, only production.accounts says which accounts are production',
    ],
    [
      'OUs and account tags',
      { ous: ['r-ab12'], accountTag: { environment: 'production' } },
      'production.ous and production.accountTag: read from Organizations in organisation mode only; offline, only production.accounts says which accounts are production',
    ],
  ])(
    'does keep only the account ids of settings with %s, warning of what it left out',
    (_label, settings, warning) => {
      const reduced = productionWithoutFacts(settings, 'offline');
      expect(reduced.warning).toBe(warning);
      expect(productionFactsNeeded(reduced.settings)).toEqual({ ancestors: false, tags: false });
      expect(reduced.settings.accounts ?? []).toEqual('accounts' in settings ? settings.accounts : []);
    },
  );

  it('does not count an account as production for OUs that cannot be read', () => {
    const { settings } = productionWithoutFacts({ ous: ['ou-ab12-prod0001'] }, 'offline');
    expect(productionClassifier(settings, new Map())('111122223333')).toBe(false);
  });
});
