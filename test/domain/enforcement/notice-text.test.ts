import { describe, expect, it } from 'vitest';
import {
  noticeAttributes,
  noticeSubject,
  noticeText,
  SECOND_LINE_AUDIENCE,
} from '../../../lambda/domain/enforcement/notice-text.ts';
import { ACCOUNT_ID, enforcementNotice } from '../factories.ts';

const notice = enforcementNotice;

describe('noticeSubject', () => {
  it('names the key, user, account, action and date', () => {
    expect(noticeSubject(notice())).toBe(
      'key-audit NOTICE: deactivate AKIAIOSFODNN7EXAMPLE (alice, 111122223333) on 2026-06-22',
    );
  });

  it('drops the user name when the subject would reach 100 characters', () => {
    const subject = noticeSubject(notice({ userName: 'u'.repeat(64), action: 'delete' }));
    expect(subject).toBe('key-audit NOTICE: delete AKIAIOSFODNN7EXAMPLE in 111122223333 on 2026-06-22');
    expect(subject.length).toBeLessThan(100);
  });
});

describe('noticeText', () => {
  it('says what happens when, why, who owns the key, how to stop it and how to undo it', () => {
    expect(noticeText(notice())).toBe(
      [
        'key-audit will deactivate access key AKIAIOSFODNN7EXAMPLE of user alice in account 111122223333 on or after 2026-06-22 (in 7 days).',
        'Owner: alice@example.com.',
        'Why: last used 2026-03-22 (deactivated after 90 days unused).',
        'To stop it before 2026-06-22: rotate the key (create a new key, move everything that uses this one to it, then delete this one), use it, or exempt the user (tags key-audit:exempt-until and key-audit:exempt-reason).',
        'Undo after deactivation: aws iam update-access-key --user-name alice --access-key-id AKIAIOSFODNN7EXAMPLE --status Active',
      ].join('\n'),
    );
  });

  it('tells production, plan mode, unknown owners and deletions apart', () => {
    const text = noticeText(notice({ production: true, mode: 'plan', owner: null, action: 'delete' }));
    expect(text).toContain('plan mode: it will not change this key');
    expect(text).toContain('Production account: the 2nd line is told first.');
    expect(text).toContain('Owner: unknown');
    expect(text).toContain('re-activate the key if something still needs it');
    expect(text).toContain('A deletion cannot be undone.');
  });
});

describe('noticeAttributes', () => {
  it('addresses production notices to the 2nd line', () => {
    expect(noticeAttributes(notice({ production: true }))).toEqual({
      kind: 'notice',
      action: 'deactivate',
      accountId: ACCOUNT_ID,
      owner: 'alice@example.com',
      production: 'true',
      audience: SECOND_LINE_AUDIENCE,
    });
  });

  it('has no audience for other notices', () => {
    expect(noticeAttributes(notice({ owner: null }))).toEqual({
      kind: 'notice',
      action: 'deactivate',
      accountId: ACCOUNT_ID,
      production: 'false',
    });
  });
});
