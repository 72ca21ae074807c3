import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../lambda/domain/catalogue.ts';
import { RULE_IDS } from '../../../lambda/domain/finding.ts';
import { RULE_REGISTRY } from '../../../lambda/domain/rules/registry.ts';

describe('RULE_REGISTRY', () => {
  it.each(RULE_IDS)('holds a module and a catalogue entry for %s', (id) => {
    const modules = RULE_REGISTRY.filter((rule) => rule.metadata.id === id);
    expect(modules).toHaveLength(1);
    expect(modules[0]?.metadata).toBe(CATALOGUE[id]);
    expect(CATALOGUE[id].id).toBe(id);
  });

  it('holds nothing but known rules', () => {
    expect(RULE_REGISTRY.map((rule) => rule.metadata.id).sort()).toEqual([...RULE_IDS].sort());
  });

  it.each([
    ['root-access-key', false],
    ['account-unreachable', false],
    ['invalid-exemption', false],
    ['key-too-old', true],
    ['key-due-soon', true],
    ['two-active-keys', true],
    ['key-unused', true],
    ['inactive-key', true],
    ['new-exemption', false],
  ])('lets exemptions excuse %s: %s', (id, exemptible) => {
    expect(RULE_REGISTRY.find((rule) => rule.metadata.id === id)?.exemptible).toBe(exemptible);
  });
});
