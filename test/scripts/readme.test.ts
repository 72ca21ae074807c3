import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, regenerate } from '../../scripts/generate-docs.ts';

describe('README', () => {
  const text = readFileSync(README, 'utf8');

  it('opens with the two set-up commands', () => {
    const firstBlock = text.split('```')[1] ?? '';
    expect(firstBlock).toContain('npm ci && npm run demo');
    expect(firstBlock).toContain('npm test');
  });

  it('has generated sections that match the code when it is up to date', () => {
    expect(regenerate(text), 'README.md is stale: run npm run docs').toBe(text);
  });

  it('refuses to regenerate when a marker is missing', () => {
    expect(() => regenerate('# no markers')).toThrow('marker <!-- generated:rules --> not found');
  });
});
