/**
 * `key-audit scan`: the same engine as the Lambda, from a terminal. Returns the exit code instead of
 * exiting, so tests can run it in-process; `bin/key-audit.ts` does the exiting.
 */
import { writeFile } from 'node:fs/promises';
import { deliverAndRemember } from '../../lambda/app/deliver-and-remember.ts';
import { reportFromInventory } from '../../lambda/app/report-from-inventory.ts';
import { AwsAdapterError } from '../../lambda/aws/aws-error.ts';
import { InputError } from '../../lambda/domain/errors.ts';
import { HistoryError } from '../../lambda/domain/history-store.ts';
import type { Inventory } from '../../lambda/domain/inventory.ts';
import type { Policy } from '../../lambda/domain/policy.ts';
import { policyOf } from '../../lambda/domain/policy-config.ts';
import {
  type ProductionSettings,
  productionClassifier,
  productionWithoutFacts,
} from '../../lambda/domain/production.ts';
import type { Report } from '../../lambda/domain/report.ts';
import type { ScanTargets } from '../../lambda/scan/targets.ts';
import { checkProfile } from './aws-profile.ts';
import { useColor } from './color.ts';
import { prepareEnforcement } from './enforce.ts';
import { EXIT, exitCodeFor } from './exit-code.ts';
import { describeStored, startCliHistory } from './history.ts';
import { loadConfig, withConfig } from './load-policy.ts';
import { renderHelp } from './option-specs.ts';
import { type AccountSelection, parseCommandLine, type ScanCommand } from './parse-args.ts';
import { createProgress, type ProgressStream } from './progress.ts';
import { publishFromCli } from './publish.ts';
import { importFromCli } from './publish-securityhub.ts';
import { readCredentialReportFiles } from './read-inputs.ts';
import { renderFormat } from './render-format.ts';
import { formatStats } from './stats.ts';

/** The process as the CLI sees it; tests pass fakes. */
export interface CliIo {
  readonly stdout: ProgressStream & { readonly columns?: number };
  readonly stderr: ProgressStream;
  readonly now: () => Date;
  readonly version: string;
}

const targetsOf = (accounts: AccountSelection): ScanTargets => {
  switch (accounts.mode) {
    case 'self':
      return { kind: 'caller' };
    case 'accounts':
      return { kind: 'accounts', accountIds: accounts.accountIds };
    case 'org':
      return { kind: 'organisation', ous: accounts.ous, exclude: accounts.exclude };
  }
};

/** A scan's report, and the accounts it read with the caller's own credentials (no member role there). */
interface ScanOutcome {
  readonly report: Report;
  readonly inventory: Inventory;
  readonly isProduction: (accountId: string) => boolean;
  readonly ownCredentialAccounts: readonly string[];
}

/** Prints each warning as one line on stderr (even with --quiet, which silences only the progress line). */
const warn = (io: CliIo, warnings: readonly string[]): void => {
  for (const warning of warnings) io.stderr.write(`key-audit: warning: ${warning}\n`);
};

const scan = async (
  command: ScanCommand,
  policy: Policy,
  production: ProductionSettings,
  io: CliIo,
): Promise<ScanOutcome> => {
  const asOf = command.asOf ?? io.now();
  const { input } = command;
  if (input.kind === 'files') {
    const accounts = await readCredentialReportFiles(input.files);
    const offline = productionWithoutFacts(production, 'offline (credential report files)');
    if (offline.warning !== null) warn(io, [offline.warning]);
    const isProduction = productionClassifier(offline.settings, new Map());
    const inventory = { accounts };
    return {
      report: reportFromInventory(inventory, { asOf, policy, isProduction }),
      inventory,
      isProduction,
      ownCredentialAccounts: [],
    };
  }
  // Loaded only for live scans: offline runs then start without the AWS SDK (about 0.2 s faster).
  const [{ runLiveAudit }, { CallCounter, createAwsClients }] = await Promise.all([
    import('../../lambda/app/run-audit.ts'),
    import('../../lambda/aws/client-factory.ts'),
  ]);
  const counter = command.stats ? new CallCounter() : undefined;
  const progress = createProgress(io.stderr, command.quiet);
  let audit: Awaited<ReturnType<typeof runLiveAudit>>;
  try {
    audit = await runLiveAudit(targetsOf(input.accounts), {
      asOf,
      policy,
      source: input.source,
      clients: createAwsClients({
        ...(counter ? { callCounter: counter } : {}),
        ...(command.profile === undefined ? {} : { profile: command.profile }),
        ...(command.region === undefined ? {} : { region: command.region }),
      }),
      roleName: input.roleName,
      ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
      concurrency: input.concurrency,
      production,
      onProgress: progress.update,
    });
  } finally {
    progress.done();
  }
  warn(io, audit.warnings);
  if (counter) io.stderr.write(formatStats(counter.stats()));
  return {
    report: audit.report,
    inventory: audit.scan,
    isProduction: audit.isProduction,
    ownCredentialAccounts: audit.scan.ownCredentialAccounts,
  };
};

/** The region Security Hub findings name and go to, like every client's (loads the SDK: only when needed). */
const securityHubRegion = async (region: string | undefined): Promise<string> =>
  (await import('../../lambda/aws/client-factory.ts')).resolveRegion(region);

const run = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const command = parseCommandLine(argv);
  if (command.command === 'help') {
    io.stdout.write(renderHelp(io.stdout.columns ?? 80));
    return EXIT.ok;
  }
  if (command.command === 'version') {
    io.stdout.write(`key-audit ${io.version}\n`);
    return EXIT.ok;
  }
  if (command.profile !== undefined) await checkProfile(command.profile);
  const config = await loadConfig(command.configFile, command.thresholds);
  const resolved = withConfig(command, config);
  // Before the scan: a history that cannot be read stops the run before anything is scanned or changed.
  const history = await startCliHistory(command);
  const enforcement = prepareEnforcement(resolved, config, history);
  const scanned = await scan(resolved, policyOf(config), config.production, io);
  const { ownCredentialAccounts } = scanned;
  const enforced = enforcement === null ? null : await enforcement.run(scanned, io.stderr);
  const evaluated = enforced?.report ?? scanned.report;
  const report = history === null ? evaluated : await history.complete(evaluated);
  if (history !== null) io.stderr.write(describeStored(report));
  const toTerminal = command.output === undefined && io.stdout.isTTY === true;
  const text = renderFormat(report, command.format, {
    // A file never gets colour; stdout does as --no-color, FORCE_COLOR, NO_COLOR and the terminal say.
    color:
      command.output === undefined &&
      useColor({ noColorFlag: command.noColor, env: process.env, isTTY: io.stdout.isTTY === true }),
    ...(toTerminal && io.stdout.columns ? { width: io.stdout.columns } : {}),
    ...(command.format === 'asff' ? { region: await securityHubRegion(command.region) } : {}),
  });
  if (command.output === undefined) io.stdout.write(text);
  else {
    try {
      await writeFile(command.output, text);
    } catch (error) {
      throw new InputError(`${command.output}: cannot write: ${(error as Error).message}`, { cause: error });
    }
  }
  await deliverAndRemember(history, report, () => publishFromCli(resolved, report, io.stderr, { history }), {
    ...(enforced?.remember === undefined ? {} : { remember: enforced.remember }),
  });
  const imported = await importFromCli(resolved, report, ownCredentialAccounts, io.stderr);
  // A failed enforcement action or notice makes the run incomplete, as a failed import does.
  return imported && enforced?.failed !== true ? exitCodeFor(report, command.failOn) : EXIT.incomplete;
};

/**
 * Whether `error` is the person's to fix and says so itself: bad input, an AWS refusal (no credentials,
 * Organizations denied, a publish refused), a history that cannot be read or written; or several of those.
 */
const isExpected = (error: Error): boolean =>
  error instanceof InputError ||
  error instanceof AwsAdapterError ||
  error instanceof HistoryError ||
  (error instanceof AggregateError &&
    error.errors.every((inner) => inner instanceof Error && isExpected(inner)));

/**
 * Runs the CLI. Input errors and whole-run AWS failures (no credentials, Organizations denied) print one
 * line (`key-audit: …`) and return 1; anything unexpected prints one line too, prefixed with its class,
 * with the stack only under `--debug`, and also returns 1: it is never swallowed.
 */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  try {
    return await run(argv, io);
  } catch (error) {
    const debug = argv.includes('--debug');
    const err = error instanceof Error ? error : new Error(String(error));
    // Bad input and AWS refusals (no credentials, Organizations denied) are the person's to fix and say so
    // themselves; only an unexpected error is named by its class, as a hint that it is a bug.
    const prefix = isExpected(err) ? '' : `${err.name}: `;
    io.stderr.write(`key-audit: ${prefix}${err.message.split(/[\r\n\u2028\u2029]/)[0]}\n`);
    if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return EXIT.usage;
  }
};
