/**
 * The enforcement policy: whether and when key-audit acts on keys itself (deactivates, then deletes) after
 * telling their owners. Off by default; `plan` computes and reports what would happen without changing
 * anything. Declared once here, as the `enforcement` group of the configuration (cdk.json, the CLI's
 * `--config` file, the Lambda's `KEY_AUDIT_ENFORCEMENT`); its type and defaults derive from it. Names
 * carry their unit; an unset optional number means "never".
 */
import type * as z from 'zod/mini';
import { group, oneOf, optionalSetting, setting, wholeNumber } from '../../config/schema-kit.ts';

/** What enforcement does: nothing, compute and report only, or act. */
export const ENFORCEMENT_MODES = ['off', 'plan', 'apply'] as const;

/** `off` | `plan` | `apply`. */
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

const days = () => wholeNumber({ min: 1, unit: 'days' });

/** The enforcement settings, in the order the README lists them. */
export const ENFORCEMENT_SETTINGS = {
  mode: setting(oneOf(ENFORCEMENT_MODES), 'off', {
    description:
      '`off`: nothing; `plan`: compute and report what would happen, change nothing (no notice sent); `apply`: send notices, then deactivate (and delete) keys. The CLI enforces only with `--enforce`.',
    example: 'plan',
  }),
  deactivateUnusedAfterDays: setting(days(), 90, {
    description: 'Deactivate an active key unused (or never used since its creation) this many days.',
    example: 120,
  }),
  deactivateOverdueAfterDays: optionalSetting(days(), {
    description:
      'Deactivate an active key this many days past its rotation deadline (`maxKeyAgeDays`) even when it is in use. Unset: a key in use is never deactivated for its age alone.',
    noDefault: 'never',
    example: 30,
  }),
  noticeDays: setting(days(), 7, {
    description: 'Days between a key’s notice and its deactivation or deletion.',
    example: 14,
  }),
  productionNoticeDays: setting(days(), 14, {
    description:
      'Notice period for keys in production accounts (see `production`); their notices carry `audience` = `second-line`.',
    example: 21,
  }),
  deleteAfterDays: optionalSetting(days(), {
    description:
      'Delete a key this many days after key-audit deactivated it, if it stayed inactive and unused since (keys deactivated by people are never deleted). Unset: never delete.',
    noDefault: 'never',
    example: 30,
  }),
  maxActionsPerRun: setting(wholeNumber({ min: 1, unit: 'actions' }), 10, {
    description: 'At most this many deactivations and deletions per run; the rest wait for the next run.',
    example: 5,
  }),
};

/** The `enforcement` group: every member has a default, so `{}` (or nothing) is enforcement off. */
export const ENFORCEMENT_SCHEMA = group(ENFORCEMENT_SETTINGS);

/** The enforcement policy, every default applied (`deactivateOverdueAfterDays`, `deleteAfterDays`: never when unset). */
export type EnforcementPolicy = Readonly<z.output<typeof ENFORCEMENT_SCHEMA>>;

/** Every default: enforcement off. */
export const DEFAULT_ENFORCEMENT: EnforcementPolicy = Object.freeze(ENFORCEMENT_SCHEMA.parse({}));

/** The notice period of a key: `productionNoticeDays` in production accounts, else `noticeDays`. */
export const noticeDaysFor = (
  enforcement: Pick<EnforcementPolicy, 'noticeDays' | 'productionNoticeDays'>,
  production: boolean,
): number => (production ? enforcement.productionNoticeDays : enforcement.noticeDays);
