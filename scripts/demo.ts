/**
 * `npm run demo`: the main job on bundled sample data. Three accounts' credential reports, one
 * configuration with an exemption, evaluated at a fixed instant so the output is the same every time.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../bin/cli/exit-code.ts';
import { runCli } from '../bin/cli/main.ts';

export const DEMO_AS_OF = '2026-11-23T09:00:00Z';
const REPORTS = 'examples/credential-reports';

const files = readdirSync(REPORTS)
  .filter((f) => f.endsWith('.csv'))
  .sort()
  .map((f) => join(REPORTS, f));
const argv = ['scan', '--credential-report', ...files, '--config', 'examples/key-audit.config.json'];
argv.push('--as-of', DEMO_AS_OF);

process.stdout.write(`$ key-audit ${argv.join(' ')}\n\n`);
const code = await runCli(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => new Date(),
  version: 'demo',
});
process.stdout.write(
  [
    '',
    `The CLI exited ${code}${code === EXIT.violations ? ' (violations found), as CI would see it' : ''}.`,
    'The same report as people receive it:',
    '  email (weekly report):  docs/examples/report-email.txt',
    '  Slack (AWS Chatbot):    docs/examples/report-slack.json',
    '  on-call alert:          docs/examples/alert.txt',
    '  JSON (schemaVersion 1): docs/examples/report.json',
    'Try: npm run --silent key-audit -- scan --help',
    '',
  ].join('\n'),
);
// Violations are the point of the demo; anything else (1, 3) is a real failure.
process.exitCode = code === EXIT.violations || code === EXIT.ok ? 0 : code;
