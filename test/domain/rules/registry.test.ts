import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../lambda/domain/catalogue.ts';
import { RULE_IDS } from '../../../lambda/domain/finding.ts';
import { RULE_REGISTRY, RULES_OUTSIDE_EVALUATE } from '../../../lambda/domain/rules/registry.ts';

const EVALUATED = RULE_IDS.filter((id) => !RULES_OUTSIDE_EVALUATE.includes(id));

describe('RULE_REGISTRY', () => {
  it.each(EVALUATED)('holds a module and a catalogue entry for %s', (id) => {
    const modules = RULE_REGISTRY.filter((rule) => rule.metadata.id === id);
    expect(modules).toHaveLength(1);
    expect(modules[0]?.metadata).toBe(CATALOGUE[id]);
    expect(CATALOGUE[id].id).toBe(id);
  });

  it('holds every rule but those raised outside evaluate, and nothing else', () => {
    expect(RULE_REGISTRY.map((rule) => rule.metadata.id).sort()).toEqual([...EVALUATED].sort());
  });

  it.each(RULES_OUTSIDE_EVALUATE)('has a catalogue entry for %s, raised outside evaluate', (id) => {
    expect(CATALOGUE[id].id).toBe(id);
    expect(RULE_REGISTRY.some((rule) => rule.metadata.id === id)).toBe(false);
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
  ])('lets exemptions excuse %s: %s', (id, exemptible) => {
    expect(RULE_REGISTRY.find((rule) => rule.metadata.id === id)?.exemptible).toBe(exemptible);
  });
});
