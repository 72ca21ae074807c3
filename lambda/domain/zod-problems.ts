/**
 * zod issues as key-audit's one-line problems: `path: message`, the path written as in JavaScript
 * (`delivered["key-too-old:111122223333:AKIA..."].severity`, `actions[3].at`).
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini (chosen for the Lambda bundle) carries no messages of its own: the English ones, once.
z.config(en());

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A zod path as JavaScript would write it (empty for the root). */
export const formatPath = (path: readonly PropertyKey[]): string =>
  path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const name = String(part);
      if (IDENTIFIER.test(name)) return index === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');

const describeIssue = (issue: z.core.$ZodIssue): string => {
  // A bad record key reports its own problem nested under a generic "Invalid key in record".
  const nested = issue.code === 'invalid_key' ? issue.issues[0] : undefined;
  const message = nested === undefined ? issue.message : `key: ${nested.message}`;
  const path = formatPath(issue.path);
  return path === '' ? message : `${path}: ${message}`;
};

/** At most this many problems are listed; the rest are counted. */
const MAX_LISTED = 5;

/** Every issue in one line (`a: ...; b: ...`), the first few listed and the rest counted. */
export const describeIssues = (issues: readonly z.core.$ZodIssue[]): string => {
  const listed = issues.slice(0, MAX_LISTED).map(describeIssue);
  const more = issues.length - listed.length;
  return more > 0 ? `${listed.join('; ')}; and ${more} more` : listed.join('; ');
};
