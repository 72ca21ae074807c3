/**
 * The scanner's history (issue 10): its memory (`state.json`: what was alerted and delivered) and one
 * complete JSON report per run, kept as evidence for auditors in an S3 bucket of its own. Only the scanner
 * role writes there; everyone with S3 read access in the account can read.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REPORTS_FOLDER } from '../lambda/domain/history-layout.ts';
import { acknowledgeNag, nagResourceName } from './nag.ts';

/** Days an overwritten or deleted version (of `state.json`, mostly) stays recoverable. */
export const NONCURRENT_VERSION_DAYS = 30;

/** What the scanner does in its history: read and write objects, and list (see `ScannerHistory`). */
export const HISTORY_OBJECT_ACTIONS: readonly string[] = ['s3:GetObject', 's3:PutObject'];

/** Object writes nobody but the scanner role may make in a history bucket created here. */
export const HISTORY_WRITE_ACTIONS: readonly string[] = ['s3:PutObject*', 's3:DeleteObject*'];

/** Properties of `ScannerHistory`. */
export interface ScannerHistoryProps {
  /** The scanner role: the only principal that writes. */
  readonly writer: IRole;
  /** Days each stored report is kept in a bucket created here. */
  readonly retentionDays: number;
  /** A bucket of your own, used as it is (its policy, lifecycle and logging are left alone). @default a new bucket */
  readonly bucket?: IBucket;
  /** Key prefix of the history in the bucket: empty, or ending with `/`. @default '' */
  readonly prefix?: string;
}

/**
 * The history bucket: encrypted (SSE-S3), versioned, public access blocked, TLS 1.2 or newer only, ACLs
 * disabled; stored reports expire after `retentionDays`, old versions after `NONCURRENT_VERSION_DAYS`.
 * Its bucket policy denies object writes and deletes to every principal but the scanner role. Bucket
 * settings (policy, lifecycle, versioning) are not denied to anyone, so CloudFormation keeps managing the
 * bucket and an administrator can lift the deny by changing the policy (a change CloudTrail records): no
 * lockout. The bucket is retained when the stack is deleted: it is evidence. Its key is S3's own, so that
 * nothing the stack deletes (a customer managed key is scheduled for deletion with it) can make the
 * retained reports unreadable.
 */
export class ScannerHistory extends Construct {
  /** The bucket. */
  readonly bucket: IBucket;
  /** `s3://<bucket>/<prefix>`, as `KEY_AUDIT_HISTORY` carries it. */
  readonly location: string;

  constructor(scope: Construct, id: string, props: ScannerHistoryProps) {
    super(scope, id);
    const prefix = props.prefix ?? '';
    this.bucket = props.bucket ?? this.createBucket(props, prefix);
    this.location = `s3://${this.bucket.bucketName}/${prefix}`;

    const objects = this.bucket.arnForObjects(`${prefix}*`);
    props.writer.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadAndWriteHistory',
        actions: [...HISTORY_OBJECT_ACTIONS],
        resources: [objects],
      }),
    );
    // Without s3:ListBucket S3 answers a missing state.json with AccessDenied instead of NoSuchKey, and
    // the first run could not start; it also lists a job's reports to find the previous one.
    props.writer.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ListHistory',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
    if (this.bucket.encryptionKey !== undefined) {
      props.writer.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'EncryptHistory',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [this.bucket.encryptionKey.keyArn],
        }),
      );
    }
    acknowledgeNag(
      props.writer,
      `AwsSolutions-IAM5[Resource::${nagResourceName(this, objects)}]`,
      'The history holds one object per run, named by job and date at run time (reports/<job>/<YYYY>/<MM>/<DD>/<instant>.json) besides state.json, so the scanner reads and writes every object under the history prefix; it cannot delete any.',
    );
  }

  private createBucket(props: ScannerHistoryProps, prefix: string): Bucket {
    const bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Reports only: state.json is rewritten by every run, and must not expire if runs pause.
        {
          id: 'ExpireStoredReports',
          prefix: `${prefix}${REPORTS_FOLDER}/`,
          expiration: Duration.days(props.retentionDays),
        },
        {
          id: 'ForgetOldVersions',
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    // Identity policies of the account (administrators, CI roles) could otherwise write or delete evidence.
    // Lifecycle expiration is S3's own and is not subject to the policy.
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyObjectWritesByAnyOtherPrincipal',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...HISTORY_WRITE_ACTIONS],
        resources: [bucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.writer.roleArn } },
      }),
    );
    acknowledgeNag(
      bucket,
      'AwsSolutions-S1',
      'Object-level access to the history is audited by CloudTrail data events (an organisation trail), which name the principal; server access logs would need a log bucket of their own, itself unlogged and retained. Writes are limited to the scanner role by the bucket policy.',
    );
    return bucket;
  }
}
