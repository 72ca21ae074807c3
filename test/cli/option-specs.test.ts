import { describe, expect, it } from 'vitest';
import {
  FLAG_SETTINGS,
  OPTION_SPECS,
  OPTIONS,
  type OptionDecl,
  renderHelp,
  renderOptionsTable,
  wrap,
} from '../../bin/cli/option-specs.ts';
import { DEFAULT_REGION } from '../../lambda/aws/client-factory.ts';
import { SCAN_DEFAULTS } from '../../lambda/config/scan-settings.ts';
import { defaultOf, docOf } from '../../lambda/config/schema-kit.ts';
import { DEFAULT_POLICY } from '../../lambda/domain/policy.ts';

const spec = (name: string) => {
  const found = OPTION_SPECS.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no --${name}`);
  return found;
};

describe('OPTION_SPECS', () => {
  it.each([
    ['role-name', SCAN_DEFAULTS.roleName],
    ['concurrency', String(SCAN_DEFAULTS.concurrency)],
    ['source', SCAN_DEFAULTS.source],
    ['alert-severity', SCAN_DEFAULTS.alertSeverity],
    ['max-age-days', String(DEFAULT_POLICY.maxKeyAgeDays)],
    ['warn-days', String(DEFAULT_POLICY.warnDays)],
  ])('shows the default of --%s from the configuration schema (%s)', (name, expected) => {
    expect(spec(name).defaultText).toBe(expected);
  });

  it('describes a setting flag with the setting’s own description unless the flag has its own wording', () => {
    for (const [name, decl] of Object.entries(OPTIONS as Record<string, OptionDecl>)) {
      if (decl.setting === undefined) continue;
      const own = decl.description ?? docOf(FLAG_SETTINGS[decl.setting])?.description;
      const expected = decl.note === undefined ? own : `${own} ${decl.note}`;
      expect(spec(name).description, name).toBe(expected);
    }
  });

  it('links every setting flag to a setting that has a default or is optional', () => {
    for (const decl of Object.values(OPTIONS as Record<string, OptionDecl>)) {
      if (decl.setting === undefined) continue;
      expect(docOf(FLAG_SETTINGS[decl.setting]), decl.setting).toBeDefined();
      expect(defaultOf(FLAG_SETTINGS[decl.setting]) !== undefined || decl.setting === 'externalId').toBe(
        true,
      );
    }
  });

  it('names the SDK fallback region as the default of --region', () => {
    expect(spec('region').defaultText).toContain(DEFAULT_REGION);
  });
});

describe('wrap', () => {
  it('breaks at spaces and indents the following lines', () => {
    expect(wrap('one two three four', 10, 2)).toEqual(['one two', '  three', '  four']);
  });

  it('cuts a word longer than a line, so that no line is wider than asked', () => {
    expect(wrap('abcdefghijkl', 6, 0)).toEqual(['abcdef', 'ghijkl']);
  });
});

describe('renderHelp', () => {
  it.each([40, 60, 80, 100, 160])('keeps every line within %i columns', (width) => {
    for (const line of renderHelp(width).split('\n')) {
      expect(line.length, JSON.stringify(line)).toBeLessThanOrEqual(width);
    }
  });

  it.each([80, 160])('lists every option with its description and default at %i columns', (width) => {
    const text = renderHelp(width).replace(/\s+/g, ' ');
    for (const s of OPTION_SPECS) {
      expect(text).toContain(`--${s.name}`);
      const description = s.description.replaceAll('`', '');
      expect(text).toContain(
        s.defaultText === undefined ? description : `${description} (default: ${s.defaultText})`,
      );
    }
  });

  it('lists every flag even on a narrow terminal', () => {
    const text = renderHelp(40);
    for (const s of OPTION_SPECS) expect(text).toContain(`--${s.name}`);
  });

  it('offers -h as --help', () => {
    expect(renderHelp()).toMatch(/^ {2}-h, --help +Show this help\.$/m);
  });
});

describe('renderOptionsTable', () => {
  it('has a row per option', () => {
    expect(renderOptionsTable().split('\n')).toHaveLength(OPTION_SPECS.length + 2);
  });
});
