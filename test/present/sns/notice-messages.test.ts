import { describe, expect, it } from 'vitest';
import { noticeSubject, noticeText } from '../../../lambda/domain/enforcement/notice-text.ts';
import type { Notice } from '../../../lambda/domain/enforcement/plan.ts';
import { reactivateCommand } from '../../../lambda/domain/enforcement/undo.ts';
import { SNS_MAX_BYTES } from '../../../lambda/present/render/fit.ts';
import { MESSAGE_PROTOCOLS, snsMessageBytes } from '../../../lambda/present/sns/message.ts';
import {
  buildNoticeMessage,
  buildNoticeMessages,
  type JsonNotice,
  noticeNotification,
} from '../../../lambda/present/sns/notice-messages.ts';
import { isValidSnsSubject } from '../../../lambda/present/sns/subject.ts';

const notice = (overrides: Partial<Notice> = {}): Notice => ({
  accountId: '111111111111',
  userName: 'svc_orders',
  userArn: 'arn:aws:iam::111111111111:user/svc_orders',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  action: 'deactivate',
  noticedAt: new Date('2026-06-08T06:00:00Z'),
  dueAt: new Date('2026-06-22T06:00:00Z'),
  lastUsedAtNoticed: new Date('2026-03-01T10:00:00Z'),
  production: true,
  owner: 'team-orders@example.com',
  reason: 'last used 2026-03-01 (deactivated after 90 days unused)',
  mode: 'apply',
  ...overrides,
});

const protocolsOf = (built: ReturnType<typeof buildNoticeMessage>): Record<string, string> =>
  JSON.parse(built.message.message) as Record<string, string>;

describe('buildNoticeMessage', () => {
  const built = buildNoticeMessage(notice());
  const protocols = protocolsOf(built);

  it('does name the key in the subject and fill every protocol', () => {
    expect(built.message.subject).toBe(noticeSubject(notice()));
    expect(built.message.subject).toContain('AKIAIOSFODNN7EXAMPLE');
    expect(isValidSnsSubject(built.message.subject)).toBe(true);
    expect(Object.keys(protocols).sort()).toEqual([...MESSAGE_PROTOCOLS].sort());
  });

  it('does give email the notice text and default the same on one bounded line', () => {
    expect(protocols.email).toBe(`${noticeText(notice())}\n`);
    expect(protocols.default).not.toContain('\n');
    expect(protocols.default).toContain('AKIAIOSFODNN7EXAMPLE');
    expect(protocols.default?.length).toBeLessThanOrEqual(1_000);
  });

  it('does give sqs and lambda the notice as JSON, instants as ISO and the undo command', () => {
    const json = JSON.parse(protocols.sqs ?? '') as JsonNotice;
    expect(protocols.lambda).toBe(protocols.sqs);
    expect(json).toEqual({
      schemaVersion: 1,
      kind: 'notice',
      mode: 'apply',
      action: 'deactivate',
      accountId: '111111111111',
      userName: 'svc_orders',
      userArn: 'arn:aws:iam::111111111111:user/svc_orders',
      owner: 'team-orders@example.com',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      noticedAt: '2026-06-08T06:00:00.000Z',
      dueAt: '2026-06-22T06:00:00.000Z',
      lastUsedAtNoticed: '2026-03-01T10:00:00.000Z',
      reason: 'last used 2026-03-01 (deactivated after 90 days unused)',
      production: true,
      undoCommand: reactivateCommand('svc_orders', 'AKIAIOSFODNN7EXAMPLE'),
    });
    const deletion = JSON.parse(protocolsOf(buildNoticeMessage(notice({ action: 'delete' }))).sqs ?? '');
    expect(deletion.undoCommand).toBeNull();
  });

  it('does send a production notice to the 2nd line: audience second-line and production true', () => {
    expect(built.message.attributes).toEqual({
      kind: { type: 'String', value: 'notice' },
      action: { type: 'String', value: 'deactivate' },
      accountId: { type: 'String', value: '111111111111' },
      owner: { type: 'String', value: 'team-orders@example.com' },
      production: { type: 'String', value: 'true' },
      audience: { type: 'String', value: 'second-line' },
    });
  });

  it('does leave audience and owner out when the key is not production and has no owner', () => {
    expect(buildNoticeMessage(notice({ production: false, owner: null })).message.attributes).toEqual({
      kind: { type: 'String', value: 'notice' },
      action: { type: 'String', value: 'deactivate' },
      accountId: { type: 'String', value: '111111111111' },
      production: { type: 'String', value: 'false' },
    });
  });

  it('does count its size as SNS does, far within the limit', () => {
    expect(built.bytes).toBe(snsMessageBytes(built.message));
    expect(built.bytes).toBeLessThan(SNS_MAX_BYTES / 10);
  });
});

describe('noticeNotification', () => {
  const chat = noticeNotification(notice());

  it('does give Chatbot a custom notification titled with the subject, threaded per day', () => {
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', title: noticeSubject(notice()) },
      metadata: {
        threadId: 'key-audit-notice-2026-06-08',
        eventType: 'KeyAuditNotice',
        relatedResources: ['111111111111'],
      },
    });
    expect(chat.content.keywords).toEqual(['key-audit', 'notice', 'deactivate', 'production']);
    for (const value of Object.values(chat.metadata.additionalContext)) expect(typeof value).toBe('string');
  });

  it('does keep the undo command copyable as inline code, with no zero-width space in it', () => {
    const command = reactivateCommand('svc_orders', 'AKIAIOSFODNN7EXAMPLE');
    expect(chat.content.description).toContain(`\`${command}\``);
    expect(chat.content.description.split('\n').at(-1)).toBe(`Undo after deactivation: \`${command}\``);
  });

  it('does keep tag values from formatting the chat message', () => {
    const hostile = noticeNotification(notice({ owner: '<!channel> *all*' })).content.description;
    expect(hostile).not.toMatch(/[<>]/);
    expect(hostile).toContain('*\u200ball*\u200b');
  });
});

describe('buildNoticeMessages', () => {
  it('does build one message per notice, in the order given', () => {
    const notices = [
      notice(),
      notice({ userName: 'bob', accessKeyId: 'AKIAI44QH8DHBEXAMPLE', production: false }),
    ];
    const built = buildNoticeMessages(notices);
    expect(built.map((b) => b.notice)).toEqual(notices);
    expect(built.map((b) => b.message.subject)).toEqual(notices.map(noticeSubject));
  });
});
