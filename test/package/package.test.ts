/**
 * key-audit as a new user gets it: the repository packed (`npm pack`, built by `prepack`), installed into
 * empty directories, then used as a command (`key-audit scan`, offline) and as a construct library in a
 * CDK app of somebody else's. Installed size and tarball contents are printed with the results.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, scanDemo } from '../cli/helpers.ts';
import {
  directorySize,
  installInto,
  megabytes,
  type PackedTarball,
  packRepository,
  REPO_ROOT,
  run,
} from './npm.ts';

const work = mkdtempSync(join(tmpdir(), 'key-audit-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let tarball: PackedTarball;
beforeAll(async () => {
  tarball = await packRepository(work);
  console.info(
    `tarball: ${tarball.files.length} files, ${megabytes(tarball.size)} packed, ${megabytes(tarball.unpackedSize)} unpacked`,
  );
});

/** The repository's installed version of `name`, so that installs are served from npm's cache. */
const installedVersion = (name: string): string =>
  (
    JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

/** The caller's environment without AWS settings: nothing here may reach an AWS account. */
const offlineEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_'))),
  AWS_EC2_METADATA_DISABLED: 'true',
});

describe('the packed tarball', () => {
  it('does hold the built JavaScript, its declarations, the README and package.json, nothing else', () => {
    const outside = tarball.files.filter((file) => !file.startsWith('dist/'));
    expect(outside.sort()).toEqual(['README.md', 'package.json']);
    expect(tarball.files).toEqual(
      expect.arrayContaining([
        'dist/cli.mjs',
        'dist/index.mjs',
        'dist/cdk.mjs',
        'dist/lambda/index.mjs',
        'dist/types/lib/index.d.ts',
        'dist/types/lambda/index.d.ts',
      ]),
    );
    expect(tarball.files.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
  });
});

describe('key-audit installed alone: the command and the engine', () => {
  const dir = join(work, 'cli');

  beforeAll(async () => {
    mkdirSync(dir);
    await installInto(dir, [tarball.file]);
    const size = directorySize(join(dir, 'node_modules'));
    console.info(
      `installed CLI: node_modules holds ${megabytes(size.bytes)} of files, ${megabytes(size.onDisk)} on disk`,
    );
  });

  it('does not bring the CDK, tsx or esbuild along', () => {
    for (const name of ['aws-cdk-lib', 'constructs', 'cdk-nag', 'tsx', 'esbuild', 'typescript']) {
      expect(existsSync(join(dir, 'node_modules', name)), name).toBe(false);
    }
  });

  it('does print its version from any directory', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const result = await run(join(dir, 'node_modules', '.bin', 'key-audit'), ['--version'], {
      cwd: tmpdir(),
    });
    expect(result).toMatchObject({ code: 0, stdout: `key-audit ${version}\n`, stderr: '' });
  });

  it('does scan downloaded credential reports offline with the same findings as the repository CLI', async () => {
    const args = ['--format', 'json', '--quiet'];
    for (const [i, report] of DEMO.reports.entries()) copyFileSync(report, join(dir, `report-${i}.csv`));
    copyFileSync(DEMO.config, join(dir, 'config.json'));
    const installed = await run(
      join(dir, 'node_modules', '.bin', 'key-audit'),
      [
        'scan',
        '--credential-report',
        ...DEMO.reports.map((_, i) => `report-${i}.csv`),
        '--config',
        'config.json',
        '--as-of',
        DEMO.asOf,
        ...args,
      ],
      { cwd: dir, env: offlineEnv() },
    );
    const fromSources = await scanDemo(args);
    expect(installed.stderr).toBe('');
    expect(installed.code).toBe(fromSources.code);
    expect(JSON.parse(installed.stdout)).toEqual(JSON.parse(fromSources.stdout));
  });

  it('does evaluate credential reports as the command does (import from key-audit)', async () => {
    const reports = DEMO.reports.map((_, i) => `report-${i}.csv`);
    for (const [i, report] of DEMO.reports.entries()) copyFileSync(report, join(dir, reports[i] ?? ''));
    const code = `
      import { DEFAULT_POLICY, readCredentialReportFiles, renderJson, reportFromInventory } from 'key-audit';
      const accounts = await readCredentialReportFiles(${JSON.stringify(reports)});
      const report = reportFromInventory({ accounts }, { asOf: new Date(${JSON.stringify(DEMO.asOf)}), policy: DEFAULT_POLICY });
      process.stdout.write(renderJson(report));`;
    const library = await run(process.execPath, ['--input-type=module', '-e', code], {
      cwd: dir,
      env: offlineEnv(),
    });
    const command = await run(
      join(dir, 'node_modules', '.bin', 'key-audit'),
      ['scan', '--credential-report', ...reports, '--as-of', DEMO.asOf, '--format', 'json'],
      { cwd: dir, env: offlineEnv() },
    );
    expect(library.stderr).toBe('');
    expect(JSON.parse(library.stdout)).toEqual(JSON.parse(command.stdout));
  });
});

describe('key-audit/cdk in somebody else’s CDK app', () => {
  const dir = join(work, 'app');
  const node = (args: readonly string[]) => run(process.execPath, args, { cwd: dir, env: offlineEnv() });

  beforeAll(async () => {
    mkdirSync(dir);
    await installInto(dir, [
      tarball.file,
      `aws-cdk-lib@${installedVersion('aws-cdk-lib')}`,
      `constructs@${installedVersion('constructs')}`,
    ]);
    copyFileSync(join(REPO_ROOT, 'test', 'package', 'consumer', 'app.mjs'), join(dir, 'app.mjs'));
  });

  it('does synthesize the scanner with no props and with some, deploying the handler shipped in the package', async () => {
    const result = await node(['app.mjs', join(dir, 'cdk.out')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, Record<string, unknown>>;
    expect(summary.PlainScanner).toMatchObject({
      handler: 'index.handler',
      memorySize: 1024,
      timeout: 900,
      assetFiles: ['index.mjs', 'index.mjs.map'],
      // Report, alert and alarm topics; the topics' key, the alarm topic's key and the log group's key.
      topics: 3,
      keys: 3,
      buckets: 1,
      roleNames: ['key-audit-scanner'],
      schedules: ['cron(0 9 ? * MON *)', 'cron(0 9 * * ? *)'],
      outputs: [],
    });
    expect(summary.CustomScanner).toMatchObject({
      memorySize: 2048,
      timeout: 600,
      assetFiles: ['index.mjs', 'index.mjs.map'],
      // The team's own alert topic plus the report and alarm topics the scanner created.
      topics: 3,
      buckets: 1,
      roleNames: ['AuditRead', 'KeyAuditRemediation', 'audit-scanner'],
      schedules: ['cron(0 7 ? * MON-FRI *)', 'cron(0 9 * * ? *)'],
      environment: expect.objectContaining({
        KEY_AUDIT_ACCOUNTS: '111122223333',
        KEY_AUDIT_ROLE_NAME: 'AuditRead',
        KEY_AUDIT_SECURITY_HUB: 'true',
      }),
    });
  });

  it('does fail synthesis with one line naming the prop when a prop is out of range', async () => {
    const code = `
      import { App, Size, Stack } from 'aws-cdk-lib';
      import { KeyAuditScanner } from 'key-audit/cdk';
      try {
        new KeyAuditScanner(new Stack(new App(), 'Bad'), 'KeyAudit', { memorySize: Size.mebibytes(64) });
      } catch (error) {
        process.stdout.write(error.message);
      }`;
    const result = await node(['--input-type=module', '-e', code]);
    expect(result.stdout).toBe(
      'KeyAuditScanner Bad/KeyAudit: invalid props: memorySize: 64 is not a whole number of MB from 128 to 10240',
    );
  });

  it('does type-check a TypeScript app against the published declarations', async () => {
    writeFileSync(
      join(dir, 'app.ts'),
      `import { App, Duration, Stack } from 'aws-cdk-lib';
import { KeyAuditMemberRole, KeyAuditScanner, type KeyAuditScannerProps } from 'key-audit/cdk';
const stack = new Stack(new App(), 'Typed');
const props: KeyAuditScannerProps = {
  organisation: { organisationId: 'o-abcdefghij' },
  timeout: Duration.minutes(5),
  enforcement: { mode: 'plan', deleteAfterDays: 30 },
};
// @ts-expect-error enforcement modes are off, plan and apply
new KeyAuditScanner(stack, 'Unknown', { enforcement: { mode: 'force' } });
const scanner = new KeyAuditScanner(stack, 'KeyAudit', props);
new KeyAuditMemberRole(stack, 'MemberRole', { scannerRoleArn: scanner.role.roleArn });
// @ts-expect-error a timeout is a Duration, not a number of seconds
new KeyAuditScanner(stack, 'Untyped', { timeout: 600 });
export const functionName: string = scanner.function.functionName;
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['app.ts'],
      }),
    );
    const tsc = await run(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], {
      cwd: dir,
    });
    expect(tsc.stdout).toBe('');
    expect(tsc.code).toBe(0);
  });
});
