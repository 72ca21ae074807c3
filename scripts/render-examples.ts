/**
 * `tsx scripts/render-examples.ts`: renders docs/examples/ from the demo data (examples/credential-reports
 * and examples/key-audit.config.json, evaluated at the demo instant), exactly as subscribers receive it:
 * the weekly report's SNS message (email, Chatbot notification, JSON) and the most urgent alert of the
 * same run, plus the Markdown rendering. The weekly report is shown as a run with a history and
 * enforcement would make it (`weeklyReport`): a trend against the previous week, one action done and one
 * planned, and where the complete report is stored. The output is deterministic;
 * test/scripts/render-examples.test.ts fails when the committed files differ from it, so the examples
 * cannot rot.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPolicy } from '../bin/cli/load-policy.ts';
import { readCredentialReportFiles } from '../bin/cli/read-inputs.ts';
import { reportFromInventory } from '../lambda/app/report-from-inventory.ts';
import type { ReportedAction } from '../lambda/domain/enforcement/record.ts';
import { summarise } from '../lambda/domain/evaluate.ts';
import type { Finding } from '../lambda/domain/finding.ts';
import { reportKey } from '../lambda/domain/history-layout.ts';
import type { Report } from '../lambda/domain/report.ts';
import type { ComparableReport } from '../lambda/domain/stored-report.ts';
import { trend } from '../lambda/domain/trend.ts';
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

/** The demo's production account (examples/README.md): its keys get the 2nd-line warning. */
export const EXAMPLES_PRODUCTION_ACCOUNT = '111111111111';

/** The previous weekly report the example trend compares with. */
export const EXAMPLES_PREVIOUS_AS_OF = new Date('2026-11-16T09:00:00Z');

/** Findings of the previous week that are gone now (keys rotated or deleted since). */
const RESOLVED: readonly Pick<Finding, 'rule' | 'accountId' | 'userName' | 'severity'>[] = [
  { rule: 'key-too-old', accountId: '111111111111', userName: 'svc-payments', severity: 'high' },
  { rule: 'key-too-old', accountId: '111111111111', userName: 'svc-invoicing', severity: 'high' },
  { rule: 'key-unused', accountId: '222222222222', userName: 'svc-batch-import', severity: 'medium' },
  { rule: 'two-active-keys', accountId: '222222222222', userName: 'ci-release', severity: 'medium' },
  { rule: 'key-too-old', accountId: '333333333333', userName: 'ml-notebook', severity: 'critical' },
  { rule: 'key-unused', accountId: '333333333333', userName: 'demo-2025', severity: 'medium' },
];

/**
 * The previous week's report as the history would hold it: this week's findings but those that became true
 * since, plus the ones resolved since (`RESOLVED`).
 */
const previousWeek = (report: Report): ComparableReport => {
  const before = (finding: Finding): boolean =>
    finding.exempt || finding.since === null || finding.since.getTime() <= EXAMPLES_PREVIOUS_AS_OF.getTime();
  const template = report.findings[0];
  if (template === undefined) throw new Error('the demo data raises no finding: no trend to show');
  const resolved = RESOLVED.map(
    (gone): Finding => ({ ...template, ...gone, id: `${gone.rule}:${gone.accountId}:${gone.userName}#1` }),
  );
  const findings = [...report.findings.filter(before), ...resolved];
  return {
    asOf: EXAMPLES_PREVIOUS_AS_OF,
    accounts: report.accounts,
    findings,
    summary: summarise(report.accounts, findings),
  };
};

/**
 * What enforcement did in the example run (as with the IAM API, which gives key ids: credential reports
 * give none, and a key without id is never acted on): one key deactivated now, one announced for later.
 */
const EXAMPLE_ACTIONS: readonly ReportedAction[] = [
  {
    type: 'deactivate',
    accountId: '333333333333',
    userName: 'svc-data-scraper',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    dueAt: new Date('2026-11-23T09:00:00Z'),
    status: 'done',
    reason: 'last used 2026-07-26 (deactivated after 90 days unused)',
    production: false,
  },
  {
    type: 'deactivate',
    accountId: '333333333333',
    userName: 'hackathon-bot',
    accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
    dueAt: new Date('2026-12-13T13:04:45Z'),
    status: 'planned',
    reason: 'never used since its creation on 2026-09-14 (deactivated after 90 days unused)',
    production: false,
  },
];

/** The bucket of the example history. */
const EXAMPLES_HISTORY_BUCKET = 'key-audit-history-999999999999';

/** The demo report as the weekly job with a history and enforcement sends it. */
export const weeklyReport = (report: Report): Report => {
  const findings = report.findings.map((finding) => ({
    ...finding,
    production: finding.accountId === EXAMPLES_PRODUCTION_ACCOUNT,
  }));
  const key = reportKey('report', report.asOf);
  return {
    ...report,
    findings,
    trend: trend(previousWeek(report), report),
    actions: EXAMPLE_ACTIONS,
    newExemptions: [],
    storedAt: {
      uri: `s3://${EXAMPLES_HISTORY_BUCKET}/${key}`,
      consoleUrl: `https://console.aws.amazon.com/s3/object/${EXAMPLES_HISTORY_BUCKET}?region=eu-west-2&prefix=${key}`,
    },
  };
};

const protocols = (message: SnsMessage): Record<string, string> =>
  JSON.parse(message.message) as Record<string, string>;

const prettyJson = (text: string | undefined): string =>
  `${JSON.stringify(JSON.parse(text ?? 'null'), null, 2)}\n`;

const emailFile = (message: SnsMessage): string =>
  `Subject: ${message.subject}\n\n${protocols(message).email ?? ''}`;

/** Every example file by name, with its content. */
export const renderExamples = async (root: string = PROJECT_ROOT): Promise<Record<string, string>> => {
  const report = weeklyReport(await demoReport(root));
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
