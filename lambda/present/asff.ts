/**
 * Findings in the AWS Security Finding Format (ASFF), as `BatchImportFindings` takes them: `--format asff`
 * prints exactly what `--publish-securityhub` imports. Pure: the region and partition are parameters.
 *
 * Choices the format leaves open:
 * - `Compliance.Status` is FAILED for findings at medium or above (violations), WARNING for low and info
 *   (advisories), NOT_AVAILABLE for an account that could not be scanned (nothing was checked). An exempt
 *   finding keeps its status: the control still fails, the exemption is an accepted risk, not a pass.
 * - Exempt findings are created with `Workflow.Status` SUPPRESSED. A provider can set `Workflow` only when
 *   a finding is created, and Security Hub never lifts SUPPRESSED by itself, so an exempt finding has an Id
 *   of its own (`<finding id>/exempt-until-<date>`): when the exemption ends (or is extended) that Id stops
 *   being reported and is archived, and the plain Id comes back as a NEW, unsuppressed finding.
 * - Severity and Types are also sent as `FindingProviderFields`, the only way a provider may change them
 *   after creation (a rotation in progress escalates from medium to high).
 */
import { CATALOGUE } from '../domain/catalogue.ts';
import type { Finding } from '../domain/finding.ts';
import { ROOT_USER_NAME } from '../domain/finding-id.ts';
import type { Report } from '../domain/report.ts';
import type { Severity } from '../domain/severity.ts';
import { keyLabel, userLabel } from '../domain/wording.ts';
import { describeExemption, nextStepOf, ruleTitle } from './render/describe-finding.ts';

/** The ASFF version every finding declares. */
export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** Every `GeneratorId` starts with this; how key-audit finds its own findings again to archive them. */
export const GENERATOR_PREFIX = 'key-audit/';

/** `ProductName` of the findings (a custom integration may set it) and the namespace of `ProductFields`. */
export const PRODUCT_NAME = 'key-audit';

/** Security Hub's severity labels. */
export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** key-audit's severities as Security Hub labels them. */
export const ASFF_SEVERITY: Readonly<Record<Severity, AsffSeverityLabel>> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

/** The finding type of every key-audit finding. */
export const BEST_PRACTICES_TYPE = 'Software and Configuration Checks/AWS Security Best Practices';

/** The finding type added when a rule checks a CIS control. */
export const CIS_TYPE =
  'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';

/** The CIS benchmark the catalogue's `CIS x.y` ids number (`Compliance.RelatedRequirements`). */
export const CIS_REQUIREMENT_PREFIX = 'CIS AWS Foundations Benchmark v3.0.0/';

/** ASFF length limits (characters) key-audit's values could reach. */
export const ASFF_LIMITS = {
  title: 256,
  description: 1024,
  recommendation: 512,
  productFieldValue: 2048,
} as const;

/** `Compliance.Status` values key-audit uses. */
export type AsffComplianceStatus = 'FAILED' | 'WARNING' | 'NOT_AVAILABLE';

/** The partitions Security Hub's resources name. */
export type AsffPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** An ASFF resource: an access key, an IAM user or an account. */
export interface AsffResource {
  readonly Type: 'AwsIamAccessKey' | 'AwsIamUser' | 'AwsAccount';
  readonly Id: string;
  readonly Partition: AsffPartition;
  readonly Region: string;
  readonly Details?: {
    readonly AwsIamAccessKey?: {
      readonly AccessKeyId: string;
      readonly AccountId: string;
      readonly PrincipalName: string;
      readonly PrincipalType: 'IAMUser';
      /** Deprecated by AWS in favour of PrincipalName; kept for tools that still read it. */
      readonly UserName: string;
    };
    readonly AwsIamUser?: { readonly UserName: string };
  };
}

/**
 * One finding in ASFF, structurally the SDK's `AwsSecurityFinding` (without the SDK). Its lists are
 * mutable arrays only so that a finding can be handed to the SDK as is; nothing mutates them.
 */
export interface AsffFinding {
  readonly SchemaVersion: string;
  readonly Id: string;
  readonly ProductArn: string;
  readonly ProductName: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Types: string[];
  readonly FirstObservedAt: string;
  readonly LastObservedAt: string;
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: { readonly Label: AsffSeverityLabel; readonly Original: Severity };
  readonly FindingProviderFields: {
    readonly Severity: { readonly Label: AsffSeverityLabel; readonly Original: Severity };
    readonly Types: string[];
  };
  readonly Title: string;
  readonly Description: string;
  readonly Remediation: { readonly Recommendation: { readonly Text: string } };
  readonly ProductFields: Readonly<Record<string, string>>;
  readonly Resources: AsffResource[];
  readonly Compliance: {
    readonly Status: AsffComplianceStatus;
    readonly RelatedRequirements?: string[];
  };
  /** Only on exempt findings; Security Hub applies it when it creates the finding. */
  readonly Workflow?: { readonly Status: 'SUPPRESSED' };
  readonly RecordState: 'ACTIVE';
}

/** Where the findings go. */
export interface AsffOptions {
  /** The Security Hub region (of the product ARN and the resources). */
  readonly region: string;
  /** @default partitionOfRegion(region) */
  readonly partition?: AsffPartition;
}

/** The partition of a region: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, else `aws`. */
export const partitionOfRegion = (region: string): AsffPartition => {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
};

/** The default product of `accountId`: the only one that account may import findings into itself. */
export const productArn = (partition: string, region: string, accountId: string): string =>
  `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;

/** `GeneratorId` of a rule's findings. */
export const generatorId = (finding: Pick<Finding, 'rule'>): string => `${GENERATOR_PREFIX}${finding.rule}`;

/** The ASFF `Id`: the finding id, with the exemption's last day for an exempt finding (see above). */
export const asffId = (finding: Pick<Finding, 'id' | 'exempt' | 'exemption'>): string =>
  finding.exempt ? `${finding.id}/exempt-until-${finding.exemption?.until ?? 'unknown'}` : finding.id;

/** `text` cut to `max` characters (code points), ending in `…` when cut. */
export const limitLength = (text: string, max: number): string => {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
};

/** How a finding's rule maps to compliance: FAILED, WARNING or NOT_AVAILABLE (see above). */
export const complianceStatus = (finding: Pick<Finding, 'rule' | 'severity'>): AsffComplianceStatus => {
  if (finding.rule === 'account-unreachable') return 'NOT_AVAILABLE';
  return finding.severity === 'low' || finding.severity === 'info' ? 'WARNING' : 'FAILED';
};

const CIS_CONTROL = /^CIS (\d+(?:\.\d+)*)$/;

/** The CIS requirements a rule checks, as `Compliance.RelatedRequirements` names them. */
export const cisRequirements = (finding: Pick<Finding, 'rule'>): string[] =>
  CATALOGUE[finding.rule].controls.flatMap((control) => {
    const match = CIS_CONTROL.exec(control);
    return match?.[1] === undefined ? [] : [`${CIS_REQUIREMENT_PREFIX}${match[1]}`];
  });

/** The Security Hub controls (e.g. `IAM.3`) a rule matches: every catalogue control that is not CIS. */
const securityHubControls = (finding: Pick<Finding, 'rule'>): string[] =>
  CATALOGUE[finding.rule].controls.filter((control) => !CIS_CONTROL.test(control));

/** `Types` of a finding: best practice, plus the CIS benchmark when the rule checks a CIS control. */
export const findingTypes = (finding: Pick<Finding, 'rule'>): string[] =>
  cisRequirements(finding).length > 0 ? [BEST_PRACTICES_TYPE, CIS_TYPE] : [BEST_PRACTICES_TYPE];

/** The one resource a finding is about: its access key, else its user, else its account. */
export const resourceOf = (finding: Finding, partition: AsffPartition, region: string): AsffResource => {
  const where = { Partition: partition, Region: region };
  const account: AsffResource = { Type: 'AwsAccount', Id: `AWS::::Account:${finding.accountId}`, ...where };
  const { userName, accessKeyId } = finding;
  if (userName === null || userName === ROOT_USER_NAME) return account;
  if (accessKeyId !== null) {
    return {
      Type: 'AwsIamAccessKey',
      Id: `AWS::IAM::AccessKey:${accessKeyId}`,
      ...where,
      Details: {
        AwsIamAccessKey: {
          AccessKeyId: accessKeyId,
          AccountId: finding.accountId,
          PrincipalName: userName,
          PrincipalType: 'IAMUser',
          UserName: userName,
        },
      },
    };
  }
  return {
    Type: 'AwsIamUser',
    Id: finding.userArn ?? `arn:${partition}:iam::${finding.accountId}:user/${userName}`,
    ...where,
    Details: { AwsIamUser: { UserName: userName } },
  };
};

/** `Title`: the rule's title and whom it is about. */
const titleOf = (finding: Finding): string => {
  const user = userLabel(finding);
  const key = keyLabel(finding.accessKeyId, finding.keySlot);
  const subject =
    user === null ? `account ${finding.accountId}` : key === null ? user : `${user}, key ${key}`;
  return limitLength(`${ruleTitle(finding)}: ${subject}`, ASFF_LIMITS.title);
};

/** `ProductFields`: what Security Hub has no field for, under `key-audit/`; unknown values are left out. */
const productFieldsOf = (finding: Finding): Record<string, string> => {
  const controls = securityHubControls(finding);
  const fields: Record<string, string | number | null> = {
    rule: finding.rule,
    findingId: finding.id,
    severity: finding.severity,
    owner: finding.owner,
    exempt: String(finding.exempt),
    production: String(finding.production),
    'exemption/until': finding.exemption?.until ?? null,
    'exemption/reason': finding.exemption?.reason ?? null,
    'exemption/source': finding.exemption?.source ?? null,
    ageDays: finding.ageDays,
    overdueDays: finding.overdueDays,
    since: finding.since?.toISOString() ?? null,
    lastUsedAt: finding.lastUsedAt?.toISOString() ?? null,
    lastUsedService: finding.lastUsedService,
    lastUsedRegion: finding.lastUsedRegion,
    securityHubControls: controls.length > 0 ? controls.join(', ') : null,
  };
  return Object.fromEntries(
    Object.entries(fields)
      .filter((entry): entry is [string, string | number] => entry[1] !== null && entry[1] !== '')
      .map(([name, value]) => [
        `${PRODUCT_NAME}/${name}`,
        limitLength(String(value), ASFF_LIMITS.productFieldValue),
      ]),
  );
};

/** One finding in ASFF, as observed at `asOf`. */
export const toAsffFinding = (finding: Finding, asOf: Date, options: AsffOptions): AsffFinding => {
  const partition = options.partition ?? partitionOfRegion(options.region);
  const severity = { Label: ASFF_SEVERITY[finding.severity], Original: finding.severity };
  const types = findingTypes(finding);
  const requirements = cisRequirements(finding);
  const firstObserved = (finding.since ?? asOf).toISOString();
  const exemption = finding.exemption === null ? '' : ` (${describeExemption(finding.exemption)})`;
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: asffId(finding),
    ProductArn: productArn(partition, options.region, finding.accountId),
    ProductName: PRODUCT_NAME,
    GeneratorId: generatorId(finding),
    AwsAccountId: finding.accountId,
    Types: types,
    FirstObservedAt: firstObserved,
    LastObservedAt: asOf.toISOString(),
    CreatedAt: firstObserved,
    UpdatedAt: asOf.toISOString(),
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: types },
    Title: titleOf(finding),
    Description: limitLength(`${finding.message}${exemption}`, ASFF_LIMITS.description),
    Remediation: {
      Recommendation: { Text: limitLength(nextStepOf(finding), ASFF_LIMITS.recommendation) },
    },
    ProductFields: productFieldsOf(finding),
    Resources: [resourceOf(finding, partition, options.region)],
    Compliance: {
      Status: complianceStatus(finding),
      ...(requirements.length > 0 ? { RelatedRequirements: requirements } : {}),
    },
    ...(finding.exempt ? { Workflow: { Status: 'SUPPRESSED' as const } } : {}),
    RecordState: 'ACTIVE',
  };
};

/** Every finding of `report` in ASFF, in the report's order. */
export const toAsffFindings = (report: Report, options: AsffOptions): AsffFinding[] =>
  report.findings.map((finding) => toAsffFinding(finding, report.asOf, options));

/** `--format asff`: the findings as a JSON array, ready for `aws securityhub batch-import-findings`. */
export const renderAsff = (report: Report, options: AsffOptions): string =>
  JSON.stringify(toAsffFindings(report, options), null, 2);
