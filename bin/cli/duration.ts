import { InputError } from '../../lambda/domain/errors.ts';

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a duration such as `24h`, `7d`, `90m`, `2w` or ISO-8601 `P1D` / `PT12H` into milliseconds.
 * @throws InputError naming the flag when the value is not a positive duration.
 */
export const parseDuration = (value: string, flag: string): number => {
  const simple = /^(\d+)([mhdw])$/.exec(value.trim());
  if (simple) {
    const ms = Number(simple[1]) * (UNIT_MS[simple[2] ?? ''] ?? 0);
    if (ms > 0) return ms;
  }
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(value.trim());
  if (iso && value.trim() !== 'P' && !value.trim().endsWith('T')) {
    const [, w, d, h, m] = iso;
    const ms =
      Number(w ?? 0) * 604_800_000 +
      Number(d ?? 0) * 86_400_000 +
      Number(h ?? 0) * 3_600_000 +
      Number(m ?? 0) * 60_000;
    if (ms > 0) return ms;
  }
  throw new InputError(`${flag}: "${value}" is not a duration (use e.g. 24h, 7d, 30m, 2w or ISO-8601 P1D)`);
};
