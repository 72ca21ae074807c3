/**
 * How the scanner's handler is bundled, in one place: the package build (scripts/build.ts, which ships the
 * bundle in dist/lambda) and this repository's own stack (lib/handler-source-code.ts, which bundles at
 * synth time) produce the same artefact. Plain data, so the construct library can use it without esbuild.
 */
import { fileURLToPath } from 'node:url';

/** The handler module; it exports `handler`. */
export const HANDLER_ENTRY = fileURLToPath(new URL('../lambda/handler.ts', import.meta.url));

/** The bundle's file name inside the asset directory. */
export const HANDLER_FILE = 'index.mjs';

/** The function's `handler` setting: `<file without extension>.<export>`. */
export const HANDLER_NAME = 'index.handler';

/** The Node.js major version of the Lambda runtime (`Runtime.NODEJS_24_X` in lib/scanner-function.ts). */
export const HANDLER_NODE_MAJOR = 24;

/**
 * In an ES module bundle `require` does not exist, yet CommonJS dependencies bundled into it may call
 * `require('node:...')`; esbuild's shim then needs a real one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __keyAuditCreateRequire } from 'node:module'; const require = __keyAuditCreateRequire(import.meta.url);";

/**
 * esbuild options (everything but `outfile`): one ES module, tree-shaken and minified, with a source map
 * without sources (stack traces point into the TypeScript files, the asset stays small). The AWS SDK is
 * bundled rather than taken from the runtime, so the version in package-lock.json is the version that runs.
 */
export const HANDLER_BUNDLE_OPTIONS = {
  entryPoints: [HANDLER_ENTRY],
  bundle: true,
  platform: 'node' as const,
  target: `node${HANDLER_NODE_MAJOR}`,
  format: 'esm' as const,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  minify: true,
  treeShaking: true,
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning' as const,
};
