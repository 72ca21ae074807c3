/**
 * Shapes of the AWS identifiers key-audit accepts from people (flags, environment, cdk.json), defined once
 * so that the CLI, the Lambda and the CDK app agree on what is valid.
 */

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
/** An organisational unit id, e.g. `ou-ab12-cdef3456`. */
export const OU_ID = /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/;
/** An organisation root id, e.g. `r-ab12`. */
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
/** An SNS topic ARN in any partition; group 1 is the region. */
export const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** True for a 12-digit account id. */
export const isAccountId = (value: string): boolean => ACCOUNT_ID.test(value);

/** True for an OU id or a root id: both can hold accounts. */
export const isOuOrRootId = (value: string): boolean => OU_ID.test(value) || ROOT_ID.test(value);

/** True for an SNS topic ARN. */
export const isTopicArn = (value: string): boolean => TOPIC_ARN.test(value);
