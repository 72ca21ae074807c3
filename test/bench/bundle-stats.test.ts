import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { median, packageOf, summariseMetafile } from '../../bench/bundle-stats.ts';

describe('packageOf', () => {
  it.each([
    ['lambda/handler.ts', '(project)'],
    ['node_modules/@aws-sdk/client-iam/dist-es/index.js', '@aws-sdk/client-iam'],
    ['node_modules/tslib/tslib.es6.mjs', 'tslib'],
    ['node_modules/@smithy/core/node_modules/@smithy/types/dist-es/a.js', '@smithy/types'],
  ])('names the package of %s: %s', (path, name) => {
    expect(packageOf(path)).toBe(name);
  });
});

describe('summariseMetafile', () => {
  it('sorts inputs and packages by bytes in the output', () => {
    const input = (bytesInOutput: number) => ({ bytesInOutput });
    const metafile = {
      inputs: {},
      outputs: {
        'out/index.mjs': {
          bytes: 0,
          imports: [],
          exports: [],
          inputs: {
            'lambda/handler.ts': input(100),
            'node_modules/@aws-sdk/client-iam/a.js': input(300),
            'node_modules/@aws-sdk/client-iam/b.js': input(250),
            'node_modules/tslib/tslib.js': input(400),
          },
        },
      },
    } as unknown as Metafile;
    const { inputs, packages } = summariseMetafile(metafile);
    expect(inputs.map((i) => i.path)).toEqual([
      'node_modules/tslib/tslib.js',
      'node_modules/@aws-sdk/client-iam/a.js',
      'node_modules/@aws-sdk/client-iam/b.js',
      'lambda/handler.ts',
    ]);
    expect(packages).toEqual([
      { path: '@aws-sdk/client-iam', bytes: 550 },
      { path: 'tslib', bytes: 400 },
      { path: '(project)', bytes: 100 },
    ]);
  });
});

describe('median', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('of %j is %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});
