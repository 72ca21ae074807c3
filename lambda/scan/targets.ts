/**
 * What a scan covers, and the checks on it made before any AWS call, so that a typo in an account or OU
 * id fails at once with a one-line message naming the value.
 */
import { ACCOUNT_ID_RULE, OU_OR_ROOT_ID_RULE, requireId } from '../domain/aws-ids.ts';
import { InputError } from '../domain/errors.ts';

/** The accounts a scan covers. */
export type ScanTargets =
  /** The caller's own account, with the caller's own credentials (no AssumeRole). */
  | { readonly kind: 'caller' }
  /** These accounts, each through AssumeRole into the member role. */
  | { readonly kind: 'accounts'; readonly accountIds: readonly string[] }
  /** The organisation's ACTIVE accounts (optionally under `ous` only, minus `exclude`), via AssumeRole. */
  | { readonly kind: 'organisation'; readonly ous?: readonly string[]; readonly exclude?: readonly string[] };

/** Returns `value` when it is a 12-digit AWS account id; throws `InputError` naming it otherwise. */
export const validateAccountId = (value: string): string => requireId(ACCOUNT_ID_RULE, value);

/** Returns `value` when it is an OU id (`ou-...`) or root id (`r-...`); throws `InputError` otherwise. */
export const validateOuId = (value: string): string => requireId(OU_OR_ROOT_ID_RULE, value);

/** Ids in first-seen order without repeats. */
const unique = (values: readonly string[]): string[] => [...new Set(values)];

/** `targets` with every id checked and duplicates removed. Throws `InputError` for the first bad id. */
export const validateTargets = (targets: ScanTargets): ScanTargets => {
  switch (targets.kind) {
    case 'caller':
      return targets;
    case 'accounts':
      if (targets.accountIds.length === 0)
        throw new InputError('no account ids given: expected at least one');
      return { kind: 'accounts', accountIds: unique(targets.accountIds.map(validateAccountId)) };
    case 'organisation':
      return {
        kind: 'organisation',
        ous: unique((targets.ous ?? []).map(validateOuId)),
        exclude: unique((targets.exclude ?? []).map(validateAccountId)),
      };
  }
};
