/** How to undo what enforcement did: a deactivation is undone by re-activating the same key. */
import type { EnforcementActionType } from '../memory.ts';

/** Characters that need no quoting in a POSIX shell word (IAM user names use `[\w+=,.@-]`). */
const SHELL_SAFE = /^[\w+=,.@/:-]+$/;

/** `text` as one shell word: as is when safe, else single-quoted. */
export const shellWord = (text: string): string =>
  SHELL_SAFE.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;

/** The AWS CLI command that re-activates `accessKeyId` of `userName` (run with the account's credentials). */
export const reactivateCommand = (userName: string, accessKeyId: string): string =>
  `aws iam update-access-key --user-name ${shellWord(userName)} --access-key-id ${shellWord(accessKeyId)} --status Active`;

/**
 * The exact command that undoes `action`: for a deactivation, re-activating the key; null for a deletion
 * (it cannot be undone), a notice (nothing changed) or a key without id.
 */
export const undoCommand = (action: {
  readonly type: EnforcementActionType | 'notice';
  readonly userName: string;
  readonly accessKeyId: string | null;
}): string | null =>
  action.type === 'deactivate' && action.accessKeyId !== null
    ? reactivateCommand(action.userName, action.accessKeyId)
    : null;
