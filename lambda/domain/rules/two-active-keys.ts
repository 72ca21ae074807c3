import { CATALOGUE } from '../catalogue.ts';
import type { RotationState } from '../finding.ts';
import { findingId, keySubject } from '../finding-id.ts';
import type { AccountScan } from '../inventory.ts';
import { isActive } from '../inventory.ts';
import { addDays, ageInDays } from '../policy.ts';
import { formatDate, keyLabel, plural, usedPhrase } from '../wording.ts';
import { type KeyOfUser, keyFields, keysOf, type Rule, type RuleContext, type RuleHit } from './rule.ts';

const metadata = CATALOGUE['two-active-keys'];

/** The runbook's question: does anything still use the old key since the new one was created? */
export const rotationState = (old: KeyOfUser, next: KeyOfUser): RotationState => {
  const newCreatedAt = next.key.createdAt;
  const oldUsedAfterNew =
    old.key.lastUsedAt !== null && old.key.lastUsedAt.getTime() > newCreatedAt.getTime();
  return {
    // An unused new key means nothing has moved over yet: the old key's usages remain wherever it was used.
    oldKeyUsedSinceNewKey: next.key.lastUsedAt === null || oldUsedAfterNew,
    oldAccessKeyId: old.key.accessKeyId,
    oldKeySlot: old.key.slot,
    newAccessKeyId: next.key.accessKeyId,
    newKeySlot: next.key.slot,
    newKeyCreatedAt: newCreatedAt,
    newKeyLastUsedAt: next.key.lastUsedAt,
  };
};

const byCreation = (a: KeyOfUser, b: KeyOfUser): number =>
  a.key.createdAt.getTime() - b.key.createdAt.getTime() || a.position - b.position;

/**
 * Users with two active keys, one hit against the older key: `low` (a warning, "finish by DATE") while the
 * newer key is younger than `rotationGraceDays`, the catalogue's `high` from then on.
 */
export const checkTwoActiveKeys = (account: AccountScan, { asOf, policy }: RuleContext): RuleHit[] => {
  const activeByUser = new Map<string, KeyOfUser[]>();
  for (const held of keysOf(account)) {
    if (!isActive(held.key)) continue;
    const list = activeByUser.get(held.user.userName) ?? [];
    list.push(held);
    activeByUser.set(held.user.userName, list);
  }
  return [...activeByUser.values()].flatMap((active): RuleHit[] => {
    // IAM allows two keys; should a source ever list more, the oldest and newest still frame the rotation.
    const sorted = [...active].sort(byCreation);
    const old = sorted[0];
    const next = sorted.at(-1);
    if (sorted.length < 2 || old === undefined || next === undefined) return [];
    const userName = old.user.userName;
    const rotation = rotationState(old, next);
    const oldLabel = keyLabel(old.key.accessKeyId, old.key.slot ?? old.position);
    const newLabel = keyLabel(next.key.accessKeyId, next.key.slot ?? next.position);
    const graceEnd = addDays(next.key.createdAt, policy.rotationGraceDays);
    const inGrace = asOf.getTime() < graceEnd.getTime();
    const lead = inGrace
      ? `User ${userName} has two active keys: finish the rotation by ${formatDate(graceEnd)} ` +
        `(new key ${newLabel} created ${formatDate(next.key.createdAt)})`
      : `User ${userName} has had two active keys for ${plural(ageInDays(next.key.createdAt, asOf), 'day')}: ` +
        `the rotation grace of ${plural(policy.rotationGraceDays, 'day')} ended ${formatDate(graceEnd)}`;
    let state: string;
    if (next.key.lastUsedAt === null) {
      state = `the new key ${newLabel} has not been used yet and old key ${oldLabel} was ${usedPhrase(old.key)}`;
    } else if (rotation.oldKeyUsedSinceNewKey) {
      state = `old key ${oldLabel} is still in use after the new key was created, ${usedPhrase(old.key)}`;
    } else {
      state = `the new key ${newLabel} is in use and old key ${oldLabel} is idle: deactivate ${oldLabel}`;
    }
    const idleSince =
      old.key.lastUsedAt === null ? 'never used' : `idle since ${formatDate(old.key.lastUsedAt)}`;
    return [
      {
        ...keyFields(account, old, asOf),
        id: findingId(metadata.id, account.accountId, keySubject(userName, old.key, old.position)),
        since: next.key.createdAt,
        // A rotation in progress is the runbook working: a warning, not a violation, until the grace ends.
        ...(inGrace ? { severity: 'low' } : { severitySince: graceEnd }),
        overdueDays: null,
        message: `${lead}; ${state}.`,
        // Once the old key is idle, only the runbook's last step is left: say so instead of the whole rotation.
        ...(rotation.oldKeyUsedSinceNewKey
          ? {}
          : {
              remediation:
                `The new key ${newLabel} is in use and the old key ${oldLabel} ${idleSince}: deactivate the ` +
                'old key, then delete it later.',
            }),
        rotation,
      },
    ];
  });
};

/** `two-active-keys`: a rotation in progress or left unfinished. */
export const twoActiveKeys: Rule = { metadata, exemptible: true, check: checkTwoActiveKeys };
