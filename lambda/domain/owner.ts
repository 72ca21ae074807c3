/** Who owns an IAM user, from its tags: the person a finding about that user is addressed to. */

/** Tags read for the owner, in order of preference. */
export const OWNER_TAGS: readonly string[] = ['key-audit:owner', 'owner', 'Owner'];

/** The owner named by the first non-blank tag of `OWNER_TAGS`, or null when none is set. */
export const ownerOf = (tags: Readonly<Record<string, string>>): string | null => {
  for (const tag of OWNER_TAGS) {
    const value = tags[tag]?.trim();
    if (value) return value;
  }
  return null;
};
