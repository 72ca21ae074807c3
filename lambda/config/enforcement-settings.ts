/**
 * The settings of enforcement (issue 11), as the configuration holds them: the `enforcement` policy (declared in `lambda/domain/enforcement/policy.ts`) and the remediation role
 * enforcement assumes in member accounts. `key-audit-config.ts` adds them to the configuration;
 * `handler-config.ts` reads them from the Lambda environment.
 */
import type * as z from 'zod/mini';
import { ROLE_NAME_RULE } from '../domain/aws-ids.ts';
import { ENFORCEMENT_SCHEMA } from '../domain/enforcement/policy.ts';
import { identifier, setting, strict } from './schema-kit.ts';

/** The enforcement settings of the configuration, in README order. */
export const ENFORCEMENT_CONFIG = {
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
