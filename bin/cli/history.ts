/**
 * `--history LOCATION`: the CLI's runs with a history (job `scan`), the same history run as the Lambda's
 * (lambda/app/history-run.ts). The history code, and the S3 SDK for an S3 location, load only with the flag.
 */
import type { HistoryRun } from '../../lambda/app/history-run.ts';
import type { Report } from '../../lambda/domain/report.ts';
import { formatDateTime, plural } from '../../lambda/domain/wording.ts';

/** New exemptions named on stderr; more are counted (the report lists them all). */
export const MAX_EXEMPTIONS_NAMED = 10;

/** What opening the history needs from the command line. */
export interface HistoryFlags {
  readonly history?: string;
  readonly profile?: string;
  readonly region?: string;
}

/**
 * The run's history with its memory loaded, or null without `--history`. Throws a HistoryError when the
 * history cannot be read: nothing is scanned or sent then.
 */
export const startCliHistory = async (flags: HistoryFlags): Promise<HistoryRun | null> => {
  if (flags.history === undefined) return null;
  const [{ parseHistoryLocation }, { startHistoryRun }] = await Promise.all([
    import('../../lambda/domain/history-location.ts'),
    import('../../lambda/app/history-run.ts'),
  ]);
  const location = parseHistoryLocation(flags.history);
  if (location.kind === 'directory') {
    const { createDirectoryHistoryStore } = await import('../../lambda/history/history-dir.ts');
    return startHistoryRun(createDirectoryHistoryStore(location.path), 'scan');
  }
  const [{ S3Client }, { createS3HistoryStore }, { clientConfig, resolveRegion }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('../../lambda/aws/history-s3.ts'),
    import('../../lambda/aws/client-factory.ts'),
  ]);
  const region = resolveRegion(flags.region);
  const client = new S3Client({
    ...clientConfig({ region, ...(flags.profile === undefined ? {} : { profile: flags.profile }) }),
    // The bucket may be in another region than the one the scan's calls go to.
    followRegionRedirects: true,
  });
  return startHistoryRun(createS3HistoryStore(client, location), 'scan', { region });
};

/** The stderr lines after a report was stored: where, and what changed since the previous scan. */
export const describeStored = (report: Report): string => {
  const lines = [`key-audit: complete report stored in ${report.storedAt?.uri ?? 'the history'}`];
  const { trend } = report;
  if (trend !== undefined) {
    lines.push(
      trend.previousAsOf === null
        ? 'key-audit: first scan with this history: nothing to compare with yet'
        : `key-audit: since the previous scan (${formatDateTime(trend.previousAsOf)}): ` +
            `${plural(trend.new.length, 'new finding')}, ${trend.resolved.length} resolved`,
    );
  }
  const exemptions = report.newExemptions ?? [];
  if (exemptions.length > 0) {
    const named = exemptions.slice(0, MAX_EXEMPTIONS_NAMED);
    const who = named.map((e) => `${e.userName} in ${e.accountId} until ${e.until}`).join(', ');
    const more = exemptions.length > named.length ? ` and ${exemptions.length - named.length} more` : '';
    lines.push(`key-audit: ${plural(exemptions.length, 'new exemption')}: ${who}${more}`);
  }
  return `${lines.join('\n')}\n`;
};
