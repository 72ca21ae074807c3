/**
 * `tsx scripts/render-examples.ts`: renders docs/examples/ from the demo data (examples/credential-reports
 * and examples/key-audit.config.json, evaluated at the demo instant), exactly as subscribers receive it:
 * the weekly report's SNS message (email, Chatbot notification, JSON) and the most urgent alert of the
 * same run, plus the Markdown rendering. The output is deterministic; test/scripts/render-examples.test.ts
 * fails when the committed files differ from it, so the examples cannot rot.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPolicy } from '../bin/cli/load-policy.ts';
import { readCredentialReportFiles } from '../bin/cli/read-inputs.ts';
import { reportFromInventory } from '../lambda/app/report-from-inventory.ts';
import type { Report } from '../lambda/domain/report.ts';
import { renderMarkdown } from '../lambda/present/render/index.ts';
import { buildAlertMessages, buildReportMessage, type SnsMessage } from '../lambda/present/sns/index.ts';

/** The instant the demo evaluates at (as `npm run demo`). */
export const EXAMPLES_AS_OF = new Date('2026-11-23T09:00:00Z');

/** The alert policy of the example alert: the CLI's defaults (`--alert-since 24h --alert-severity high`). */
export const EXAMPLES_ALERT_POLICY = { alertSeverity: 'high', windowMs: 24 * 3_600_000 } as const;

/** The repository root. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the examples go, relative to the root. */
export const EXAMPLES_DIR = 'docs/examples';

/** The demo report. */
export const demoReport = async (root: string = PROJECT_ROOT): Promise<Report> => {
  const reports = join(root, 'examples', 'credential-reports');
  const files = (await readdir(reports))
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => join(reports, f));
  const policy = await loadPolicy(join(root, 'examples', 'key-audit.config.json'), {});
  return reportFromInventory(
    { accounts: await readCredentialReportFiles(files) },
    { asOf: EXAMPLES_AS_OF, policy },
  );
};

const protocols = (message: SnsMessage): Record<string, string> =>
  JSON.parse(message.message) as Record<string, string>;

const prettyJson = (text: string | undefined): string =>
  `${JSON.stringify(JSON.parse(text ?? 'null'), null, 2)}\n`;

const emailFile = (message: SnsMessage): string =>
  `Subject: ${message.subject}\n\n${protocols(message).email ?? ''}`;

/** Every example file by name, with its content. */
export const renderExamples = async (root: string = PROJECT_ROOT): Promise<Record<string, string>> => {
  const report = await demoReport(root);
  const weekly = buildReportMessage(report).message;
  const alerts = buildAlertMessages(report, { alertPolicy: EXAMPLES_ALERT_POLICY });
  const [alert] = alerts.messages;
  if (alert === undefined) throw new Error('the demo data raises no alert: the example alert would be empty');
  const markdown = renderMarkdown(report);
  return {
    'report-email.txt': emailFile(weekly),
    'report-slack.json': prettyJson(protocols(weekly).https),
    'report.json': prettyJson(protocols(weekly).sqs),
    'report.md': markdown.endsWith('\n') ? markdown : `${markdown}\n`,
    'alert.txt': emailFile(alert.message),
    'alert-slack.json': prettyJson(protocols(alert.message).https),
  };
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const directory = join(PROJECT_ROOT, EXAMPLES_DIR);
  await mkdir(directory, { recursive: true });
  for (const [name, content] of Object.entries(await renderExamples())) {
    await writeFile(join(directory, name), content);
    process.stdout.write(`wrote ${EXAMPLES_DIR}/${name}\n`);
  }
}
