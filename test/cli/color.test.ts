import { describe, expect, it } from 'vitest';
import { useColor } from '../../bin/cli/color.ts';

describe('useColor', () => {
  it.each([
    { env: {}, isTTY: true, colour: true },
    { env: {}, isTTY: false, colour: false },
    { env: { NO_COLOR: '1' }, isTTY: true, colour: false },
    { env: { NO_COLOR: 'anything' }, isTTY: true, colour: false },
    // no-color.org: an empty NO_COLOR is as if unset.
    { env: { NO_COLOR: '' }, isTTY: true, colour: true },
    { env: { FORCE_COLOR: '1' }, isTTY: false, colour: true },
    { env: { FORCE_COLOR: '' }, isTTY: false, colour: true },
    { env: { FORCE_COLOR: '2' }, isTTY: false, colour: true },
    { env: { FORCE_COLOR: '3' }, isTTY: false, colour: true },
    { env: { FORCE_COLOR: 'true' }, isTTY: false, colour: true },
    { env: { FORCE_COLOR: '0' }, isTTY: true, colour: false },
    { env: { FORCE_COLOR: 'false' }, isTTY: true, colour: false },
    // Node: any other FORCE_COLOR value is a colour depth of 2, i.e. no colour.
    { env: { FORCE_COLOR: 'yes' }, isTTY: true, colour: false },
    // Node: FORCE_COLOR takes precedence over NO_COLOR.
    { env: { FORCE_COLOR: '1', NO_COLOR: '1' }, isTTY: false, colour: true },
  ])(
    'colours: $colour when the environment is $env and stdout is a TTY: $isTTY',
    ({ env, isTTY, colour }) => {
      expect(useColor({ noColorFlag: false, env, isTTY })).toBe(colour);
    },
  );

  it.each([{}, { FORCE_COLOR: '1' }])(
    'does not colour with --no-color, whatever the environment (%j)',
    (env) => {
      expect(useColor({ noColorFlag: true, env, isTTY: true })).toBe(false);
    },
  );
});
