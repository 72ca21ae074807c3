/**
 * The scanner: one Lambda function running the handler bundle (lib/handler-bundle.ts), with its own log
 * group.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, type Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
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
}

/**
 * The function on the newest Node.js runtime, arm64 (cheaper per GB-second). Async invocations are not
 * retried by Lambda: a failed run already raised the Errors alarm, and a blind retry of a 15-minute
 * organisation scan would double the IAM/STS load and send duplicate notifications. The log group is
 * retained on stack deletion (audit trail); it expires by its retention.
 */
export class ScannerFunction extends Construct {
  /** The function. */
  readonly function: LambdaFunction;
  /** Its log group. */
  readonly logGroup: LogGroup;
  /** Its timeout (the duration alarm derives its threshold from it). */
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: ScannerFunctionProps) {
    super(scope, id);
    this.timeout = Duration.seconds(props.timeoutSeconds ?? 900);
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: (props.logRetentionDays ?? 90) as RetentionDays,
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
      retryAttempts: 0,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
    });
    this.logGroup.grantWrite(props.role);
  }
}
