/**
 * Measures the deployed artefact: bundles lambda/handler.ts the way the stack does (esbuild, ESM,
 * minified, tree-shaken, SDK clients bundled, the same `require` banner, source maps without sources),
 * reports its size and largest inputs, and times its module initialisation in fresh node processes
 * with the environment the stack gives the function.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { DEFAULT_CONFIG } from '../lib/config.ts';
import { scannerEnvironment } from '../lib/scanner-environment.ts';
import { ESM_REQUIRE_BANNER, HANDLER_ENTRY } from '../lib/scanner-function.ts';
import { type BundleInput, median, summariseMetafile } from './bundle-stats.ts';

/** What `measureLambdaBundle` found. */
export interface LambdaBundleMeasurement {
  readonly entry: string;
  readonly bytes: number;
  readonly sourceMapBytes: number;
  readonly inputCount: number;
  /** The 10 inputs contributing most bytes to the output. */
  readonly topInputs: readonly BundleInput[];
  /** Bytes per package (`@aws-sdk/client-iam`, `(project)`...), largest first. */
  readonly packages: readonly BundleInput[];
  readonly init: {
    /** Milliseconds from before `import()` to after it, per process. */
    readonly runsMs: readonly number[];
    readonly medianMs: number | null;
    /** Why the import failed, when it did. */
    readonly error: string | null;
  };
}

const IMPORT_SCRIPT = `const started = performance.now();
await import(process.env.KEY_AUDIT_BENCH_BUNDLE);
process.stdout.write(String(performance.now() - started));`;

const timeImport = (bundleUrl: string, env: NodeJS.ProcessEnv): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', IMPORT_SCRIPT], {
      env: { ...env, KEY_AUDIT_BENCH_BUNDLE: bundleUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = Number(out.trim());
      if (code === 0 && Number.isFinite(ms)) resolve(ms);
      else
        reject(new Error(`importing the bundle failed (exit ${code}): ${err.trim().split('\n')[0] ?? ''}`));
    });
  });

/** The environment the stack gives the function, with placeholder topics and region. */
const lambdaEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  AWS_REGION: 'eu-west-2',
  AWS_LAMBDA_FUNCTION_NAME: 'key-audit-bench',
  ...scannerEnvironment(DEFAULT_CONFIG, {
    reportTopicArn: 'arn:aws:sns:eu-west-2:111111111111:key-audit-report',
    alertTopicArn: 'arn:aws:sns:eu-west-2:111111111111:key-audit-alerts',
  }),
});

/** Bundles the handler into a temporary directory, measures it (see the module comment), cleans up. */
export const measureLambdaBundle = async (initRuns: number): Promise<LambdaBundleMeasurement> => {
  const dir = await mkdtemp(join(tmpdir(), 'key-audit-bundle-'));
  try {
    const outfile = join(dir, 'index.mjs');
    const result = await build({
      entryPoints: [HANDLER_ENTRY],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      minify: true,
      treeShaking: true,
      sourcemap: true,
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
    });
    const { inputs, packages } = summariseMetafile(result.metafile);
    const runsMs: number[] = [];
    let error: string | null = null;
    for (let run = 0; run < initRuns && error === null; run += 1) {
      try {
        runsMs.push(await timeImport(pathToFileURL(outfile).href, lambdaEnv()));
      } catch (failure) {
        error = (failure as Error).message;
      }
    }
    return {
      entry: 'lambda/handler.ts',
      bytes: (await stat(outfile)).size,
      sourceMapBytes: (await stat(`${outfile}.map`)).size,
      inputCount: inputs.length,
      topInputs: inputs.slice(0, 10),
      packages,
      init: { runsMs, medianMs: median(runsMs), error },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
