/**
 * The scanner role has a fixed name so that every member role can trust its ARN before, and independently
 * of, the scanner stack's deployment.
 */
import { Aws } from 'aws-cdk-lib';
import type { KeyAuditConfig } from './config.ts';

/**
 * `arn:<partition>:iam::<account>:role/<scannerRoleName>`: the configured `scannerAccountId`, else
 * `fallbackAccount` (by default the account of the stack the ARN is used in).
 */
export const scannerRoleArn = (
  config: Pick<KeyAuditConfig, 'scannerAccountId' | 'scannerRoleName'>,
  fallbackAccount: string = Aws.ACCOUNT_ID,
): string =>
  `arn:${Aws.PARTITION}:iam::${config.scannerAccountId ?? fallbackAccount}:role/${config.scannerRoleName}`;
