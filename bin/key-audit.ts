#!/usr/bin/env -S node --import tsx
/**
 * The key-audit command line. All logic is in bin/cli/; this file only connects it to the process. The
 * published package runs the build of this file (dist/cli.mjs, plain node); from a checkout it runs
 * through tsx (`npm run key-audit`).
 */
import { readFileSync } from 'node:fs';
import { runCli } from './cli/main.ts';

// The SDK warns on every run under Node 20 about its future Node 22 floor; package.json's `engines`
// already says what key-audit supports, and a multi-line warning would break one-line error output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that stops early (`| head`) closes the pipe: the rest of the output has nowhere to go, which
// is the reader's choice, not a failure of the run. The run finishes and exits with its usual status.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => new Date(),
  version,
});
