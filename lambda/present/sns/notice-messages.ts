/**
 * Enforcement notices as SNS messages for the alert topic: ONE MESSAGE PER KEY, the key named in the
 * subject and the text, built like the alert messages (JSON-structured: `default` one line, `email` the
 * notice text, `https` an AWS Chatbot notification, `sqs`/`lambda` the notice as JSON). Attributes come
 * from `noticeAttributes`: `kind` = `notice`, `action`, `accountId`, `owner` when known, `production`, and
 * for production keys `audience` = `second-line`, so that a 2nd-line subscription filters on it and hears
 * first. The words are the domain's (`notice-text.ts`); this module only lays them out per protocol.
 */

import { noticeAttributes, noticeSubject, noticeText } from '../../domain/enforcement/notice-text.ts';
import type { Notice } from '../../domain/enforcement/plan.ts';
import { reactivateCommand } from '../../domain/enforcement/undo.ts';
import type { EnforcementActionType } from '../../domain/memory.ts';
import { formatDate, oneLine } from '../../domain/wording.ts';
import type { ChatbotNotification } from '../render/slack.ts';
import { slackCode, slackSafe } from '../render/slack.ts';
import type { MessageProtocol, SnsAttribute, SnsMessage } from './message.ts';
import { snsMessageBytes, stringAttribute } from './message.ts';
import { snsSubject } from './subject.ts';

/** The most characters of a notice's `default` text (SMS and unknown protocols). */
const MAX_DEFAULT_CHARS = 1_000;

/** A notice in the JSON the `sqs` and `lambda` protocols receive. */
export interface JsonNotice {
  readonly schemaVersion: 1;
  readonly kind: 'notice';
  /** `plan`: key-audit will not act (the notice says what apply mode would do). */
  readonly mode: Notice['mode'];
  readonly action: EnforcementActionType;
  readonly accountId: string;
  readonly userName: string;
  readonly userArn: string;
  readonly owner: string | null;
  readonly accessKeyId: string;
  readonly noticedAt: string;
  /** The earliest instant the action may happen. */
  readonly dueAt: string;
  readonly lastUsedAtNoticed: string | null;
  readonly reason: string;
  readonly production: boolean;
  /** The command that re-activates the key after a deactivation; null for a deletion. */
  readonly undoCommand: string | null;
}

/** A notice message ready to publish, with the size SNS counts. */
export interface BuiltNotice {
  readonly notice: Notice;
  readonly message: SnsMessage;
  readonly bytes: number;
}

/** The notice as JSON (every key present, instants ISO-8601). */
export const toJsonNotice = (notice: Notice): JsonNotice => ({
  schemaVersion: 1,
  kind: 'notice',
  mode: notice.mode,
  action: notice.action,
  accountId: notice.accountId,
  userName: notice.userName,
  userArn: notice.userArn,
  owner: notice.owner,
  accessKeyId: notice.accessKeyId,
  noticedAt: notice.noticedAt.toISOString(),
  dueAt: notice.dueAt.toISOString(),
  lastUsedAtNoticed: notice.lastUsedAtNoticed?.toISOString() ?? null,
  reason: notice.reason,
  production: notice.production,
  undoCommand: notice.action === 'deactivate' ? reactivateCommand(notice.userName, notice.accessKeyId) : null,
});

/** The message attributes of a notice (`noticeAttributes` as SNS String attributes; empty ones left out). */
export const noticeMessageAttributes = (notice: Notice): Record<string, SnsAttribute> => {
  const attributes: Record<string, SnsAttribute> = {};
  for (const [name, value] of Object.entries(noticeAttributes(notice))) {
    const attribute = stringAttribute(value);
    if (attribute !== null) attributes[name] = attribute;
  }
  return attributes;
};

/** One line of the notice text for chat: made safe, the re-activation command as inline code (copyable). */
const chatLine = (line: string, command: string): string => {
  const at = line.indexOf(command);
  if (at === -1) return slackSafe(line);
  const before = line.slice(0, at);
  const after = line.slice(at + command.length);
  return `${before === '' ? '' : `${slackSafe(before)} `}${slackCode(command)}${after.trim() === '' ? '' : ` ${slackSafe(after)}`}`;
};

/** The notice as an AWS Chatbot custom notification (the `https` protocol). */
export const noticeNotification = (notice: Notice): ChatbotNotification => {
  const title = noticeSubject(notice);
  const command = reactivateCommand(notice.userName, notice.accessKeyId);
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title,
      description: noticeText(notice)
        .split('\n')
        .map((line) => chatLine(line, command))
        .join('\n'),
      nextSteps: [],
      keywords: ['key-audit', 'notice', notice.action, ...(notice.production ? ['production'] : [])],
    },
    metadata: {
      // A day's notices share a thread, as a day's alerts do.
      threadId: `key-audit-notice-${formatDate(notice.noticedAt)}`,
      summary: title,
      eventType: 'KeyAuditNotice',
      relatedResources: [notice.accountId],
      additionalContext: {
        accountId: notice.accountId,
        userName: notice.userName,
        accessKeyId: notice.accessKeyId,
        action: notice.action,
        dueAt: notice.dueAt.toISOString(),
        production: String(notice.production),
        mode: notice.mode,
      },
    },
  };
};

/** The `default` text: the whole notice on one line, at most 1,000 characters. */
const defaultText = (notice: Notice): string =>
  oneLine(noticeText(notice).replaceAll('\n', ' ')).slice(0, MAX_DEFAULT_CHARS);

/** The SNS message of one notice (`MessageStructure: "json"`), with its size. */
export const buildNoticeMessage = (notice: Notice): BuiltNotice => {
  const json = JSON.stringify(toJsonNotice(notice));
  const protocols: Record<MessageProtocol, string> = {
    default: defaultText(notice),
    email: `${noticeText(notice)}\n`,
    https: JSON.stringify(noticeNotification(notice)),
    sqs: json,
    lambda: json,
  };
  const message: SnsMessage = {
    subject: snsSubject(noticeSubject(notice)),
    message: JSON.stringify(protocols),
    attributes: noticeMessageAttributes(notice),
  };
  return { notice, message, bytes: snsMessageBytes(message) };
};

/** One message per notice, in the order given (the plan's: most urgent first). */
export const buildNoticeMessages = (notices: readonly Notice[]): BuiltNotice[] =>
  notices.map(buildNoticeMessage);
