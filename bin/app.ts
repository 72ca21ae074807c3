/**
 * The CDK app (cdk.json: `node --import tsx bin/app.ts`). Configuration: cdk.json `context["key-audit"]`,
 * merged with `-c key-audit='<json>'` and `-c key-audit.<field>=<value>` overrides (see
 * lib/config-context.ts).
 */
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { ConfigurationError, InputError } from '../lambda/domain/errors.ts';
import { CONFIG_CONTEXT_KEY, parseKeyAuditConfig } from '../lib/config.ts';
import { readCdkJsonConfig, resolveConfigInput } from '../lib/config-context.ts';
import { addComplianceChecks, addKeyAuditStacks } from '../lib/key-audit-app.ts';

const main = (): void => {
  const app = new App();
  const config = parseKeyAuditConfig(
    resolveConfigInput({
      cdkJson: readCdkJsonConfig(fileURLToPath(new URL('../cdk.json', import.meta.url))),
      context: app.node.tryGetContext(CONFIG_CONTEXT_KEY),
      allContext: app.node.getAllContext(),
    }),
  );
  addKeyAuditStacks(app, config);
  addComplianceChecks(app);
  app.synth();
};

try {
  main();
} catch (error) {
  if (!(error instanceof InputError)) throw error;
  // A configuration mistake: one line per problem, no stack trace.
  const problems = error instanceof ConfigurationError ? error.problems : [error.message];
  process.stderr.write(`key-audit: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exitCode = 1;
}
