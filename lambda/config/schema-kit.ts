/**
 * The few building blocks every key-audit setting is declared with (zod/mini, to keep the Lambda bundle
 * small), and the reading of zod's issues as key-audit problems. Each block carries its own wording, so a
 * bad value is reported the same way whichever encoding it came from (cdk.json, environment, command
 * line), and every problem is reported at once, each naming its path.
 */
import * as z from 'zod/mini';
import { type IdRule, idProblem } from '../domain/aws-ids.ts';
import { didYouMean } from '../domain/did-you-mean.ts';

/** A value as a problem quotes it. */
export const show = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));

/** What zod hands an error function: the issue, with the value that failed. */
type RawIssue = { readonly code?: string; readonly input?: unknown };

/** The documentation of a setting: the README's configuration table and `--help` are made from it. */
export interface SettingDoc {
  /** What the setting does, in one or two sentences. */
  readonly description: string;
  /** The type as the README shows it, when the schema's own is not telling (e.g. `IANA zone`). */
  readonly type?: string;
  /** What the README shows as the default of a setting that has none. @default 'none' */
  readonly noDefault?: string;
  /** A valid value; the tests prove each setting accepts its example. */
  readonly example: unknown;
}

/** Documentation by setting schema. */
export const SETTING_DOCS = z.registry<SettingDoc>();

/** A setting with a default: `fallback` when the value is absent. */
export const setting = <T extends z.core.$ZodType>(
  schema: T,
  fallback: z.core.util.NoUndefined<z.output<T>> | (() => z.core.util.NoUndefined<z.output<T>>),
  doc: SettingDoc,
) => {
  const defaulted = z._default(schema, fallback);
  SETTING_DOCS.add(defaulted, doc);
  return defaulted;
};

/** A setting without a default: absent means "not used". */
export const optionalSetting = <T extends z.core.$ZodType>(schema: T, doc: SettingDoc) => {
  const optional = z.optional(schema);
  SETTING_DOCS.add(optional, doc);
  return optional;
};

/** A setting that must be given (inside an optional group, say). */
export const requiredSetting = <T extends z.core.$ZodType>(schema: T, doc: SettingDoc): T => {
  SETTING_DOCS.add(schema, doc);
  return schema;
};

/** An object whose keys are all known: an unknown key is a problem (with a did-you-mean). */
export const strict = <Shape extends z.core.$ZodLooseShape>(shape: Shape) =>
  z.strictObject(shape, {
    error: (issue: RawIssue) =>
      issue.code === 'invalid_type' ? `${show(issue.input)} must be an object` : undefined,
  });

/** A group of settings (a JSON object) whose members take their defaults when it is absent. */
export const group = <Shape extends z.core.$ZodLooseShape>(shape: Shape) =>
  // Every member has a default, so `{}` is a valid input; zod cannot know that from the generic shape.
  z.prefault(strict(shape), {} as z.input<ReturnType<typeof strict<Shape>>>);

/** A whole number from `min` (to `max`); `unit` names what is counted, for the problem's wording. */
export const wholeNumber = (range: {
  readonly min: number;
  readonly max?: number;
  readonly unit?: string;
}) => {
  const of = range.unit === undefined ? '' : ` of ${range.unit}`;
  const expected =
    range.max !== undefined
      ? `a whole number${of} from ${range.min} to ${range.max}`
      : range.min === 1
        ? `a positive whole number${of}`
        : `a whole number${of} of at least ${range.min}`;
  const error = (issue: RawIssue) => `${show(issue.input)} is not ${expected}`;
  return z
    .number({ error })
    .check(
      z.multipleOf(1, { error }),
      z.gte(range.min, { error }),
      ...(range.max === undefined ? [] : [z.lte(range.max, { error })]),
    );
};

/** A number greater than `bound`. */
export const numberAbove = (bound: number) => {
  const error = (issue: RawIssue) => `${show(issue.input)} is not a number greater than ${bound}`;
  return z.number({ error }).check(z.gt(bound, { error }));
};

/** `"a" or "b"`, or `one of a, b, c`. */
const choices = (values: readonly string[]): string =>
  values.length === 2 ? values.map((v) => `"${v}"`).join(' or ') : `one of ${values.join(', ')}`;

/** The problem of `value` not being one of `values`. */
export const notOneOf = (value: unknown, values: readonly string[]): string =>
  `${show(value)} must be ${choices(values)}`;

/** One of a few words. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue: RawIssue) => notOneOf(issue.input, values) });

/** `true` or `false`. */
export const flag = () =>
  z.boolean({ error: (issue: RawIssue) => `${show(issue.input)} must be true or false` });

/** A string following an identifier rule (see `lambda/domain/aws-ids.ts`). */
export const identifier = (rule: IdRule, typeProblem?: (value: unknown) => string | undefined) => {
  const error = (issue: RawIssue) => idProblem(rule, issue.input);
  return z
    .string({ error: (issue: RawIssue) => typeProblem?.(issue.input) ?? error(issue) })
    .check(z.regex(rule.pattern, { error }));
};

/** A string that `test` accepts; `problem` says what is wrong with one it refuses. */
export const text = (test: (value: string) => boolean, problem: (value: unknown) => string) => {
  const error = (issue: RawIssue) => problem(issue.input);
  return z.string({ error }).check(z.refine(test, { error }));
};

/** A JSON list of `item`. */
export const list = <T extends z.core.$ZodType>(item: T) =>
  z.array(item, { error: (issue: RawIssue) => `${show(issue.input)} must be a list` });

/**
 * A check between settings of one object, e.g. `warnDays` below `maxKeyAgeDays`. It runs even when other
 * settings have problems, so that every problem is reported at once, but not when one of the settings it
 * reads (`keys`) has a problem of its own: one typo is reported once. `report(null, ...)` names the object.
 */
export const relation = <T>(
  keys: readonly (keyof T & string)[],
  check: (value: T, report: (key: (keyof T & string) | null, problem: string) => void) => void,
) =>
  z.superRefine<T>(
    (value, ctx) =>
      check(value, (key, problem) =>
        ctx.addIssue({ code: 'custom', path: key === null ? [] : [key], message: problem }),
      ),
    {
      when: (payload) =>
        typeof payload.value === 'object' &&
        payload.value !== null &&
        !Array.isArray(payload.value) &&
        !payload.issues.some((issue) => keys.includes(String(issue.path?.[0]) as keyof T & string)),
    },
  );

/** The schema inside defaults, optionals and pipes: what actually checks the value. */
export const unwrap = (schema: z.core.$ZodType): z.core.$ZodType => {
  const def = schema._zod.def;
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
      return unwrap((def as z.core.$ZodDefaultDef).innerType);
    case 'pipe':
      return unwrap((def as z.core.$ZodPipeDef).in);
    default:
      return schema;
  }
};

/** The members of an object schema, or undefined for other schemas. */
export const shapeOf = (schema: z.core.$ZodType): Readonly<Record<string, z.core.$ZodType>> | undefined => {
  const def = unwrap(schema)._zod.def;
  return def.type === 'object' ? (def as z.core.$ZodObjectDef).shape : undefined;
};

/** The schema at `path` below `schema` (object keys and list indexes), or undefined. */
const schemaAt = (schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined => {
  let current: z.core.$ZodType | undefined = schema;
  for (const segment of path) {
    if (current === undefined) return undefined;
    const def: z.core.$ZodTypeDef = unwrap(current)._zod.def;
    current =
      def.type === 'array' ? (def as z.core.$ZodArrayDef).element : shapeOf(current)?.[String(segment)];
  }
  return current;
};

/** The default of a setting, or undefined when it has none. */
export const defaultOf = (schema: z.core.$ZodType): unknown => {
  const def = schema._zod.def;
  return def.type === 'default' ? structuredClone((def as z.core.$ZodDefaultDef).defaultValue) : undefined;
};

/** The documentation of a setting, if it is one. */
export const docOf = (schema: z.core.$ZodType): SettingDoc | undefined => SETTING_DOCS.get(schema);

/** One problem: where (`accounts[1]`, `schedules.report.hour`; empty for the whole value) and what. */
export interface Problem {
  readonly path: string;
  readonly problem: string;
}

/** `accounts[1]`, `schedules.report.hour` for a zod path. */
export const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, segment) =>
      typeof segment === 'number'
        ? `${text}[${segment}]`
        : text === ''
          ? String(segment)
          : `${text}.${String(segment)}`,
    '',
  );

/** The problem of an unknown key, with the known key it most likely meant. */
export const unknownKey = (key: string, known: Iterable<string>): string => {
  const near = didYouMean(key, known);
  return `unknown setting${near === undefined ? '' : ` (did you mean ${near}?)`}`;
};

/**
 * zod's issues for a value of `schema` as key-audit problems: one per unknown key (with a did-you-mean),
 * one per other issue, each once (a value can fail two checks that say the same).
 */
export const problemsOf = (issues: readonly z.core.$ZodIssue[], schema: z.core.$ZodType): Problem[] => {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (path: readonly PropertyKey[], problem: string): void => {
    const entry = { path: pathText(path), problem };
    const id = `${entry.path}\u0000${problem}`;
    if (seen.has(id)) return;
    seen.add(id);
    problems.push(entry);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(shapeOf(schemaAt(schema, issue.path) ?? schema) ?? {});
      for (const key of issue.keys) add([...issue.path, key], unknownKey(key, known));
    } else add(issue.path, issue.message);
  }
  return problems;
};

/** The problem of one value of `schema`, or undefined when it is valid. List item positions are left out. */
export const valueProblem = (schema: z.core.$ZodType, value: unknown): string | undefined => {
  const result = z.safeParse(schema, value);
  return result.success ? undefined : problemsOf(result.error.issues, schema)[0]?.problem;
};

/**
 * A value written as text (an environment variable, a flag) as the JSON value the schema reads: numbers
 * and booleans when they are spelt as such (else the text, so that the problem quotes it as written) and
 * comma-separated lists.
 */
export const valueFromText = (schema: z.core.$ZodType, text: string): unknown => {
  const type = unwrap(schema)._zod.def.type;
  const trimmed = text.trim();
  if (type === 'number') return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  if (type === 'boolean') return trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed;
  if (type === 'array') {
    return trimmed
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  return trimmed;
};
