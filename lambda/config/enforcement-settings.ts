/**
 * The enforcement settings the deployment reads (issue 11): `enforcement.mode` and
 * `enforcement.deleteAfterDays` decide whether the remediation role is deployed and what it may do, and
 * `remediationRoleName` names it.
 *
 * A minimal stand-in declared on the cdk branch: the enforce branch declares this file in full (the whole
 * `enforcement` policy group and `production`) under the same names, and its version supersedes this one.
 */
import { ROLE_NAME_RULE } from '../domain/aws-ids.ts';
import { ENFORCEMENT_MODES } from '../domain/enforcement/policy.ts';
import { group, identifier, oneOf, optionalSetting, setting, wholeNumber } from './schema-kit.ts';

/** The enforcement settings of the configuration, in README order. */
export const ENFORCEMENT_CONFIG = {
  enforcement: group({
    mode: setting(oneOf(ENFORCEMENT_MODES), 'off', {
      description:
        '`off`: nothing; `plan`: compute and report what would happen, change nothing; `apply`: send notices, then deactivate (and delete) keys. `apply` deploys the remediation role.',
      example: 'plan',
    }),
    deleteAfterDays: optionalSetting(wholeNumber({ min: 1, unit: 'days' }), {
      description:
        'Delete a key this many days after key-audit deactivated it. Unset: never delete, and the remediation role gets no `iam:DeleteAccessKey`.',
      noDefault: 'never',
      example: 30,
    }),
  }),
  remediationRoleName: setting(identifier(ROLE_NAME_RULE), 'KeyAuditRemediation', {
    description:
      'Name of the member role enforcement assumes to deactivate (and delete) keys; deployed only when `enforcement.mode` is `apply`.',
    example: 'KeyAuditKeyRemediation',
  }),
};
