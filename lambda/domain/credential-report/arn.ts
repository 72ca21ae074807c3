/**
 * The ARNs of credential-report rows: `arn:<partition>:iam::<account>:root` for the root user and
 * `arn:<partition>:iam::<account>:user<path><name>` for IAM users. The ARN is the authority on the account,
 * path and name; the `user` column is only a copy of the name.
 */

/** What a credential-report ARN says. */
export type ReportArn =
  | { readonly kind: 'root'; readonly accountId: string }
  | { readonly kind: 'user'; readonly accountId: string; readonly path: string; readonly userName: string };

// Partitions: aws, aws-cn, aws-us-gov and the isolated ones (aws-iso, aws-iso-b, ...).
const PARTITION = 'aws(?:-[a-z]+)*';
const ROOT_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):root$`);
// Path: `/` or `/segments/` of printable ASCII (IAM's rule); name: IAM's user-name alphabet, 1-64 chars.
const USER_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):user(/(?:[!-~]*/)?)([\\w+=,.@-]{1,64})$`);

/** Reads a root or user ARN; null for anything else (roles, malformed text). */
export const parseReportArn = (arn: string): ReportArn | null => {
  const root = ROOT_ARN.exec(arn);
  if (root?.[1] !== undefined) return { kind: 'root', accountId: root[1] };
  const user = USER_ARN.exec(arn);
  if (user?.[1] === undefined || user[2] === undefined || user[3] === undefined) return null;
  return { kind: 'user', accountId: user[1], path: user[2], userName: user[3] };
};
