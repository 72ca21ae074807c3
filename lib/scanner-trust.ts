/**
 * The trust every member-account role of key-audit grants: only the scanner role, named by its exact ARN.
 * The principal is the scanner's account with `aws:PrincipalArn` pinned to the role ARN. A role ARN as
 * principal would do the same, but IAM rejects it while the scanner role does not exist yet (so member
 * roles could not be deployed first) and silently rewrites it to an unusable unique id when the scanner
 * stack is destroyed and redeployed; the condition survives both.
 */
import { Arn, ArnFormat } from 'aws-cdk-lib';
import { AccountPrincipal, type IPrincipal } from 'aws-cdk-lib/aws-iam';

/** Who may assume a member-account role. */
export interface ScannerTrustProps {
  /** Exact ARN of the scanner's execution role (may be a token, e.g. a template parameter). */
  readonly scannerRoleArn: string;
  /** Require this `sts:ExternalId`. @default no external id */
  readonly externalId?: string;
  /** Require the caller to belong to this organisation (`aws:PrincipalOrgID`). @default no condition */
  readonly organisationId?: string;
  /** The scanner's account, when known apart from the ARN. @default the account of `scannerRoleArn` */
  readonly scannerAccount?: string;
}

/** The principal (with conditions) trusting only the scanner role. */
export const scannerTrustPrincipal = (props: ScannerTrustProps): IPrincipal => {
  const scannerAccount =
    props.scannerAccount ?? Arn.split(props.scannerRoleArn, ArnFormat.SLASH_RESOURCE_NAME).account;
  const stringEquals: Record<string, string> = {};
  if (props.externalId !== undefined) stringEquals['sts:ExternalId'] = props.externalId;
  if (props.organisationId !== undefined) stringEquals['aws:PrincipalOrgID'] = props.organisationId;
  return new AccountPrincipal(scannerAccount).withConditions({
    ArnEquals: { 'aws:PrincipalArn': props.scannerRoleArn },
    ...(Object.keys(stringEquals).length > 0 ? { StringEquals: stringEquals } : {}),
  });
};
