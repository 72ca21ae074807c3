/**
 * Stable finding ids, so that a finding keeps its id from one run to the next (alert de-duplication,
 * "new since yesterday" and tickets depend on it).
 *
 * Format: `<rule>:<accountId>[:<subject>]`, where the subject is
 * - the access key id (`key-too-old:111122223333:AKIAIOSFODNN7EXAMPLE`) when the source knows it;
 * - else `<userName>#<slot>` (`key-too-old:111122223333:alice#1`): credential reports carry slots, not ids;
 *   a key with neither id nor slot gets its 1-based position in the user's key list instead;
 * - the user name for user-level findings (`invalid-exemption:111122223333:alice`);
 * - nothing for account-level findings (`account-unreachable:111122223333`, `root-access-key:111122223333`).
 * IAM user names cannot contain `:` or `#`, so the parts never run into each other.
 */
import type { RuleId } from './finding.ts';
import type { AccessKey } from './inventory.ts';

/** The user name findings about the root user carry, as the credential report names it. */
export const ROOT_USER_NAME = '<root_account>';

/** How a finding id names one key: its id, else `<userName>#<slot or position>`. */
export const keySubject = (
  userName: string,
  key: Pick<AccessKey, 'accessKeyId' | 'slot'>,
  position: number,
): string => key.accessKeyId ?? `${userName}#${key.slot ?? position}`;

/** The stable id of a finding; `subject` is omitted for account-level findings. */
export const findingId = (rule: RuleId, accountId: string, subject?: string): string =>
  subject === undefined ? `${rule}:${accountId}` : `${rule}:${accountId}:${subject}`;
