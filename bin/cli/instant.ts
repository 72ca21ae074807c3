import { InputError } from '../../lambda/domain/errors.ts';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses `--as-of`: an ISO-8601 date (`2026-11-23`, midnight UTC) or instant with a zone
 * (`2026-11-23T09:00:00Z`). A time without a zone is refused: it would depend on the machine's zone.
 */
export const parseInstant = (value: string, flag: string): Date => {
  const trimmed = value.trim();
  const parsed = new Date(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed);
  if (!ISO_INSTANT.test(trimmed) || Number.isNaN(parsed.getTime())) {
    throw new InputError(
      `${flag}: "${value}" is not an ISO-8601 date or instant with a zone (e.g. 2026-11-23 or 2026-11-23T09:00:00Z)`,
    );
  }
  // Date accepts 2026-02-30 by rolling over; a person who typed it meant something else.
  if (parsed.toISOString().slice(0, 10) !== trimmed.slice(0, 10) && /Z$|^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    throw new InputError(`${flag}: "${value}" is not a real calendar date`);
  }
  return parsed;
};
