/**
 * The scanner Lambda. EventBridge Scheduler invokes it with `{"job": "report"}` (weekly report to the
 * report topic) or `{"job": "alerts"}` (on-call alerts to the alert topic); see lambda/app/scheduled-job.ts.
 *
 * Configuration comes from the environment the CDK stack sets (lambda/config/handler-config.ts) and is
 * validated once, at cold start. A bad environment does not crash the module load (that would hide the
 * message behind a generic init error): every invocation then fails with the error listing each problem.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import {
  type JobDeps,
  type JobLogger,
  type JobSummary,
  parseJobEvent,
  runScheduledJob,
} from './app/scheduled-job.ts';
import { clientConfig, createAwsClients, resolveRegion } from './aws/client-factory.ts';
import { createSecurityHubClientFactory } from './aws/security-hub.ts';
import { createSnsClientFactory } from './aws/sns-publisher.ts';
import {
  ENV,
  ENV_DEFAULTS,
  type Environment,
  type HandlerConfig,
  parseHandlerConfig,
} from './config/handler-config.ts';
import { ConfigurationError } from './domain/errors.ts';
import { openHistory } from './history/open-history.ts';

/** A logger that can also take the Lambda context (request id, cold start) into every line. */
export interface HandlerLogger extends JobLogger {
  addContext?(context: Context): void;
}

/** Everything the handler uses, built once per execution environment; tests inject fakes. */
export interface HandlerDeps extends JobDeps {
  /** The configuration validated at cold start, or the error validating it raised. */
  readonly config: HandlerConfig | ConfigurationError;
  readonly logger: HandlerLogger;
}

/** The handler's signature: an event naming the job, the Lambda context; resolves to a short summary. */
export type KeyAuditHandler = (event: unknown, context: Context) => Promise<JobSummary>;

/** Reads the configuration, keeping a ConfigurationError to fail invocations with. */
export const loadConfig = (env: Environment): HandlerConfig | ConfigurationError => {
  try {
    return parseHandlerConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
};

/**
 * The real dependencies: configuration from `env`, SDK clients with key-audit's retry settings (S3 for the
 * history and Security Hub in the function's region), the system clock, Powertools Logger and Metrics
 * (namespace `KeyAudit`, dimension `service` = `key-audit`).
 */
export const defaultDeps = (env: Environment = process.env): HandlerDeps => {
  const config = loadConfig(env);
  const serviceName =
    config instanceof ConfigurationError
      ? env[ENV.serviceName] || ENV_DEFAULTS.serviceName
      : config.serviceName;
  const namespace =
    config instanceof ConfigurationError
      ? env[ENV.metricsNamespace] || ENV_DEFAULTS.metricsNamespace
      : config.metricsNamespace;
  return {
    config,
    clients: createAwsClients({ env }),
    sns: createSnsClientFactory({ env }),
    history: (location) => openHistory(location, () => new S3Client(clientConfig({ env }))),
    securityHub: createSecurityHubClientFactory({ env }),
    region: resolveRegion(undefined, env),
    now: Date.now,
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace, serviceName }),
  };
};

/** A handler over `deps`. Errors are logged, then thrown, so that the invocation fails and alarms fire. */
export const createHandler =
  (deps: HandlerDeps): KeyAuditHandler =>
  async (event, context) => {
    deps.logger.addContext?.(context);
    try {
      if (deps.config instanceof ConfigurationError) throw deps.config;
      const job = parseJobEvent(event);
      return await runScheduledJob(job, deps.config, deps, context.getRemainingTimeInMillis());
    } catch (error) {
      deps.logger.error(
        deps.config instanceof ConfigurationError
          ? 'invalid configuration: fix the function environment (set by the key-audit stack)'
          : 'run failed',
        { error },
      );
      throw error;
    }
  };

/** The Lambda entry point (`handler` in lib/scanner-function.ts). */
export const handler: KeyAuditHandler = createHandler(defaultDeps());
