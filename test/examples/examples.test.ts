import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../lambda/domain/credential-report.ts';
import { evaluate } from '../../lambda/domain/evaluate.ts';
import type { ScannedAccount } from '../../lambda/domain/inventory.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';
import { resolvePolicy } from '../../lambda/domain/policy-config.ts';

const EXAMPLES = new URL('../../examples/', import.meta.url);
const REPORTS = new URL('credential-reports/', EXAMPLES);
/** The instant `npm run demo` evaluates at; examples/README.md tells each account's story as of then. */
const DEMO_AS_OF = new Date('2026-11-23T09:00:00Z');

/** Every shipped report with the account and user count its story in examples/README.md describes. */
const SHIPPED = [
  ['111111111111-production.csv', '111111111111', 16],
  ['222222222222-staging.csv', '222222222222', 15],
  ['333333333333-sandbox.csv', '333333333333', 13],
] as const;

const parseExample = (file: string) =>
  parseCredentialReport(readFileSync(new URL(file, REPORTS), 'utf8'), `examples/credential-reports/${file}`);

const readConfig = (): { policy: Record<string, unknown> } =>
  JSON.parse(readFileSync(new URL('key-audit.config.json', EXAMPLES), 'utf8'));

describe('examples', () => {
  it('does ship exactly the reports listed here', () => {
    expect(readdirSync(REPORTS).sort()).toEqual(SHIPPED.map(([file]) => file));
  });

  it.each(SHIPPED)('does parse %s as account %s with %i users', (file, accountId, users) => {
    const parsed = parseExample(file);
    expect(parsed.accountId).toBe(accountId);
    expect(file.startsWith(`${parsed.accountId}-`)).toBe(true);
    expect(parsed.users.length).toBe(users);
  });

  it('does give only the sandbox root user an active access key', () => {
    const rootKeys = SHIPPED.map(([file]) => [file, parseExample(file).root?.hasActiveAccessKey]);
    expect(rootKeys).toEqual([
      ['111111111111-production.csv', false],
      ['222222222222-staging.csv', false],
      ['333333333333-sandbox.csv', true],
    ]);
  });

  it('does keep the example policy at the default thresholds', () => {
    const { exemptions, ...thresholds } = resolvePolicy(
      readConfig().policy,
      'examples/key-audit.config.json',
    );
    const { exemptions: _none, ...defaults } = DEFAULT_POLICY;
    expect(thresholds).toEqual(defaults);
    expect(exemptions.map((exemption) => [exemption.accountId, exemption.userName])).toEqual([
      ['222222222222', 'legacy-ftp-*'],
    ]);
  });

  describe('at the demo instant', () => {
    const accounts: ScannedAccount[] = SHIPPED.map(([file]) => {
      const { accountId, users, root } = parseExample(file);
      return { accountId, status: 'scanned', source: 'credential-report', users, root };
    });
    const policy = resolvePolicy(readConfig().policy, 'examples/key-audit.config.json');
    const { findings } = evaluate({ accounts }, { asOf: DEMO_AS_OF, policy });

    it('does trigger every rule that credential reports can trigger', () => {
      // account-unreachable needs a failed scan and invalid-exemption an invalid exemption: neither is in files.
      expect(new Set(findings.map((finding) => finding.rule))).toEqual(
        new Set([
          'root-access-key',
          'key-too-old',
          'two-active-keys',
          'key-unused',
          'key-due-soon',
          'inactive-key',
        ]),
      );
    });

    it('does exempt only the staging legacy-ftp-* users, and flags they would otherwise raise', () => {
      const exempt = findings.filter((finding) => finding.exempt);
      expect(exempt.length).toBeGreaterThan(0);
      for (const finding of exempt) {
        expect(finding.accountId).toBe('222222222222');
        expect(finding.userName?.startsWith('legacy-ftp-')).toBe(true);
      }
    });

    it('does leave most users without findings', () => {
      const flagged = new Set(findings.map((finding) => `${finding.accountId}/${finding.userName}`));
      const users = accounts.reduce((sum, account) => sum + account.users.length, 0);
      expect(flagged.size).toBeLessThan(users / 2);
    });

    it('does cover the three two-key situations the runbook distinguishes', () => {
      const twoKeys = findings
        .filter((finding) => finding.rule === 'two-active-keys')
        .map((finding) => [
          finding.accountId,
          finding.userName,
          finding.severity,
          finding.rotation?.oldKeyUsedSinceNewKey,
        ]);
      expect(twoKeys).toEqual(
        expect.arrayContaining([
          // In grace, new key in use, old key idle: safe to deactivate.
          ['111111111111', 'ci-deploy', 'low', false],
          // In grace, old key still used after the new one was created.
          ['222222222222', 'svc-orders-api', 'low', true],
          // Two keys for months: past the grace period.
          ['333333333333', 'dev.experiments', 'high', true],
        ]),
      );
    });
  });
});
