/**
 * The scanner: one Lambda function running the handler bundle (lib/handler-bundle.ts), with its own log
 * group, encrypted with a KMS key.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, type Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HANDLER_NAME } from './handler-bundle.ts';

// bench/lambda-bundle.ts bundles the handler itself and takes these from here.
export { ESM_REQUIRE_BANNER, HANDLER_ENTRY } from './handler-bundle.ts';

/** Properties of `ScannerFunction`. */
export interface ScannerFunctionProps {
  /** The handler bundle (an asset directory holding `index.mjs`). */
  readonly code: Code;
  /** Execution role (fixed name, created by `ScannerRole`). */
  readonly role: IRole;
  /** Environment (see `scannerEnvironment`). */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Memory in MB. 1,024 MB by default: an organisation scan holds credential reports of accounts with up
   * to 5,000 users each and scans several accounts concurrently. @default 1024
   */
  readonly memoryMb?: number;
  /**
   * Timeout in seconds. 900 (the maximum) by default: large organisations with API-mode scans and IAM
   * throttling back-off take minutes. @default 900
   */
  readonly timeoutSeconds?: number;
  /** Days of log retention (a CloudWatch Logs retention value). @default 90 */
  readonly logRetentionDays?: number;
  /** Reserved concurrency. @default none (see `LambdaConfig.reservedConcurrency`) */
  readonly reservedConcurrency?: number;
  /**
   * The key of the log group. Its policy must let `logs.<region>.amazonaws.com` use it (added here when
   * the key is a `Key` of this app). @default a new customer managed key, retained like the log group
   */
  readonly logKey?: IKey;
}

/** What CloudWatch Logs does with the key of an encrypted log group. */
export const LOGS_KEY_ACTIONS: readonly string[] = [
  'kms:Encrypt*',
  'kms:Decrypt*',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:Describe*',
];

/**
 * The function on the newest Node.js runtime, arm64 (cheaper per GB-second). The log group is encrypted
 * with a customer managed key and retained on stack deletion (audit trail), the key with it (logs
 * encrypted with a deleted key could never be read); the logs expire by their retention.
 */
export class ScannerFunction extends Construct {
  /** The function. */
  readonly function: LambdaFunction;
  /** Its log group. */
  readonly logGroup: LogGroup;
  /** The log group's key. */
  readonly logKey: IKey;
  /** Its timeout (the duration alarm derives its threshold from it). */
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: ScannerFunctionProps) {
    super(scope, id);
    this.timeout = Duration.seconds(props.timeoutSeconds ?? 900);
    this.logKey =
      props.logKey ??
      new Key(this, 'LogKey', {
        description: 'key-audit: encrypts the scanner log group',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    // The log group's name is generated, so its ARN is unknown when the key policy is written: the grant
    // is limited to log groups of this account and region by the encryption context CloudWatch Logs sets.
    this.logKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccount',
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: [...LOGS_KEY_ACTIONS],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: (props.logRetentionDays ?? 90) as RetentionDays,
      encryptionKey: this.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.function = new LambdaFunction(this, 'Function', {
      description: 'key-audit scanner: IAM access-key inventory, findings, reports and alerts',
      code: props.code,
      handler: HANDLER_NAME,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? 1024,
      timeout: this.timeout,
      role: props.role,
      logGroup: this.logGroup,
      environment: { ...props.environment },
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
    });
    this.logGroup.grantWrite(props.role);
  }

  /**
   * Asynchronous invocations (the schedules') are not retried by Lambda: a failed run already raised the
   * Errors alarm, and a blind retry of a 15-minute organisation scan would double the IAM/STS load and
   * send duplicate notifications. The failed invocation's record goes to `queue` instead, where it stays
   * for inspection and raises the queue's alarm. Called once, when the queue exists.
   */
  sendFailedInvocationsTo(queue: IQueue): void {
    this.function.configureAsyncInvoke({ retryAttempts: 0, onFailure: new SqsDestination(queue) });
  }
}
