/**
 * The scanner: one Lambda function bundled from lambda/handler.ts with esbuild, locally (no Docker).
 */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root: entry, lock file and tsconfig are resolved from here whatever the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The handler module; it exports `handler`. */
export const HANDLER_ENTRY = fileURLToPath(new URL('../lambda/handler.ts', import.meta.url));

/**
 * In an ES module bundle `require` does not exist, yet CommonJS dependencies bundled into it may call
 * `require('node:...')`; esbuild's shim then needs a real one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __keyAuditCreateRequire } from 'node:module'; const require = __keyAuditCreateRequire(import.meta.url);";

/** Properties of `ScannerFunction`. */
export interface ScannerFunctionProps {
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
  /** Handler module. @default lambda/handler.ts */
  readonly entry?: string;
}

/**
 * `NodejsFunction` on the newest Node.js runtime, arm64 (cheaper per GB-second), ESM bundle with
 * tree-shaking, minified, with source maps. The AWS SDK v3 is bundled rather than taken from the runtime
 * (`externalModules: []`) so that the version in package-lock.json is the version that runs. Async
 * invocations are not retried by Lambda: a failed run already raised the Errors alarm, and a blind retry
 * of a 15-minute organisation scan would double the IAM/STS load and send duplicate notifications. The
 * log group is retained on stack deletion (audit trail); it expires by its retention.
 */
export class ScannerFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;
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
    this.function = new NodejsFunction(this, 'Function', {
      description: 'key-audit scanner: IAM access-key inventory, findings, reports and alerts',
      entry: props.entry ?? HANDLER_ENTRY,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: fileURLToPath(new URL('../package-lock.json', import.meta.url)),
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
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        externalModules: [],
      },
    });
    this.logGroup.grantWrite(props.role);
  }
}
