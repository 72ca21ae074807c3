import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../lambda/domain/errors.ts';
import { deepMerge, readCdkJsonConfig, resolveConfigInput } from '../../lib/config-context.ts';

describe('deepMerge', () => {
  it('merges objects key by key and replaces arrays and scalars', () => {
    const base = { a: 1, list: [1, 2], nested: { x: 1, y: 2 } };
    expect(deepMerge(base, { list: [3], nested: { y: 3 } })).toEqual({
      a: 1,
      list: [3],
      nested: { x: 1, y: 3 },
    });
  });

  it('keeps the base when there is no override', () => {
    expect(deepMerge({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});

describe('resolveConfigInput', () => {
  const cdkJson = { accounts: ['111122223333'], schedules: { report: { hour: 9, minute: 0 } } };

  it('uses the cdk.json configuration when nothing overrides it', () => {
    expect(resolveConfigInput({ cdkJson, context: cdkJson, allContext: { 'key-audit': cdkJson } })).toEqual(
      cdkJson,
    );
  });

  it('merges a -c key-audit=<json> string over cdk.json instead of replacing it', () => {
    const context = JSON.stringify({ schedules: { report: { hour: 7 } } });
    expect(resolveConfigInput({ cdkJson, context, allContext: { 'key-audit': context } })).toEqual({
      accounts: ['111122223333'],
      schedules: { report: { hour: 7, minute: 0 } },
    });
  });

  it('applies -c key-audit.<path>=<value> last, parsing JSON values and keeping bare words as strings', () => {
    const allContext = {
      'key-audit': cdkJson,
      'key-audit.maxKeyAgeDays': '30',
      'key-audit.source': 'api',
      'key-audit.schedules.report.enabled': 'false',
      'key-audit.accounts': '["222233334444"]',
    };
    expect(resolveConfigInput({ cdkJson, context: cdkJson, allContext })).toEqual({
      accounts: ['222233334444'],
      maxKeyAgeDays: 30,
      source: 'api',
      schedules: { report: { hour: 9, minute: 0, enabled: false } },
    });
  });

  it('names -c key-audit when the override is not valid JSON', () => {
    expect(() => resolveConfigInput({ cdkJson, context: '{accounts:', allContext: {} })).toThrow(
      /^invalid configuration: -c key-audit: not valid JSON/,
    );
  });

  it('rejects an override that is JSON but not an object', () => {
    expect(() => resolveConfigInput({ cdkJson, context: '[1]', allContext: {} })).toThrow(ConfigurationError);
  });
});

describe('readCdkJsonConfig', () => {
  let dir = '';
  afterEach(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  const write = (text: string): string => {
    dir = mkdtempSync(join(tmpdir(), 'key-audit-cdk-json-'));
    const path = join(dir, 'cdk.json');
    writeFileSync(path, text);
    return path;
  };

  it('reads context["key-audit"] from the file', () => {
    expect(readCdkJsonConfig(write(JSON.stringify({ context: { 'key-audit': { source: 'api' } } })))).toEqual(
      {
        source: 'api',
      },
    );
  });

  it('returns undefined when the file or the key is absent', () => {
    expect(readCdkJsonConfig(write(JSON.stringify({ app: 'x' })))).toBeUndefined();
    expect(readCdkJsonConfig(join(tmpdir(), 'no-such-dir-key-audit', 'cdk.json'))).toBeUndefined();
  });

  it('names the file when it is not valid JSON', () => {
    const path = write('{');
    expect(() => readCdkJsonConfig(path)).toThrow(`${path}: not valid JSON`);
  });

  it('accepts the repository cdk.json sample configuration', async () => {
    const { parseKeyAuditConfig, DEFAULT_CONFIG } = await import('../../lib/config.ts');
    const sample = readCdkJsonConfig(new URL('../../cdk.json', import.meta.url).pathname);
    // The sample spells out the defaults: own-account mode, no organisation.
    expect(parseKeyAuditConfig(sample)).toEqual(DEFAULT_CONFIG);
  });
});
