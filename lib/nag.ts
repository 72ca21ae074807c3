/**
 * Acknowledging cdk-nag findings. The id carries CDK's validation namespace (`AwsSolutions::`), so the
 * finding is still reported by cdk-nag and CDK moves it to the "acknowledged" part of the validation
 * report together with the reason: an audit trail instead of a silent suppression.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Namespace CDK derives from the AwsSolutions plugin's name. */
export const NAG_NAMESPACE = 'AwsSolutions';

/**
 * Acknowledges finding `ruleId` (e.g. `AwsSolutions-IAM5[Resource::*]`) on `scope` and its children.
 * `reason` must say why the finding is acceptable for this resource specifically.
 */
export const acknowledgeNag = (scope: IConstruct, ruleId: string, reason: string): void => {
  Validations.of(scope).acknowledge({ id: `${NAG_NAMESPACE}::${ruleId}`, reason });
};
