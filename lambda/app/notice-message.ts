/**
 * The `publishNotice` function enforcement runs with: each notice as its own message on the alert topic,
 * built by the presentation layer (`buildNoticeMessage`: email text, Chatbot notification, JSON for queues,
 * attributes for filter policies such as `audience` = `second-line`).
 */
import { publishMessage, topicRegion } from '../aws/sns-publisher.ts';
import type { Notice } from '../domain/enforcement/plan.ts';
import { buildNoticeMessage, type SnsMessage } from '../present/sns/index.ts';
import type { PublishTarget } from './publish.ts';

/**
 * `publishNotice` for `runEnforcement`: each notice as its own message to `target.topicArn`. Rejects with
 * `SnsPublishError` when SNS does not accept it.
 */
export const noticePublisher =
  (target: PublishTarget, message: (notice: Notice) => SnsMessage = (n) => buildNoticeMessage(n).message) =>
  async (notice: Notice): Promise<void> => {
    await publishMessage(target.sns(topicRegion(target.topicArn)), target.topicArn, message(notice));
  };
