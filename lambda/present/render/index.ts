/**
 * Renderers: one Report, many formats (terminal, JSON, Markdown, email, chat), and size budgets. Words
 * come from `lambda/domain/wording.ts`; this folder only lays them out.
 */

export { type EmailOptions, type RenderedEmail, renderEmail } from './email.ts';
export { type BudgetedRender, type FitResult, fitToBytes, SNS_MAX_BYTES } from './fit.ts';
export { DEFAULT_PREFIX, type HeadlineOptions, headline, MAX_HEADLINE_LENGTH } from './headline.ts';
export {
  type JsonAccount,
  type JsonFinding,
  type JsonRenderOptions,
  type JsonReport,
  renderJson,
  toJsonReport,
} from './json.ts';
export { type MarkdownOptions, renderMarkdown } from './markdown.ts';
export type {
  AccountOmission,
  FindingCounts,
  OmittedFindings,
  RenderKind,
  RenderOptions,
} from './options.ts';
export { type ChatbotNotification, renderSlack, renderSlackJson, type SlackOptions } from './slack.ts';
export { renderTable, type TableOptions } from './table.ts';
export { stripAnsi } from './text.ts';
