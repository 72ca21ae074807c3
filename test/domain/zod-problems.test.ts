import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { describeIssues, formatPath } from '../../lambda/domain/zod-problems.ts';

describe('formatPath', () => {
  it.each([
    [[], ''],
    [['delivered'], 'delivered'],
    [['actions', 3, 'at'], 'actions[3].at'],
    [
      ['delivered', 'key-too-old:111111111111:AKIA1', 'severity'],
      'delivered["key-too-old:111111111111:AKIA1"].severity',
    ],
    [['lastScanned', '111111111111'], 'lastScanned["111111111111"]'],
  ] as const)('does write %j as %j', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe('describeIssues', () => {
  const issuesOf = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues ?? [];

  it('does put the path before each problem and join them in one line', () => {
    const schema = z.object({ a: z.number(), b: z.array(z.string()) });
    expect(describeIssues(issuesOf(schema, { a: 'x', b: [1] }))).toBe(
      'a: Invalid input: expected number, received string; b[0]: Invalid input: expected string, received number',
    );
  });

  it('does name the problem of a bad record key rather than "Invalid key in record"', () => {
    const schema = z.record(z.string().regex(/^\d+$/, 'not digits'), z.number());
    expect(describeIssues(issuesOf(schema, { abc: 1 }))).toBe('abc: key: not digits');
  });

  it.each([
    [5, /^(\[\d\]: [^;]+; ){4}\[4\]: [^;]+$/],
    [6, /; and 1 more$/],
  ])('does list at most five of %i problems', (count, expected) => {
    const issues = issuesOf(
      z.array(z.number()),
      Array.from({ length: count }, () => 'x'),
    );
    expect(describeIssues(issues)).toMatch(expected);
  });
});
