/**
 * `key-audit/cdk`: the constructs, for a CDK app of your own. `aws-cdk-lib` and `constructs` are peer
 * dependencies: the app's own versions are used.
 */
export type { KeyAuditConfig } from './config.ts';
export {
  type KeyAuditEnforcement,
  type KeyAuditOrganisation,
  KeyAuditScanner,
  type KeyAuditScannerProps,
  type KeyAuditSchedule,
  type KeyAuditSlackChannels,
} from './key-audit-scanner.ts';
export { KeyAuditMemberRole, type KeyAuditMemberRoleProps, MEMBER_ROLE_ACTIONS } from './member-role.ts';
export { KeyAuditPropsError } from './prop-validation.ts';
export { KeyAuditRemediationRole, type KeyAuditRemediationRoleProps } from './remediation-role.ts';
export type { ScannerAlarmName } from './scanner-alarms.ts';
export type { Job } from './schedules.ts';
