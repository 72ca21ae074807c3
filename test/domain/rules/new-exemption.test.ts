import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../lambda/domain/catalogue.ts';
import type { NewExemption } from '../../../lambda/domain/new-exemptions.ts';
import { newExemptionFindings } from '../../../lambda/domain/rules/new-exemption.ts';
import { AS_OF, DEV, exemptFinding, finding, PROD } from '../history-factories.ts';

const vendor: NewExemption = {
  accountId: PROD,
  userName: 'vendor',
  until: '2026-08-31',
  reason: 'CHG-1 vendor key',
  source: 'tag',
};

describe('newExemptionFindings', () => {
  it('does build one medium, non-exempt finding per new exemption, with the date and reason it claims', () => {
    const [built, ...rest] = newExemptionFindings([vendor], AS_OF);
    expect(rest).toEqual([]);
    expect(built).toEqual({
      id: `new-exemption:${PROD}:vendor#2026-08-31`,
      rule: 'new-exemption',
      severity: 'medium',
      accountId: PROD,
      userName: 'vendor',
      userArn: null,
      accessKeyId: null,
      keySlot: null,
      ageDays: null,
      since: AS_OF,
      overdueDays: null,
      lastUsedAt: null,
      lastUsedService: null,
      lastUsedRegion: null,
      owner: null,
      production: false,
      exempt: false,
      exemption: null,
      message:
        'User vendor became exempt until 2026-08-31 by its key-audit:exempt-until tag, for the reason ' +
        '"CHG-1 vendor key": its keys raise no violation until then.',
      remediation: CATALOGUE['new-exemption'].remediation,
    });
  });

  it('does name the configuration for an exemption declared there, and keep the reason on one line', () => {
    const [built] = newExemptionFindings(
      [{ ...vendor, source: 'config', reason: 'CHG-1\nsee\u2028ticket' }],
      AS_OF,
    );
    expect(built?.message).toBe(
      'User vendor became exempt until 2026-08-31 by the configured exemptions, for the reason ' +
        '"CHG-1 see ticket": its keys raise no violation until then.',
    );
  });

  it('does give an exemption to another date another id, so that it is alerted again', () => {
    const ids = newExemptionFindings([vendor, { ...vendor, until: '2026-09-01' }], AS_OF).map((f) => f.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('does take owner, ARN and production from the report findings of the user and account', () => {
    const exempt = exemptFinding('vendor', '2026-08-31', 'CHG-1 vendor key', {
      owner: 'team-a',
      userArn: `arn:aws:iam::${PROD}:user/vendor`,
    });
    const findings = [
      exempt,
      finding({ accountId: PROD, userName: 'other', production: true }),
      finding({ accountId: DEV, userName: 'vendor', production: false, owner: 'team-dev' }),
    ];
    const [built] = newExemptionFindings([vendor], AS_OF, { findings });
    expect(built).toMatchObject({
      owner: 'team-a',
      userArn: exempt.userArn,
      production: true,
    });
  });

  it('does build nothing when nobody became exempt', () => {
    expect(newExemptionFindings([], AS_OF)).toEqual([]);
  });
});
