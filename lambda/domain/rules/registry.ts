/** Every rule key-audit runs. Adding a rule means adding its module here and its entry in the catalogue. */
import { accountUnreachable } from './account-unreachable.ts';
import { inactiveKey } from './inactive-key.ts';
import { invalidExemption } from './invalid-exemption.ts';
import { keyDueSoon } from './key-due-soon.ts';
import { keyTooOld } from './key-too-old.ts';
import { keyUnused } from './key-unused.ts';
import { newExemption } from './new-exemption.ts';
import { rootAccessKey } from './root-access-key.ts';
import type { Rule } from './rule.ts';
import { twoActiveKeys } from './two-active-keys.ts';

/** The rules `evaluate` runs, in catalogue order. */
export const RULE_REGISTRY: readonly Rule[] = [
  rootAccessKey,
  accountUnreachable,
  keyTooOld,
  twoActiveKeys,
  keyUnused,
  keyDueSoon,
  inactiveKey,
  invalidExemption,
  newExemption,
];
