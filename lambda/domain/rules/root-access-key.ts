import { CATALOGUE } from '../catalogue.ts';
import { findingId, ROOT_USER_NAME } from '../finding-id.ts';
import type { AccessKey, AccountScan } from '../inventory.ts';
import { isActive } from '../inventory.ts';
import { ageInDays } from '../policy.ts';
import { formatAge, keyLabel, usedPhrase } from '../wording.ts';
import type { Rule, RuleContext, RuleHit } from './rule.ts';

const metadata = CATALOGUE['root-access-key'];

const lastUsedTime = (key: AccessKey): number => key.lastUsedAt?.getTime() ?? Number.NEGATIVE_INFINITY;

/** Accounts whose root user has an active access key: one hit per account, about the most recently used key. */
export const checkRootAccessKey = (account: AccountScan, { asOf }: RuleContext): RuleHit[] => {
  if (account.status !== 'scanned' || account.root === null) return [];
  const active = account.root.accessKeys.filter(isActive);
  if (!account.root.hasActiveAccessKey && active.length === 0) return [];
  // The key last in use is the one whose usage must be moved first; the finding describes that one.
  const key = [...active].sort((a, b) => lastUsedTime(b) - lastUsedTime(a))[0];
  const position = key === undefined ? 0 : account.root.accessKeys.indexOf(key) + 1;
  const detail =
    key === undefined
      ? 'an active access key'
      : `${active.length === 1 ? 'an active access key' : `${active.length} active access keys`} ` +
        `(key ${keyLabel(key.accessKeyId, key.slot ?? position)}, ${formatAge(ageInDays(key.createdAt, asOf))} old, ` +
        `${usedPhrase(key)})`;
  return [
    {
      id: findingId(metadata.id, account.accountId),
      accountId: account.accountId,
      userName: ROOT_USER_NAME,
      userArn: null,
      accessKeyId: key?.accessKeyId ?? null,
      keySlot: key?.slot ?? null,
      ageDays: key === undefined ? null : ageInDays(key.createdAt, asOf),
      since: null,
      overdueDays: null,
      lastUsedAt: key?.lastUsedAt ?? null,
      lastUsedService: key?.lastUsedService ?? null,
      lastUsedRegion: key?.lastUsedRegion ?? null,
      message: `The root user of account ${account.accountId} has ${detail}: move its work to an IAM role and delete it now.`,
    },
  ];
};

/** `root-access-key`: never exemptible, a root key is never an acceptable risk. */
export const rootAccessKey: Rule = { metadata, exemptible: false, check: checkRootAccessKey };
