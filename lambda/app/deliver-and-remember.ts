/**
 * Publishing, then remembering what was delivered: the last steps of a run with a history (history-run.ts),
 * shared by the CLI and the Lambda. The memory is saved AFTER publishing, also when publishing failed
 * part-way, and the publishing error is rethrown only then. Saving before publishing could record as
 * delivered an alert that then failed (lost for good); saving after means that a crash between the two
 * repeats those alerts on the next run rather than losing them. Free of the SDKs and of the history's
 * parsing, so runs without a history load nothing more.
 */
import type { AlertReason } from '../domain/alerts.ts';
import type { Memory } from '../domain/memory.ts';
import type { AlertToSend } from '../domain/memory-alerts.ts';
import type { PublishedAlert } from '../domain/remember-run.ts';
import type { Report } from '../domain/report.ts';
import type { HistoryRun, SavedMemory } from './history-run.ts';

/** How alert messages word a reason: an alert never delivered is new to on-call. */
export const alertChoices = (
  toSend: readonly AlertToSend[],
): { readonly finding: AlertToSend['finding']; readonly reason: AlertReason }[] =>
  toSend.map(({ finding, reason }) => ({ finding, reason: reason === 'undelivered' ? 'new' : reason }));

/**
 * The alerts an error says were delivered before it (an `AlertPublishError` carries them); none for any
 * other error. Duck-typed so that this module does not load the SNS SDK.
 */
export const deliveredBefore = (error: unknown): readonly PublishedAlert[] => {
  const delivered = (error as { delivered?: unknown } | null)?.delivered;
  return error instanceof Error && Array.isArray(delivered) ? (delivered as PublishedAlert[]) : [];
};

/** What `deliverAndRemember` did. */
export interface Remembered {
  readonly delivered: readonly PublishedAlert[];
  /** The memory saved, or null without a history. */
  readonly saved: SavedMemory | null;
}

/** Options of `deliverAndRemember`. */
export interface RememberOptions {
  /** More to remember (enforcement's changes), as `RunOutcome.remember`. */
  readonly remember?: (memory: Memory) => Memory;
  /** Told once the memory is saved, also when the publishing error is about to be rethrown. */
  readonly onSaved?: (saved: SavedMemory, delivered: readonly PublishedAlert[]) => void;
}

/**
 * Publishes with `publish` (which returns the alerts it delivered, none for a report), then saves the
 * memory of `run` (when there is one) with what was delivered; when publishing failed, the memory is saved
 * with what did reach the topic before the error is rethrown. When saving fails too, both are thrown
 * together (an AggregateError): the alerts delivered will then be sent again, never lost.
 */
export const deliverAndRemember = async (
  run: HistoryRun | null,
  report: Report,
  publish: () => Promise<readonly PublishedAlert[]>,
  options: RememberOptions = {},
): Promise<Remembered> => {
  const { remember } = options;
  let delivered: readonly PublishedAlert[];
  let failure: { readonly error: unknown } | null = null;
  try {
    delivered = await publish();
  } catch (error) {
    failure = { error };
    delivered = deliveredBefore(error);
  }
  let saved: SavedMemory | null = null;
  if (run !== null) {
    try {
      saved = await run.save({ report, delivered, ...(remember === undefined ? {} : { remember }) });
      options.onSaved?.(saved, delivered);
    } catch (error) {
      if (failure === null) throw error;
      const messages = [failure.error, error].map((e) => (e instanceof Error ? e.message : String(e)));
      throw new AggregateError(
        [failure.error, error],
        `publishing failed (${messages[0]}), and the history could not be saved (${messages[1]})`,
      );
    }
  }
  if (failure !== null) throw failure.error;
  return { delivered, saved };
};
