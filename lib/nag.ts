/**
 * Acknowledging cdk-nag findings. The id carries CDK's validation namespace (`AwsSolutions::`), so the
 * finding is still reported by cdk-nag and CDK moves it to the "acknowledged" part of the validation
 * report together with the reason: an audit trail instead of a silent suppression.
 */
import { Stack, Validations } from 'aws-cdk-lib';
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

const flatten = (node: unknown): string => {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const fn = node as Record<string, unknown>;
    if (Array.isArray(fn['Fn::Join'])) {
      const [delimiter, items] = fn['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (fn['Fn::Sub'] !== undefined) return flatten(fn['Fn::Sub']);
    if (Array.isArray(fn['Fn::GetAtt'])) {
      const [resource, attribute] = fn['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (fn['Fn::ImportValue'] !== undefined) return flatten(fn['Fn::ImportValue']);
    if (fn.Ref !== undefined) return `<${flatten(fn.Ref)}>`;
  }
  return JSON.stringify(node);
};

/**
 * A policy resource (`bucket.arnForObjects('*')`, say) as cdk-nag names it in a finding id
 * (`<HistoryBucket1234.Arn>/*`): the same flattening of CloudFormation references as cdk-nag's own, so
 * that an acknowledgement names a resource whose logical id is generated.
 */
export const nagResourceName = (scope: IConstruct, resource: string): string =>
  flatten(Stack.of(scope).resolve(resource));
