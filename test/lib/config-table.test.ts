import { describe, expect, it } from 'vitest';
import { MAX_CONCURRENCY } from '../../lambda/config/scan-settings.ts';
import { ConfigurationError } from '../../lambda/domain/errors.ts';
import { DEFAULT_CONFIG, parseKeyAuditConfig } from '../../lib/config.ts';
import { CONFIG_KEYS, defaultOf, renderConfigTable } from '../../lib/config-table.ts';

/** Dotted paths of every leaf of `value` (arrays are leaves). */
const leafPaths = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.entries(value).flatMap(([key, inner]) =>
        leafPaths(inner, prefix === '' ? key : `${prefix}.${key}`),
      )
    : [prefix];

/** `{a: {b: value}}` for path `a.b`. */
const nest = (path: string, value: unknown): unknown =>
  path.split('.').reduceRight<unknown>((inner, segment) => ({ [segment]: inner }), value);

describe('CONFIG_KEYS', () => {
  it('documents every key that has a default', () => {
    const documented = new Set(CONFIG_KEYS.map((doc) => doc.key));
    for (const path of leafPaths(DEFAULT_CONFIG)) expect(documented, path).toContain(path);
  });

  it('documents each key once', () => {
    const keys = CONFIG_KEYS.map((doc) => doc.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(CONFIG_KEYS.map((doc) => [doc.key, doc] as const))('%s is a key the parser accepts', (key, doc) => {
    // Other fields may complain (organisation needs organisationId, ous needs organisation mode); the key
    // itself must be known and its example value valid.
    const input =
      key.startsWith('stackSet.') && key !== 'stackSet.targets'
        ? { stackSet: { targets: ['r-ab12'], [key.slice('stackSet.'.length)]: doc.example } }
        : nest(key, doc.example);
    let problems: readonly string[] = [];
    try {
      parseKeyAuditConfig(input);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      problems = (error as ConfigurationError).problems;
    }
    const aboutKey = problems.filter(
      (p) =>
        p.startsWith(`key-audit.${key}:`) ||
        p.startsWith(`key-audit.${key}[`) ||
        p.startsWith(`key-audit.${key}.`),
    );
    expect(aboutKey.filter((p) => !p.endsWith(': is only used with organisation: true'))).toEqual([]);
  });
});

describe('renderConfigTable', () => {
  const table = renderConfigTable();
  const rows = table.split('\n');

  it('renders a header and one row per documented key', () => {
    expect(rows[0]).toBe('| Key | Type | Default | Description |');
    expect(rows).toHaveLength(CONFIG_KEYS.length + 2);
  });

  it('shows the default taken from DEFAULT_CONFIG', () => {
    const row = rows.find((r) => r.startsWith('| `schedules.report.timeZone` |'));
    expect(row).toContain(`| \`${DEFAULT_CONFIG.schedules.report.timeZone}\` |`);
    expect(rows.find((r) => r.startsWith('| `maxKeyAgeDays` |'))).toContain(
      `| \`${DEFAULT_CONFIG.maxKeyAgeDays}\` |`,
    );
  });

  it.each([
    ['concurrency', `integer 1-${MAX_CONCURRENCY}`],
    ['maxKeyAgeDays', 'integer ≥ 1'],
    ['criticalAgeMultiplier', 'number > 1'],
    ['schedules.report.hour', 'integer 0-23'],
    ['source', '`report` \\| `api`'],
    ['exemptions', 'object[]'],
    ['stackSet.targets', 'string[]'],
  ])('derives the type of %s from the schema: %s', (key, type) => {
    expect(rows.find((r) => r.startsWith(`| \`${key}\` |`))).toContain(`| ${type} |`);
  });

  it('shows the stated fallback for keys without a default', () => {
    expect(defaultOf('externalId')).toBeUndefined();
    expect(rows.find((r) => r.startsWith('| `externalId` |'))).toContain('| none |');
  });

  it('keeps every row at four cells (pipes inside cells are escaped)', () => {
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length, row).toBe(6);
  });
});
