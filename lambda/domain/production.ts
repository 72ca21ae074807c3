/**
 * Which accounts are production: listed by id, under a listed OU or root (at any depth), or carrying an
 * Organizations account tag. Production keys get a longer notice before enforcement acts, and their
 * notices go to the 2nd line first. Pure: Organizations facts are read by an adapter and passed in.
 */

/** How configuration names production accounts; any one match makes an account production. */
export interface ProductionSettings {
  /** 12-digit account ids. @default [] */
  readonly accounts?: readonly string[];
  /** OU (`ou-...`) or root (`r-...`) ids: every account under them, child OUs included. @default [] */
  readonly ous?: readonly string[];
  /**
   * Organizations account tags that mark production, e.g. `{"environment": "production"}`. An account
   * matches when it carries every tag listed, with exactly that value (tags are case-sensitive).
   * @default {}
   */
  readonly accountTag?: Readonly<Record<string, string>>;
}

/** What Organizations says about one account; a field is absent when it was not (or could not be) read. */
export interface AccountFacts {
  /** The ids of the OUs above the account, nearest first, ending with the root id. */
  readonly ancestors?: readonly string[];
  /** The account's Organizations tags. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Which facts `settings` need from Organizations: none when production is only listed by id. */
export const productionFactsNeeded = (
  settings: ProductionSettings,
): { readonly ancestors: boolean; readonly tags: boolean } => ({
  ancestors: (settings.ous ?? []).length > 0,
  tags: Object.keys(settings.accountTag ?? {}).length > 0,
});

/**
 * Why `accountId` is production (one phrase), or null when it is not. An account whose facts are needed
 * but unknown (Organizations could not say) counts as production: a longer notice and the 2nd line told
 * are the safe side of not knowing.
 */
export const productionReason = (
  settings: ProductionSettings,
  accountId: string,
  facts: AccountFacts = {},
): string | null => {
  if ((settings.accounts ?? []).includes(accountId)) return 'listed in production.accounts';
  const needed = productionFactsNeeded(settings);
  const ous = settings.ous ?? [];
  if (needed.ancestors) {
    if (facts.ancestors === undefined) return 'OUs unknown (treated as production)';
    const under = ous.find((ou) => facts.ancestors?.includes(ou));
    if (under !== undefined) return `under ${under}`;
  }
  if (needed.tags) {
    if (facts.tags === undefined) return 'account tags unknown (treated as production)';
    const wanted = Object.entries(settings.accountTag ?? {});
    if (wanted.every(([key, value]) => facts.tags?.[key] === value)) {
      return `tagged ${wanted.map(([key, value]) => `${key}=${value}`).join(', ')}`;
    }
  }
  return null;
};

/** True when `accountId` is production (see `productionReason`). */
export const isProductionAccount = (
  settings: ProductionSettings,
  accountId: string,
  facts?: AccountFacts,
): boolean => productionReason(settings, accountId, facts) !== null;

/** A classifier over the facts read for a run, for the enforcement plan and findings. */
export const productionClassifier =
  (settings: ProductionSettings, facts: ReadonlyMap<string, AccountFacts>) =>
  (accountId: string): boolean =>
    isProductionAccount(settings, accountId, facts.get(accountId));

/** Production settings as far as they apply without Organizations, and what was left out. */
export interface ProductionWithoutFacts {
  /** Only `accounts`: OUs and account tags cannot be told without Organizations. */
  readonly settings: ProductionSettings;
  /** One line naming the settings left out and why, or null when none were given. */
  readonly warning: string | null;
}

/**
 * `settings` for a run that has no Organizations facts (credential report files, or a scan outside
 * organisation mode, `where` says which): only `production.accounts` can apply there. OUs and account tags
 * are left out with a warning rather than refused, since the same configuration serves the scheduled
 * scan in organisation mode; nor are accounts taken as production for facts that can never be known.
 */
export const productionWithoutFacts = (
  settings: ProductionSettings,
  where: string,
): ProductionWithoutFacts => {
  const needed = productionFactsNeeded(settings);
  const left = [
    needed.ancestors ? 'production.ous' : null,
    needed.tags ? 'production.accountTag' : null,
  ].filter((name): name is string => name !== null);
  if (left.length === 0) return { settings, warning: null };
  return {
    settings: { accounts: settings.accounts ?? [] },
    warning:
      `${left.join(' and ')}: read from Organizations in organisation mode only; ${where}, ` +
      'only production.accounts says which accounts are production',
  };
};
