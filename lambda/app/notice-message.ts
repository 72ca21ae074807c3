/**
 * A notice as one SNS message on the alert topic, and the `publishNotice` function enforcement runs with.
 * Minimal on purpose: subject, text and attributes come from `lambda/domain/enforcement/notice-text.ts`;
 * the presentation layer's own notice message (per-protocol renderings) replaces `noticeMessage` when it
 * exists, behind the same `publishNotice` seam.
 */
import { publishMessage, topicRegion } from '../aws/sns-publisher.ts';
import { noticeAttributes, noticeSubject, noticeText } from '../domain/enforcement/notice-text.ts';
import type { Notice } from '../domain/enforcement/plan.ts';
import { type SnsAttribute, type SnsMessage, snsSubject, stringAttribute } from '../present/sns/index.ts';
import type { PublishTarget } from './publish.ts';

/** The SNS message of one notice: every protocol receives the plain text; attributes for filter policies. */
export const noticeMessage = (notice: Notice): SnsMessage => {
  const attributes: Record<string, SnsAttribute> = {};
  for (const [name, value] of Object.entries(noticeAttributes(notice))) {
    const attribute = stringAttribute(value);
    if (attribute !== null) attributes[name] = attribute;
  }
  return {
    subject: snsSubject(noticeSubject(notice)),
    message: JSON.stringify({ default: noticeText(notice) }),
    attributes,
  };
};

/**
 * `publishNotice` for `runEnforcement`: each notice as its own message to `target.topicArn`. Rejects with
 * `SnsPublishError` when SNS does not accept it.
 */
export const noticePublisher =
  (target: PublishTarget, message: (notice: Notice) => SnsMessage = noticeMessage) =>
  async (notice: Notice): Promise<void> => {
    await publishMessage(target.sns(topicRegion(target.topicArn)), target.topicArn, message(notice));
  };
