/**
 * The settings of enforcement (issue 11), as the configuration holds them: which accounts are production,
 * the `enforcement` policy (declared in `lambda/domain/enforcement/policy.ts`) and the remediation role
 * enforcement assumes in member accounts. `key-audit-config.ts` adds them to the configuration;
 * `handler-config.ts` reads them from the Lambda environment.
 */
import * as z from 'zod/mini';
import { OU_OR_ROOT_ID_RULE, ROLE_NAME_RULE } from '../domain/aws-ids.ts';
import { ENFORCEMENT_SCHEMA } from '../domain/enforcement/policy.ts';
import { accountId } from './scan-settings.ts';
import { group, identifier, list, setting, show, strict } from './schema-kit.ts';

/** Organizations account tags: key (1-128 characters) to value (up to 256). */
const accountTags = () =>
  z.record(
    z
      .string()
      .check(
        z.minLength(1, { error: 'a tag key must not be empty' }),
        z.maxLength(128, { error: (issue) => `${show(issue.input)} is longer than a tag key (128)` }),
      ),
    z
      .string({ error: (issue) => `${show(issue.input)} must be a tag value (a string)` })
      .check(z.maxLength(256, { error: (issue) => `${show(issue.input)} is longer than a tag value (256)` })),
    { error: (issue) => `${show(issue.input)} must be an object of tag keys and values` },
  );

/** Which accounts are production (see `lambda/domain/production.ts`); any one match makes an account production. */
export const PRODUCTION_SETTINGS = {
  accounts: setting(list(accountId()), () => [], {
    description: 'Production account ids (quoted).',
    example: ['111122223333'],
  }),
  ous: setting(list(identifier(OU_OR_ROOT_ID_RULE)), () => [], {
    description:
      'Every account under these OUs (`ou-…`) or the root (`r-…`), child OUs included, is production (needs Organizations read access).',
    example: ['ou-ab12-prod0001'],
  }),
  accountTag: setting(accountTags(), () => ({}), {
    type: 'object',
    description:
      'Accounts carrying every one of these Organizations account tags (exact, case-sensitive values) are production.',
    example: { environment: 'production' },
  }),
};

/** The `production` group, as `KEY_AUDIT_PRODUCTION` carries it too. */
export const PRODUCTION_SCHEMA = group(PRODUCTION_SETTINGS);

/** The enforcement settings of the configuration, in README order. */
export const ENFORCEMENT_CONFIG = {
  production: PRODUCTION_SCHEMA,
  enforcement: ENFORCEMENT_SCHEMA,
  remediationRoleName: setting(identifier(ROLE_NAME_RULE), 'KeyAuditRemediation', {
    description:
      'Name of the member role enforcement assumes to deactivate (and delete) keys; deployed only when `enforcement.mode` is `apply`.',
    example: 'KeyAuditKeyRemediation',
  }),
};

const ENFORCEMENT_OBJECT = strict(ENFORCEMENT_CONFIG);

/** The enforcement settings, every default applied. */
export type EnforcementConfig = z.output<typeof ENFORCEMENT_OBJECT>;

/** Every default of the enforcement settings. */
export const ENFORCEMENT_DEFAULTS: Readonly<EnforcementConfig> = Object.freeze(ENFORCEMENT_OBJECT.parse({}));
