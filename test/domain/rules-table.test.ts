import { describe, expect, it } from 'vitest';
import { RULES } from '../../lambda/domain/catalogue.ts';
import { renderRulesTable } from '../../lambda/domain/rules-table.ts';

describe('renderRulesTable', () => {
  const lines = renderRulesTable().split('\n');

  it('renders a header, a separator and one row per catalogue rule in order', () => {
    expect(lines[0]).toBe('| Rule | Severity | When | What to do | CIS / Security Hub |');
    expect(lines[1]).toBe('| --- | --- | --- | --- | --- |');
    expect(lines.slice(2).map((line) => /^\| `([a-z-]+)` \|/.exec(line)?.[1])).toEqual(
      RULES.map((r) => r.id),
    );
  });

  it.each(RULES.map((rule) => [rule.id, rule] as const))(
    'gives %s five cells from the catalogue',
    (id, rule) => {
      const line = lines.find((candidate) => candidate.startsWith(`| \`${id}\` |`)) ?? '';
      const cells = line.slice(2, -2).split(' | ');
      expect(cells).toHaveLength(5);
      expect(cells[1]).toBe(
        rule.severityNote === undefined
          ? rule.defaultSeverity
          : `${rule.defaultSeverity}; ${rule.severityNote}`,
      );
      expect(cells[2]).toBe(rule.when);
      expect(cells[3]).toBe(rule.remediation);
      expect(cells[4]).toBe(rule.controls.length === 0 ? '-' : rule.controls.join(', '));
    },
  );

  it('maps rotation age to CIS 1.14 / IAM.3 and the root key to CIS 1.4 / IAM.4', () => {
    expect(lines.find((line) => line.startsWith('| `key-too-old` |'))).toMatch(/\| CIS 1\.14, IAM\.3 \|$/);
    expect(lines.find((line) => line.startsWith('| `root-access-key` |'))).toMatch(/\| CIS 1\.4, IAM\.4 \|$/);
  });
});
