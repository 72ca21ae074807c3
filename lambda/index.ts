/**
 * `key-audit`: the engine as a library, the same one the CLI and the Lambda run
 * (`accounts -> inventory -> findings -> report -> renderers`). The constructs are in `key-audit/cdk`.
 *
 * @example
 * import { DEFAULT_POLICY, readCredentialReportFiles, renderMarkdown, reportFromInventory } from 'key-audit';
 * const accounts = await readCredentialReportFiles(['111111111111.csv']);
 * const report = reportFromInventory({ accounts }, { asOf: new Date(), policy: DEFAULT_POLICY });
 * console.log(renderMarkdown(report));
 */
export { readCredentialReportFiles } from '../bin/cli/read-inputs.ts';
export {
  type AlertPublication,
  publishAlerts,
  publishReport,
  type ReportPublication,
} from './app/publish.ts';
export { reportFromInventory } from './app/report-from-inventory.ts';
export { type LiveAudit, runLiveAudit } from './app/run-audit.ts';
export { type AwsClients, CallCounter, type CallStats, createAwsClients } from './aws/client-factory.ts';
export { createSnsClientFactory, SnsPublishError } from './aws/sns-publisher.ts';
export type { AlertPolicy } from './domain/alerts.ts';
export { type ParsedCredentialReport, parseCredentialReport } from './domain/credential-report.ts';
export { ConfigurationError, CredentialReportParseError, InputError } from './domain/errors.ts';
export { evaluate } from './domain/evaluate.ts';
export type { Finding, RuleId } from './domain/finding.ts';
export type { AccessKey, IamUser, Inventory, ScannedAccount } from './domain/inventory.ts';
export { type ConfiguredExemption, DEFAULT_POLICY, type Policy } from './domain/policy.ts';
export type { Report, Summary } from './domain/report.ts';
export { SEVERITIES, type Severity } from './domain/severity.ts';
export {
  type JsonReport,
  renderEmail,
  renderJson,
  renderMarkdown,
  renderSlackJson,
  renderTable,
} from './present/render/index.ts';
export type { ScanOptions, ScanResult } from './scan/scan-accounts.ts';
export type { ScanTargets } from './scan/targets.ts';
