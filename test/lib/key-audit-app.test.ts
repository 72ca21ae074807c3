import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_IDS } from '../../lib/key-audit-app.ts';
import { ACCOUNTS_CONFIG, buildTestApp, FULL_ORGANISATION_CONFIG } from './cdk-test-app.ts';

/** The part of CDK's validation-report.json these tests read. */
interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly conclusion: string;
    readonly violations: readonly { ruleName: string }[];
    readonly suppressedViolations?: readonly {
      ruleName: string;
      reason: string;
      acknowledgedAt: string;
      violatingConstructs: readonly { constructPath: string }[];
    }[];
  }[];
}

const CONFIGS: readonly [string, unknown][] = [
  ['own account (the cdk.json sample)', {}],
  ['account mode', ACCOUNTS_CONFIG],
  ['organisation mode with Slack, emails and StackSet', FULL_ORGANISATION_CONFIG],
  [
    'switched-off schedules and reserved concurrency',
    { schedules: { report: { enabled: false } }, lambda: { reservedConcurrency: 1 } },
  ],
  [
    'organisation mode applying enforcement with deletion, Security Hub, remediation StackSet',
    {
      ...FULL_ORGANISATION_CONFIG,
      securityHub: true,
      enforcement: { mode: 'apply', deleteAfterDays: 30 },
    },
  ],
  [
    'own account applying enforcement with Security Hub',
    { securityHub: true, enforcement: { mode: 'apply' } },
  ],
];

/** The first synthesis of a worker starts CDK's schema-validation engine (seconds); cfn-lint is slow too. */
const SLOW = 120_000;

const outdirs: string[] = [];
const freshOutdir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'key-audit-synth-'));
  outdirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes with cdk-nag registered; returns the assembly directory and its validation report. */
const synthWithChecks = (input: unknown) => {
  const built = buildTestApp(input, { compliance: true, schemaValidation: true, outdir: freshOutdir() });
  const assembly = built.app.synth();
  const report = JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return { ...built, assembly, report };
};

describe('cdk-nag AwsSolutions gate', () => {
  it.each(CONFIGS)(
    'leaves no unacknowledged finding in any stack: %s',
    (_title, input) => {
      const { report, assembly } = synthWithChecks(input);
      const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
      expect(nag?.conclusion).toBe('success');
      expect(nag?.violations).toEqual([]);
      for (const other of report.pluginReports) expect(other.violations, other.pluginName).toEqual([]);
      // The checks ran over every stack of the app, not just one.
      expect(assembly.stacks.length).toBeGreaterThanOrEqual(2);
    },
    SLOW,
  );

  it.each(CONFIGS)(
    'acknowledges each finding beside its resource, with a specific reason: %s',
    (_title, input) => {
      const { report } = synthWithChecks(input);
      const acknowledged = report.pluginReports.flatMap((r) => r.suppressedViolations ?? []);
      expect(acknowledged.length).toBeGreaterThan(0);
      const stackPaths = new Set<string>(Object.values(STACK_IDS));
      for (const finding of acknowledged) {
        expect(finding.reason.length, finding.ruleName).toBeGreaterThan(80);
        // On the resource's construct (or its parent), never on a whole stack or the app.
        expect(stackPaths.has(finding.acknowledgedAt), finding.acknowledgedAt).toBe(false);
        for (const construct of finding.violatingConstructs) {
          expect(construct.constructPath.startsWith(`${finding.acknowledgedAt}/`)).toBe(true);
        }
      }
    },
  );

  it(
    'fails synthesis on a finding nobody acknowledged',
    () => {
      const { app, scanner } = buildTestApp({}, { compliance: true, outdir: freshOutdir() });
      // An unencrypted queue without TLS enforcement: AwsSolutions-SQS2/SQS3/SQS4.
      new Queue(scanner, 'Careless', { encryption: undefined, enforceSSL: false });
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
    },
    SLOW,
  );
});

/** cfn-lint findings (JSON) of `files`; W3005 (redundant DependsOn CDK emits) is ignored. */
const cfnLint = (files: readonly string[]): unknown[] => {
  const result = spawnSync('cfn-lint', ['--format', 'json', '--ignore-checks', 'W3005', '--', ...files], {
    encoding: 'utf8',
  });
  if (result.error !== undefined) throw result.error;
  // Exit codes: 0 clean, 2/4/8/... findings; anything unparsable is a cfn-lint failure.
  return JSON.parse(result.stdout === '' ? '[]' : result.stdout) as unknown[];
};

describe('cfn-lint', () => {
  it.each(CONFIGS)(
    'finds nothing in the synthesized templates: %s',
    (_title, input) => {
      const { assembly, memberRoleStackSet, remediationRoleStackSet } = synthWithChecks(input);
      const templates = readdirSync(assembly.directory)
        .filter((file) => file.endsWith('.template.json'))
        .map((file) => join(assembly.directory, file));
      expect(templates.length).toBe(assembly.stacks.length);
      for (const stackSetStack of [memberRoleStackSet, remediationRoleStackSet]) {
        if (stackSetStack === undefined) continue;
        // A StackSet's template body is a template of its own: lint it too.
        const stackSet = assembly.getStackArtifact(stackSetStack.artifactId).template as {
          Resources: Record<string, { Type: string; Properties: { TemplateBody?: string } }>;
        };
        const body = Object.values(stackSet.Resources).find(
          (r) => r.Type === 'AWS::CloudFormation::StackSet',
        );
        const bodyFile = join(assembly.directory, `${stackSetStack.stackName}.body.json`);
        writeFileSync(bodyFile, body?.Properties.TemplateBody ?? '');
        templates.push(bodyFile);
      }
      expect(cfnLint(templates)).toEqual([]);
    },
    SLOW,
  );
});
