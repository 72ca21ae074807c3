/**
 * Building SNS messages from reports: pure (no AWS SDK), so the exact bytes key-audit publishes can be
 * tested and measured. The weekly report is one message; alerts are one message per finding.
 */
export {
  type AlertChoice,
  type AlertMessages,
  type AlertMessagesOptions,
  alertAttributes,
  alertDefaultText,
  alertSubject,
  buildAlertMessages,
  DEFAULT_MAX_ALERT_MESSAGES,
  DIGEST_RULE,
} from './alert-messages.ts';
export {
  attributeBytes,
  highestSeverity,
  MESSAGE_PROTOCOLS,
  type MessageProtocol,
  NO_SEVERITY,
  numberAttribute,
  type SnsAttribute,
  type SnsMessage,
  snsMessageBytes,
  stringAttribute,
} from './message.ts';
export {
  type BuiltNotice,
  buildNoticeMessage,
  buildNoticeMessages,
  type JsonNotice,
  noticeMessageAttributes,
  noticeNotification,
  toJsonNotice,
} from './notice-messages.ts';
export {
  assembleMessage,
  type BuiltMessage,
  buildReportMessage,
  type ReportMessageOptions,
  reportAttributes,
} from './report-message.ts';
export {
  buildStructuredMessage,
  type FitStage,
  MAX_IDS_LISTED,
  type StructuredMessage,
  type StructuredMessageOptions,
  summaryText,
} from './structured-message.ts';
export { FALLBACK_SUBJECT, isValidSnsSubject, MAX_SUBJECT_LENGTH, snsSubject } from './subject.ts';
