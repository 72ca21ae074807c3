/**
 * The words of a notice: one message per key, naming the account, user, owner, key id, the action and its
 * date, why, and how to stop it. Production notices carry the `audience` attribute `second-line`, so that
 * a 2nd-line subscription can filter on it and hear first.
 */
import { EXEMPT_REASON_TAG, EXEMPT_UNTIL_TAG } from '../exemptions.ts';
import { formatAge, formatDate } from '../wording.ts';
import type { Notice } from './plan.ts';
import { reactivateCommand } from './undo.ts';

/** The `audience` attribute of production notices. */
export const SECOND_LINE_AUDIENCE = 'second-line';

/** SNS subjects must stay under 100 characters. */
const MAX_SUBJECT_LENGTH = 99;

/**
 * `key-audit NOTICE: deactivate AKIA... (alice, 111122223333) on 2026-06-22`; without the user name when
 * that would be too long for a subject.
 */
export const noticeSubject = (notice: Notice): string => {
  const on = `on ${formatDate(notice.dueAt)}`;
  const full = `key-audit NOTICE: ${notice.action} ${notice.accessKeyId} (${notice.userName}, ${notice.accountId}) ${on}`;
  if (full.length <= MAX_SUBJECT_LENGTH) return full;
  return `key-audit NOTICE: ${notice.action} ${notice.accessKeyId} in ${notice.accountId} ${on}`;
};

const howToStop = (notice: Notice): string =>
  notice.action === 'deactivate'
    ? 'rotate the key (create a new key, move everything that uses this one to it, then delete this one), ' +
      `use it, or exempt the user (tags ${EXEMPT_UNTIL_TAG} and ${EXEMPT_REASON_TAG})`
    : `re-activate the key if something still needs it (${reactivateCommand(notice.userName, notice.accessKeyId)}), ` +
      `or exempt the user (tags ${EXEMPT_UNTIL_TAG} and ${EXEMPT_REASON_TAG})`;

/** The plain text of a notice, a few lines. */
export const noticeText = (notice: Notice): string => {
  const period = formatAge(Math.round((notice.dueAt.getTime() - notice.noticedAt.getTime()) / 86_400_000));
  const lines = [
    ...(notice.mode === 'plan'
      ? ['key-audit enforcement is in plan mode: it will not change this key. In apply mode:']
      : []),
    `key-audit will ${notice.action} access key ${notice.accessKeyId} of user ${notice.userName} ` +
      `in account ${notice.accountId} on or after ${formatDate(notice.dueAt)} (in ${period}).`,
    ...(notice.production ? ['Production account: the 2nd line is told first.'] : []),
    `Owner: ${notice.owner ?? 'unknown (tag the user with key-audit:owner)'}.`,
    `Why: ${notice.reason}.`,
    `To stop it before ${formatDate(notice.dueAt)}: ${howToStop(notice)}.`,
    notice.action === 'deactivate'
      ? `Undo after deactivation: ${reactivateCommand(notice.userName, notice.accessKeyId)}`
      : 'A deletion cannot be undone.',
  ];
  return lines.join('\n');
};

/**
 * Attributes subscriptions filter notices by (plain strings; the SNS layer types them): `kind` `notice`,
 * `action`, `accountId`, `owner` when known, `production`, and `audience` = `second-line` for production.
 */
export const noticeAttributes = (notice: Notice): Record<string, string> => ({
  kind: 'notice',
  action: notice.action,
  accountId: notice.accountId,
  ...(notice.owner === null ? {} : { owner: notice.owner }),
  production: String(notice.production),
  ...(notice.production ? { audience: SECOND_LINE_AUDIENCE } : {}),
});
