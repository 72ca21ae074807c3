/**
 * Whether the CLI colours its output, decided in one place, the way Node and no-color.org define it:
 * `--no-color` wins; then FORCE_COLOR (`0` or `false` turns colour off; empty, `1`, `2`, `3` or `true`
 * turns it on even when stdout is not a terminal; any other value means no colour, as in Node); then
 * NO_COLOR (any non-empty value turns colour off; an empty NO_COLOR is ignored); else colour exactly when
 * stdout is a terminal.
 */

/** FORCE_COLOR values that turn colour on (Node's 16, 256 and 16m colour depths). */
const FORCE_ON: ReadonlySet<string> = new Set(['', '1', '2', '3', 'true']);

/** What the decision depends on. */
export interface ColorContext {
  /** `--no-color` was given. */
  readonly noColorFlag: boolean;
  /** The process environment (FORCE_COLOR, NO_COLOR). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stdout is a terminal. */
  readonly isTTY: boolean;
}

/** True when output should carry ANSI colours. */
export const useColor = ({ noColorFlag, env, isTTY }: ColorContext): boolean => {
  if (noColorFlag) return false;
  if (env.FORCE_COLOR !== undefined) return FORCE_ON.has(env.FORCE_COLOR);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
};
