import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import type { Severity } from '../../lambda/domain/severity.ts';
import {
  ASFF_LIMITS,
  BEST_PRACTICES_TYPE,
  CIS_TYPE,
  partitionOfRegion,
  renderAsff,
  toAsffFinding,
  toAsffFindings,
} from '../../lambda/present/asff.ts';
import { TELL_SECOND_LINE } from '../../lambda/present/render/describe-finding.ts';
import {
  AS_OF,
  accountUnreachable,
  everyRuleReport,
  invalidExemption,
  keyDueSoon,
  keyTooOld,
  keyUnused,
  makeReport,
  PROD,
  rootAccessKey,
  tagExemption,
  twoActiveKeys,
} from './render/report-factory.ts';

const REGION = 'eu-west-2';
const asff = (finding: Parameters<typeof toAsffFinding>[0]) =>
  toAsffFinding(finding, AS_OF, { region: REGION });

describe('toAsffFinding', () => {
  it('does fill every field BatchImportFindings requires, typed as the SDK takes them', () => {
    const finding = keyTooOld();
    const out: AwsSecurityFinding = asff(finding);
    expect(out).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: finding.id,
      ProductArn: `arn:aws:securityhub:${REGION}:${PROD}:product/${PROD}/default`,
      GeneratorId: 'key-audit/key-too-old',
      AwsAccountId: PROD,
      CreatedAt: finding.since?.toISOString(),
      FirstObservedAt: finding.since?.toISOString(),
      UpdatedAt: AS_OF.toISOString(),
      LastObservedAt: AS_OF.toISOString(),
      Description: finding.message,
      Remediation: { Recommendation: { Text: finding.remediation } },
      RecordState: 'ACTIVE',
    });
    expect(out.Title).toBe(
      `Access key older than the rotation limit: ${finding.userName}, key ${finding.accessKeyId}`,
    );
  });

  it.each([
    ['critical', 'CRITICAL'],
    ['high', 'HIGH'],
    ['medium', 'MEDIUM'],
    ['low', 'LOW'],
    ['info', 'INFORMATIONAL'],
  ] as const)('does label severity %s as %s, also in FindingProviderFields', (severity: Severity, label) => {
    const out = asff({ ...keyTooOld(), severity });
    expect(out.Severity).toEqual({ Label: label, Original: severity });
    expect(out.FindingProviderFields.Severity).toEqual({ Label: label, Original: severity });
  });

  it.each([
    ['key-too-old (high)', 'FAILED', keyTooOld()],
    ['two-active-keys (medium)', 'FAILED', twoActiveKeys()],
    ['key-due-soon (low)', 'WARNING', keyDueSoon()],
    ['account-unreachable', 'NOT_AVAILABLE', accountUnreachable()],
    ['an exempt key-too-old', 'FAILED', keyTooOld({ exemption: tagExemption() })],
  ])('does set Compliance.Status of %s to %s', (_name, status, finding) => {
    expect(asff(finding).Compliance.Status).toBe(status);
  });

  it.each([
    ['root-access-key', rootAccessKey(), ['CIS AWS Foundations Benchmark v3.0.0/1.4'], 'IAM.4'],
    ['key-too-old', keyTooOld(), ['CIS AWS Foundations Benchmark v3.0.0/1.14'], 'IAM.3'],
    ['key-unused', keyUnused(), ['CIS AWS Foundations Benchmark v3.0.0/1.12'], 'IAM.22'],
    ['two-active-keys', twoActiveKeys(), ['CIS AWS Foundations Benchmark v3.0.0/1.13'], undefined],
  ])(
    'does relate %s to its CIS requirement and name its Security Hub control',
    (_rule, finding, cis, control) => {
      const out = asff(finding);
      expect(out.Compliance.RelatedRequirements).toEqual(cis);
      expect(out.Types).toEqual([BEST_PRACTICES_TYPE, CIS_TYPE]);
      expect(out.FindingProviderFields.Types).toEqual(out.Types);
      expect(out.ProductFields['key-audit/securityHubControls']).toBe(control);
    },
  );

  it('does leave out RelatedRequirements and the CIS type when the rule has no CIS control', () => {
    const out = asff(keyDueSoon());
    expect(out.Compliance).toEqual({ Status: 'WARNING' });
    expect(out.Types).toEqual([BEST_PRACTICES_TYPE]);
  });

  it('does describe a key finding as an AwsIamAccessKey with its user name and key id', () => {
    const finding = keyTooOld({ userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLEKEY000001' });
    expect(asff(finding).Resources).toEqual([
      {
        Type: 'AwsIamAccessKey',
        Id: 'AWS::IAM::AccessKey:AKIAEXAMPLEKEY000001',
        Partition: 'aws',
        Region: REGION,
        Details: {
          AwsIamAccessKey: {
            AccessKeyId: 'AKIAEXAMPLEKEY000001',
            AccountId: PROD,
            PrincipalName: 'ci-deploy',
            PrincipalType: 'IAMUser',
            UserName: 'ci-deploy',
          },
        },
      },
    ]);
  });

  it('does describe a user finding, or a key known only by its slot, as an AwsIamUser', () => {
    for (const finding of [invalidExemption(), keyTooOld({ accessKeyId: null, keySlot: 2 })]) {
      expect(asff(finding).Resources).toEqual([
        {
          Type: 'AwsIamUser',
          Id: finding.userArn,
          Partition: 'aws',
          Region: REGION,
          Details: { AwsIamUser: { UserName: finding.userName } },
        },
      ]);
    }
  });

  it('does describe the root user and an unreachable account as an AwsAccount', () => {
    for (const finding of [rootAccessKey(), accountUnreachable()]) {
      expect(asff(finding).Resources).toEqual([
        { Type: 'AwsAccount', Id: `AWS::::Account:${finding.accountId}`, Partition: 'aws', Region: REGION },
      ]);
    }
    expect(asff(rootAccessKey()).Title).toBe('Root user has an access key: root user, key slot 1');
    expect(asff(accountUnreachable()).Title).toBe(
      `Account could not be scanned: account ${accountUnreachable().accountId}`,
    );
  });

  it('does carry owner, rule and finding id in ProductFields, and leave out what is unknown', () => {
    const finding = keyTooOld({ owner: 'team-payments@example.com' });
    const fields = asff(finding).ProductFields;
    expect(fields).toMatchObject({
      'key-audit/rule': 'key-too-old',
      'key-audit/findingId': finding.id,
      'key-audit/severity': 'high',
      'key-audit/owner': 'team-payments@example.com',
      'key-audit/exempt': 'false',
      'key-audit/ageDays': String(finding.ageDays),
    });
    expect(Object.keys(fields).filter((key) => key.startsWith('key-audit/exemption'))).toEqual([]);
    expect(Object.keys(asff(keyTooOld({ owner: null })).ProductFields)).not.toContain('key-audit/owner');
    expect(Object.values(fields).every((value) => typeof value === 'string' && value !== '')).toBe(true);
  });

  it.each([
    [true, 'true'],
    [false, 'false'],
    [undefined, 'false'],
  ])(
    'does carry production %s as %s, and tell 2nd line first in the recommendation when true',
    (production, value) => {
      const finding = production === undefined ? keyTooOld() : { ...keyTooOld(), production };
      const out = asff(finding);
      expect(out.ProductFields['key-audit/production']).toBe(value);
      expect(out.Remediation.Recommendation.Text.endsWith(TELL_SECOND_LINE)).toBe(value === 'true');
    },
  );

  it('does suppress an exempt finding at creation under an Id of its exemption, carrying until and reason', () => {
    const finding = keyTooOld({ exemption: tagExemption('2026-12-31', 'vendor appliance') });
    const out = asff(finding);
    expect(out.Id).toBe(`${finding.id}/exempt-until-2026-12-31`);
    expect(out.Workflow).toEqual({ Status: 'SUPPRESSED' });
    expect(out.ProductFields).toMatchObject({
      'key-audit/findingId': finding.id,
      'key-audit/exempt': 'true',
      'key-audit/exemption/until': '2026-12-31',
      'key-audit/exemption/reason': 'vendor appliance',
      'key-audit/exemption/source': 'tag',
    });
    expect(out.Description).toBe(`${finding.message} (exempt until 2026-12-31 (tag): vendor appliance)`);
    const notExempt = asff(keyTooOld());
    expect(notExempt.Id).toBe(keyTooOld().id);
    expect(notExempt).not.toHaveProperty('Workflow');
  });

  it('does use the scan instant as CreatedAt when the finding has no since', () => {
    expect(asff(accountUnreachable()).CreatedAt).toBe(AS_OF.toISOString());
  });

  it('does cut texts to the ASFF limits, on whole characters', () => {
    const long = '🚀'.repeat(ASFF_LIMITS.productFieldValue + 10);
    const out = asff({ ...keyTooOld(), message: long, remediation: long, owner: long });
    for (const [text, max] of [
      [out.Description, ASFF_LIMITS.description],
      [out.Remediation.Recommendation.Text, ASFF_LIMITS.recommendation],
      [out.ProductFields['key-audit/owner'] ?? '', ASFF_LIMITS.productFieldValue],
    ] as const) {
      expect(Array.from(text)).toHaveLength(max);
      expect(text.endsWith('🚀…')).toBe(true);
    }
  });

  it('does name the partition of the region in the product ARN and resources', () => {
    const out = toAsffFinding(keyTooOld(), AS_OF, { region: 'cn-north-1' });
    expect(out.ProductArn).toBe(`arn:aws-cn:securityhub:cn-north-1:${PROD}:product/${PROD}/default`);
    expect(out.Resources[0]?.Partition).toBe('aws-cn');
  });
});

describe('partitionOfRegion', () => {
  it.each([
    ['eu-west-2', 'aws'],
    ['us-east-1', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('does map %s to %s', (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });
});

describe('renderAsff', () => {
  it('does print one JSON array entry per finding, in the report order, with unique Ids', () => {
    const report = everyRuleReport();
    const parsed = JSON.parse(renderAsff(report, { region: REGION })) as AwsSecurityFinding[];
    expect(parsed).toEqual(JSON.parse(JSON.stringify(toAsffFindings(report, { region: REGION }))));
    expect(parsed.map((f) => f.ProductFields?.['key-audit/findingId'])).toEqual(
      report.findings.map((f) => f.id),
    );
    expect(new Set(parsed.map((f) => f.Id)).size).toBe(parsed.length);
  });

  it('does print an empty array for a report without findings', () => {
    expect(JSON.parse(renderAsff(makeReport([]), { region: REGION }))).toEqual([]);
  });
});
