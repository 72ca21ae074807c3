import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../lambda/domain/catalogue.ts';
import { InputError } from '../../lambda/domain/errors.ts';
import { applyRule, evaluate } from '../../lambda/domain/evaluate.ts';
import type { Policy } from '../../lambda/domain/policy.ts';
import { NO_KEY_FIELDS, type Rule, type RuleHit } from '../../lambda/domain/rules/rule.ts';
import {
  AS_OF,
  accessKey,
  ago,
  contextWith,
  failedAccount,
  iamUser,
  inventoryOf,
  policyWith,
  rootUser,
  scannedAccount,
} from './factories.ts';

const EXEMPT_UNTIL = 'key-audit:exempt-until';
const EXEMPT_REASON = 'key-audit:exempt-reason';

/** Alice holds one 134-day-old key: a high key-too-old finding, unless exempt. */
const aliceTooOld = (tags: Record<string, string> = {}) =>
  inventoryOf(
    scannedAccount([iamUser('alice', [accessKey({ accessKeyId: 'AKIAALICE', createdAt: ago(134) })], tags)]),
  );

const run = (inventory = aliceTooOld(), options: { asOf?: Date; policy?: Policy } = {}) =>
  evaluate(inventory, { asOf: options.asOf ?? AS_OF, policy: options.policy ?? policyWith() });

describe('evaluate', () => {
  describe('exemptions', () => {
    it.each([
      ['a tag exemption', { [EXEMPT_UNTIL]: '2026-08-31', [EXEMPT_REASON]: 'vendor' }, policyWith(), 'tag'],
      [
        'a configured glob exemption',
        {},
        policyWith({
          exemptions: [{ accountId: '*', userName: 'al*', until: '2026-08-31', reason: 'vendor' }],
        }),
        'config',
      ],
    ] as const)(
      'keeps a finding excused by %s in the report as exempt, not a violation',
      (_l, tags, policy, source) => {
        const report = run(aliceTooOld(tags), { policy });
        expect(report.findings).toHaveLength(1);
        expect(report.findings[0]).toMatchObject({
          rule: 'key-too-old',
          exempt: true,
          exemption: { until: '2026-08-31', reason: 'vendor', source },
        });
        expect(report.summary).toMatchObject({ violations: 0, warnings: 0, exempt: 1 });
        expect(report.summary.bySeverity.high).toBe(0);
      },
    );

    it.each([
      ['during the until day', true, new Date('2026-06-15T23:59:59.999Z')],
      ['the day after', false, new Date('2026-06-16T00:00:00.000Z')],
    ])('honours an exemption until 2026-06-15 %s: %s', (_label, exempt, asOf) => {
      const report = run(aliceTooOld({ [EXEMPT_UNTIL]: '2026-06-15', [EXEMPT_REASON]: 'vendor' }), { asOf });
      expect(report.findings.map((finding) => [finding.rule, finding.exempt])).toEqual([
        ['key-too-old', exempt],
      ]);
      expect(report.summary.violations).toBe(exempt ? 0 : 1);
    });

    it.each([
      ['without reason', { [EXEMPT_UNTIL]: '2026-08-31' }],
      ['with an impossible date', { [EXEMPT_UNTIL]: '2026-02-30', [EXEMPT_REASON]: 'vendor' }],
    ])('does not honour an exemption %s and reports it as invalid-exemption', (_label, tags) => {
      const report = run(aliceTooOld(tags));
      expect(report.findings.map((finding) => [finding.rule, finding.exempt])).toEqual([
        ['key-too-old', false],
        ['invalid-exemption', false],
      ]);
      expect(report.summary.violations).toBe(2);
    });

    it('never excuses root keys, unreachable accounts or invalid exemptions', () => {
      const policy = policyWith({
        exemptions: [
          { accountId: '*', userName: '*', until: '2026-08-31', reason: 'all' },
          { accountId: '*', userName: 'bob', until: '2026-02-30', reason: 'bad' },
        ],
      });
      const inventory = inventoryOf(
        scannedAccount([iamUser('bob')], { root: rootUser([], true) }),
        failedAccount('444455556666'),
      );
      const report = run(inventory, { policy });
      expect(report.findings.map((finding) => [finding.rule, finding.exempt])).toEqual([
        ['root-access-key', false],
        ['account-unreachable', false],
        ['invalid-exemption', false],
      ]);
    });
  });

  describe('exemption limit', () => {
    it.each([
      ['ending within maxExemptionDays', '2026-09-13', true],
      ['ending one day past maxExemptionDays', '2026-09-14', false],
    ])('honours a tag exemption %s: %s', (_label, until, exempt) => {
      const report = run(aliceTooOld({ [EXEMPT_UNTIL]: until, [EXEMPT_REASON]: 'vendor' }));
      expect(report.findings.map((finding) => [finding.rule, finding.exempt])).toEqual(
        exempt
          ? [['key-too-old', true]]
          : [
              ['key-too-old', false],
              ['invalid-exemption', false],
            ],
      );
    });

    it('names the limit in the invalid-exemption finding of a configured exemption running too long', () => {
      const policy = policyWith({
        maxExemptionDays: 30,
        exemptions: [{ accountId: '*', userName: 'alice', until: '2026-07-16', reason: 'vendor' }],
      });
      const invalid = run(aliceTooOld(), { policy }).findings.find((f) => f.rule === 'invalid-exemption');
      expect(invalid?.message).toBe(
        'The exemption of alice is not honoured: exemptions[0].until "2026-07-16" is 31 days after the scan, ' +
          'more than maxExemptionDays (30).',
      );
    });
  });

  describe('production', () => {
    const twoAccounts = inventoryOf(
      scannedAccount([iamUser('alice', [accessKey({ createdAt: ago(134) })])]),
      failedAccount('444455556666'),
    );

    it('marks no finding production without a classifier', () => {
      expect(run(twoAccounts).findings.map((finding) => finding.production)).toEqual([false, false]);
    });

    it('marks the findings of the accounts the classifier names, account-level ones too', () => {
      const report = evaluate(twoAccounts, {
        asOf: AS_OF,
        policy: policyWith(),
        isProduction: (accountId) => accountId === '444455556666',
      });
      expect(report.findings.map((finding) => [finding.rule, finding.production])).toEqual([
        ['key-too-old', false],
        ['account-unreachable', true],
      ]);
    });
  });

  describe('owners', () => {
    it('carries the owner onto every finding of the user and none onto account-level findings', () => {
      const keys = [
        accessKey({ accessKeyId: 'AKIA1', createdAt: ago(134) }),
        accessKey({ accessKeyId: 'AKIA2', createdAt: ago(100), lastUsedAt: null }),
      ];
      const inventory = inventoryOf(
        scannedAccount([iamUser('alice', keys, { owner: 'team-a', Owner: 'ignored' })]),
        failedAccount('444455556666'),
      );
      const owners = run(inventory).findings.map((finding) => [finding.rule, finding.owner]);
      // High first: alice's account sorts before the failed one, AKIA1 before AKIA2; then medium.
      expect(owners).toEqual([
        ['key-too-old', 'team-a'],
        ['two-active-keys', 'team-a'],
        ['key-too-old', 'team-a'],
        ['account-unreachable', null],
        ['key-unused', 'team-a'],
      ]);
    });
  });

  describe('ids', () => {
    it('gives the same findings the same ids on another day', () => {
      const inventory = aliceTooOld();
      const ids = (asOf: Date) => run(inventory, { asOf }).findings.map((finding) => finding.id);
      expect(ids(AS_OF)).toEqual(['key-too-old:111122223333:AKIAALICE']);
      expect(ids(new Date('2026-07-01T00:00:00Z'))).toEqual(ids(AS_OF));
    });
  });

  describe('sorting', () => {
    it('orders findings by severity, then account, user (account-level first) and key', () => {
      const inventory = inventoryOf(
        scannedAccount(
          [
            iamUser('zed', [accessKey({ accessKeyId: 'AKIAZ', createdAt: ago(100) })]),
            iamUser('bob', [
              accessKey({ accessKeyId: 'AKIAB2', createdAt: ago(80) }),
              accessKey({ accessKeyId: 'AKIAB1', createdAt: ago(95) }),
            ]),
          ],
          { accountId: '999999999999' },
        ),
        failedAccount('555555555555'),
        scannedAccount([iamUser('amy', [accessKey({ accessKeyId: 'AKIAA', createdAt: ago(400) })])], {
          root: rootUser([], true),
        }),
      );
      expect(run(inventory).findings.map((finding) => `${finding.severity} ${finding.id}`)).toEqual([
        'critical root-access-key:111122223333',
        'critical key-too-old:111122223333:AKIAA',
        'high account-unreachable:555555555555',
        'high key-too-old:999999999999:AKIAB1',
        'high two-active-keys:999999999999:AKIAB1',
        'high key-too-old:999999999999:AKIAZ',
        'low key-due-soon:999999999999:AKIAB2',
      ]);
    });
  });

  describe('accounts and summary', () => {
    const inventory = inventoryOf(
      scannedAccount(
        [
          iamUser('alice', [
            accessKey({ accessKeyId: 'AKIA1', createdAt: ago(134) }), // high key-too-old
            accessKey({ accessKeyId: 'AKIA2', status: 'inactive' }), // low inactive-key
          ]),
          iamUser('bob', [accessKey({ accessKeyId: 'AKIA3', createdAt: ago(80) })], {
            [EXEMPT_UNTIL]: '2026-08-31',
            [EXEMPT_REASON]: 'migration', // exempt low key-due-soon
          }),
          iamUser('carol'),
        ],
        {
          source: 'credential-report',
          reportGeneratedAt: new Date('2026-06-15T10:00:00Z'),
          root: rootUser([accessKey({ accessKeyId: null, slot: 1 })]), // critical, not counted as a user key
        },
      ),
      scannedAccount([iamUser('dave', [accessKey({ accessKeyId: 'AKIA4', createdAt: ago(1) })])], {
        accountId: '222233334444',
      }),
      failedAccount('444455556666', 'AccessDenied', 'no trust'), // high
    );
    const report = run(inventory);

    it('reports each account, failed ones with `code: message`', () => {
      expect(report.accounts).toEqual([
        {
          accountId: '111122223333',
          status: 'scanned',
          source: 'credential-report',
          users: 3,
          activeKeys: 2,
          reportGeneratedAt: new Date('2026-06-15T10:00:00Z'),
        },
        { accountId: '222233334444', status: 'scanned', source: 'api', users: 1, activeKeys: 1 },
        {
          accountId: '444455556666',
          status: 'failed',
          error: 'AccessDenied: no trust',
          cause: 'access-denied',
        },
      ]);
    });

    it('reports a source that stood in for the chosen one, and where a failure happened', () => {
      const fallback = { from: 'credential-report', reason: 'ReportTimeout: not ready after 180 s' } as const;
      const accounts = run(
        inventoryOf(scannedAccount([], { accountId: '222233334444', fallback }), {
          ...failedAccount('444455556666', 'AccessDenied', 'no trust'),
          step: 'assume-role',
        }),
      ).accounts;
      expect(accounts).toEqual([
        { accountId: '222233334444', status: 'scanned', source: 'api', users: 0, activeKeys: 0, fallback },
        { accountId: '444455556666', status: 'failed', error: 'AccessDenied: no trust', cause: 'role' },
      ]);
    });

    it('counts IAM users and their active keys, violations, warnings and exempt findings', () => {
      expect(report.summary).toEqual({
        accounts: 3,
        failedAccounts: 1,
        users: 4,
        activeKeys: 3,
        violations: 3,
        warnings: 1,
        exempt: 1,
        bySeverity: { critical: 1, high: 2, medium: 0, low: 1, info: 0 },
      });
    });

    it('returns schema version 1 with the asOf and policy it ran with', () => {
      expect(report).toMatchObject({ schemaVersion: 1, asOf: AS_OF, policy: policyWith() });
      expect(report.incomplete).toBeUndefined();
    });
  });

  it('reports an empty inventory as nothing to do', () => {
    const report = run(inventoryOf());
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ accounts: 0, violations: 0, warnings: 0, exempt: 0 });
  });

  it('rejects an invalid asOf', () => {
    expect(() => run(aliceTooOld(), { asOf: new Date('not a date') })).toThrow(InputError);
  });
});

describe('applyRule', () => {
  const hit: RuleHit = {
    ...NO_KEY_FIELDS,
    id: 'key-unused:111122223333:alice',
    accountId: '111122223333',
    userName: 'alice',
    userArn: null,
    since: null,
    message: 'decided by the rule',
  };
  /** A rule raising `hits` whatever the account, under the key-unused catalogue entry. */
  const ruleOf = (...hits: RuleHit[]): Rule => ({
    metadata: CATALOGUE['key-unused'],
    exemptible: true,
    check: () => hits,
  });

  it('does stamp the rule id and the catalogue severity and remediation when the hit keeps the defaults', () => {
    const [finding] = applyRule(ruleOf(hit), scannedAccount([]), contextWith());
    expect(finding).toEqual({
      ...hit,
      rule: 'key-unused',
      severity: CATALOGUE['key-unused'].defaultSeverity,
      remediation: CATALOGUE['key-unused'].remediation,
    });
  });

  it('does keep the severity and remediation a hit decided when it departs from the catalogue', () => {
    const own = { ...hit, severity: 'critical', remediation: 'Do this instead.' } as const;
    const [finding] = applyRule(ruleOf(own), scannedAccount([]), contextWith());
    expect(finding).toMatchObject({
      rule: 'key-unused',
      severity: 'critical',
      remediation: 'Do this instead.',
    });
  });
});
