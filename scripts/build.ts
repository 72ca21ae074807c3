/**
 * `npm run build`, also run by `prepack`: the published JavaScript, in dist/.
 *
 *   dist/index.mjs      the engine (`import ... from 'key-audit'`)
 *   dist/cdk.mjs        the constructs (`import ... from 'key-audit/cdk'`)
 *   dist/chunk-*.mjs    code the two share
 *   dist/cli.mjs        the `key-audit` command
 *   dist/cli-*.mjs      its parts loaded on demand (with the AWS SDK, only by live scans)
 *   dist/lambda/        the scanner's handler bundle, deployed by the constructs as it is
 *   dist/types/         declarations of the engine and the constructs (tsc)
 *
 * esbuild bundles rather than tsc's per-file output: the command starts from a few files instead of a
 * hundred, and the sources' `.ts` import specifiers need no rewriting. The libraries keep their
 * dependencies external (npm installs them beside the package; `aws-cdk-lib` and `constructs` are the
 * consumer's own). The command is a build of its own with its small dependencies inside, which starts
 * faster than resolving them from node_modules; only the AWS SDK stays external, being large and loaded
 * late. Every module sits directly in dist/, so `import.meta.url` finds dist/lambda (and the command
 * ../package.json) from whichever file asks.
 * TypeScript 7 emits declarations only (`emitDeclarationOnly`); they keep the `.ts` specifiers, which
 * TypeScript resolves to the `.d.ts` files beside them.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { HANDLER_BUNDLE_OPTIONS, HANDLER_FILE } from '../lib/handler-bundle.ts';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the build goes (the package's `files`). */
export const DIST = join(ROOT, 'dist');
/** The command's file, the package's `bin`. */
export const CLI_FILE = join(DIST, 'cli.mjs');
/** The handler bundle's directory. */
export const LAMBDA_DIR = join(DIST, 'lambda');

/** The oldest Node.js the package supports, from package.json `engines` (`>=20.19` gives `node20.19`). */
const nodeTarget = (): string => {
  const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    engines: { node: string };
  };
  const version = /^>=\s*(\d+(?:\.\d+)*)$/.exec(engines.node)?.[1];
  if (version === undefined)
    throw new Error(`package.json engines.node "${engines.node}" is not ">=<version>"`);
  return `node${version}`;
};

/** The command runs with plain node: the source's tsx hashbang is for running it from a checkout. */
const setHashbang = (file: string): void => {
  const code = readFileSync(file, 'utf8').replace(/^#!.*\n/, '');
  writeFileSync(file, `#!/usr/bin/env node\n${code}`);
  chmodSync(file, 0o755);
};

const declarations = (): void => {
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const result = spawnSync(tsc, ['-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) throw new Error(`tsc (declarations) exited ${result.status}`);
};

/** Builds dist/ from scratch; returns the files written with their sizes, relative to dist/. */
export const buildPackage = async (): Promise<Record<string, number>> => {
  rmSync(DIST, { recursive: true, force: true });
  const common = {
    absWorkingDir: ROOT,
    outdir: DIST,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node' as const,
    target: nodeTarget(),
    format: 'esm' as const,
    metafile: true as const,
    logLevel: 'warning' as const,
  };
  const library = await build({
    ...common,
    entryPoints: { index: join(ROOT, 'lambda', 'index.ts'), cdk: join(ROOT, 'lib', 'index.ts') },
    chunkNames: 'chunk-[hash]',
    packages: 'external',
  });
  const cli = await build({
    ...common,
    entryPoints: { cli: join(ROOT, 'bin', 'key-audit.ts') },
    chunkNames: 'cli-[hash]',
    external: ['@aws-sdk/*', '@smithy/*'],
  });
  setHashbang(CLI_FILE);
  const handler = await build({
    ...HANDLER_BUNDLE_OPTIONS,
    absWorkingDir: ROOT,
    outfile: join(LAMBDA_DIR, HANDLER_FILE),
    metafile: true,
  });
  declarations();
  const outputs = [library, cli, handler].flatMap((result) => Object.keys(result.metafile.outputs));
  return Object.fromEntries(
    outputs.map((file) => [relative(DIST, join(ROOT, file)), statSync(join(ROOT, file)).size]),
  );
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildPackage();
  for (const [file, bytes] of Object.entries(files)) {
    process.stdout.write(`dist/${file}  ${bytes.toLocaleString('en')} bytes\n`);
  }
}
