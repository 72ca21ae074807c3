/**
 * The weekly report as ONE SNS message: every protocol gets its rendering of the same report, the subject
 * names the counts, and attributes let subscriptions filter (`severity`: the highest present; `violations`).
 */

import type { Report } from '../../domain/report.ts';
import { formatDateTime } from '../../domain/wording.ts';
import { headline, type OmittedFindings, SNS_MAX_BYTES } from '../render/index.ts';
import { utf8Bytes } from '../render/text.ts';
import {
  attributeBytes,
  highestSeverity,
  NO_SEVERITY,
  numberAttribute,
  type SnsAttribute,
  type SnsMessage,
  stringAttribute,
} from './message.ts';
import { buildStructuredMessage, type FitStage } from './structured-message.ts';
import { snsSubject } from './subject.ts';

/** A message ready to publish, and what fitting it to SNS's limit did. */
export interface BuiltMessage {
  readonly message: SnsMessage;
  /** Size SNS counts (message, subject and attributes). */
  readonly bytes: number;
  /** Findings left out of the renderings (counted in them instead), or null. */
  readonly omitted: OmittedFindings | null;
  readonly stage: FitStage;
}

/** Options of `buildReportMessage`. */
export interface ReportMessageOptions {
  /** @default SNS_MAX_BYTES */
  readonly maxBytes?: number;
}

/** Subject, attributes and body measured together against `maxBytes`. */
export const assembleMessage = (
  report: Report,
  parts: {
    readonly kind: 'report' | 'alert';
    readonly subject: string;
    readonly defaultText: string;
    readonly attributes: Readonly<Record<string, SnsAttribute>>;
    readonly newSince?: Date;
    readonly maxBytes: number;
  },
): BuiltMessage => {
  const subject = snsSubject(parts.subject);
  const overhead = utf8Bytes(subject) + attributeBytes(parts.attributes);
  const built = buildStructuredMessage(report, {
    kind: parts.kind,
    defaultText: parts.defaultText,
    maxBytes: parts.maxBytes - overhead,
    ...(parts.newSince === undefined ? {} : { newSince: parts.newSince }),
  });
  return {
    message: { subject, message: built.message, attributes: parts.attributes },
    bytes: built.bytes + overhead,
    omitted: built.omitted,
    stage: built.stage,
  };
};

/** The report's attributes: `severity` (highest non-exempt finding, or `none`) and `violations`. */
export const reportAttributes = (report: Report): Record<string, SnsAttribute> => {
  const severity = stringAttribute(highestSeverity(report.findings) ?? NO_SEVERITY);
  return {
    ...(severity === null ? {} : { severity }),
    violations: numberAttribute(report.summary.violations),
  };
};

/** The message of the weekly report, within `maxBytes` however large the report. */
export const buildReportMessage = (report: Report, options: ReportMessageOptions = {}): BuiltMessage => {
  const title = headline(report, { kind: 'report' });
  return assembleMessage(report, {
    kind: 'report',
    subject: title,
    defaultText: `${title} (as of ${formatDateTime(report.asOf)}).`,
    attributes: reportAttributes(report),
    maxBytes: options.maxBytes ?? SNS_MAX_BYTES,
  });
};
