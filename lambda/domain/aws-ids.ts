/**
 * Shapes of the AWS identifiers key-audit accepts from people (flags, environment, cdk.json), defined once
 * so that the CLI, the Lambda and the CDK app agree on what is valid and say the same when it is not.
 */
import { InputError } from './errors.ts';

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
/** An organisational unit id, e.g. `ou-ab12-cdef3456`. */
export const OU_ID = /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/;
/** An organisation root id, e.g. `r-ab12`. */
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
/** An SNS topic ARN in any partition; group 1 is the region. */
export const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** The characters of an IAM name (users, roles): letters, digits and `+=,.@_-`. */
const IAM_NAME_CHARS = String.raw`[\w+=,.@-]`;

/**
 * An identifier rule: its shape and the words a problem uses, so that every reader reports a bad value
 * the same way: `invalid <what> "<value>": expected <expected>`.
 */
export interface IdRule {
  readonly pattern: RegExp;
  /** What the value is, e.g. `AWS account id`. */
  readonly what: string;
  /** What a valid value looks like, e.g. `12 digits`. */
  readonly expected: string;
  /** The value is a shared secret: problems never repeat it. */
  readonly secret?: boolean;
}

/** A 12-digit account id. */
export const ACCOUNT_ID_RULE: IdRule = { pattern: ACCOUNT_ID, what: 'AWS account id', expected: '12 digits' };

/** An OU id or a root id: both can hold accounts. */
export const OU_OR_ROOT_ID_RULE: IdRule = {
  pattern: new RegExp(`${OU_ID.source}|${ROOT_ID.source}`),
  what: 'organisational unit id',
  expected: 'ou-<root>-<suffix> (e.g. ou-ab12-cdef3456) or r-<id>',
};

/** An organisation id, e.g. `o-abcdefghij`. */
export const ORGANISATION_ID_RULE: IdRule = {
  pattern: /^o-[a-z0-9]{10,32}$/,
  what: 'organisation id',
  expected: 'o- and 10-32 lowercase letters or digits (e.g. o-abcdefghij)',
};

/**
 * The name of an IAM role key-audit creates (the member role, the scanner role): what `CreateRole` takes
 * as `RoleName`, which cannot contain a path.
 */
export const ROLE_NAME_RULE: IdRule = {
  pattern: new RegExp(`^${IAM_NAME_CHARS}{1,64}$`),
  what: 'role name',
  expected: 'an IAM role name, 1-64 of A-Z a-z 0-9 +=,.@_-',
};

/**
 * The name of a role to assume, which may sit under an IAM path (`security/KeyAuditReader`): the role
 * ARN is `arn:aws:iam::<account>:role/<path/><name>`. A separate rule from `ROLE_NAME_RULE` because a
 * role key-audit creates cannot be named with a path (the path is a separate CreateRole parameter).
 */
export const ROLE_NAME_WITH_PATH_RULE: IdRule = {
  pattern: new RegExp(`^(?:${IAM_NAME_CHARS}+/)*${IAM_NAME_CHARS}{1,64}$`),
  what: 'role name',
  expected: 'an IAM role name, 1-64 of A-Z a-z 0-9 +=,.@_-, optionally after a path (path/Name)',
};

/** The `sts:ExternalId` a member role may require. A secret: problems never repeat it. */
export const EXTERNAL_ID_RULE: IdRule = {
  pattern: /^[\w+=,.@:/-]{2,1224}$/,
  what: 'external id',
  expected: '2-1224 characters of letters, digits and +=,.@:/-',
  secret: true,
};

/** An SNS topic ARN. */
export const TOPIC_ARN_RULE: IdRule = {
  pattern: TOPIC_ARN,
  what: 'SNS topic ARN',
  expected: 'arn:aws:sns:REGION:ACCOUNT:NAME',
};

/** The problem with `value` under `rule`, without the value when the rule is for a secret. */
export const idProblem = (rule: IdRule, value: unknown): string =>
  `invalid ${rule.what}${rule.secret === true ? '' : ` ${value === undefined ? 'undefined' : JSON.stringify(value)}`}: expected ${rule.expected}`;

/** `value` when it follows `rule`; throws an `InputError` with the rule's problem otherwise. */
export const requireId = (rule: IdRule, value: string): string => {
  if (!rule.pattern.test(value)) throw new InputError(idProblem(rule, value));
  return value;
};

/** True for a 12-digit account id. */
export const isAccountId = (value: string): boolean => ACCOUNT_ID.test(value);

/** True for an OU id or a root id: both can hold accounts. */
export const isOuOrRootId = (value: string): boolean => OU_OR_ROOT_ID_RULE.pattern.test(value);

/** True for an SNS topic ARN. */
export const isTopicArn = (value: string): boolean => TOPIC_ARN.test(value);
