import type { Report } from '../../lambda/domain/report.ts';
import type { ScanCommand } from './parse-args.ts';
import type { ProgressStream } from './progress.ts';

/** `--publish-report` / `--publish-alerts`: not wired yet; the flags are refused until they are. */
export const publishFromCli = async (
  command: ScanCommand,
  _report: Report,
  _stderr: ProgressStream,
): Promise<void> => {
  if (command.publishReport !== undefined || command.publishAlerts !== undefined) {
    throw new Error('publishing is not implemented yet');
  }
};
