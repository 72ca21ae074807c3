/**
 * The configuration reference as a Markdown table, for the README, made by walking the configuration
 * schema (`lambda/config/key-audit-config.ts`): keys, types, defaults and descriptions all come from the
 * one declaration, so the table cannot drift from what the app accepts.
 */
import type * as z from 'zod/mini';
import { KEY_AUDIT_CONFIG } from '../lambda/config/key-audit-config.ts';
import {
  docOf,
  type SettingDoc,
  defaultOf as settingDefault,
  shapeOf,
  unwrap,
} from '../lambda/config/schema-kit.ts';

/** One row of the table. */
export interface ConfigKeyDoc extends SettingDoc {
  /** Dotted path below `key-audit`, e.g. `schedules.report.timeZone`. */
  readonly key: string;
  /** Type as a reader should write it. */
  readonly type: string;
  /** The default, or undefined when the setting has none. */
  readonly default: unknown;
}

type Check = { readonly _zod: { readonly def: { check: string; value?: unknown; inclusive?: boolean } } };

/** `integer 0-23`, `integer ≥ 1`, `number > 1` from a number schema's checks. */
const numberType = (schema: z.core.$ZodType): string => {
  const checks = (schema._zod.def.checks ?? []) as readonly Check[];
  const of = (name: string) => checks.find((c) => c._zod.def.check === name)?._zod.def;
  const kind = of('multiple_of')?.value === 1 ? 'integer' : 'number';
  const low = of('greater_than');
  const high = of('less_than');
  if (low !== undefined && high !== undefined) return `${kind} ${String(low.value)}-${String(high.value)}`;
  if (low !== undefined) return `${kind} ${low.inclusive === true ? '≥' : '>'} ${String(low.value)}`;
  return kind;
};

/** The type of a setting as the README shows it. */
const typeOf = (schema: z.core.$ZodType): string => {
  const inner = unwrap(schema);
  const def = inner._zod.def;
  switch (def.type) {
    case 'number':
      return numberType(inner);
    case 'enum':
      return Object.values((def as z.core.$ZodEnumDef).entries)
        .map((value) => `\`${String(value)}\``)
        .join(' \\| ');
    case 'array': {
      const element = unwrap((def as z.core.$ZodArrayDef).element);
      return `${shapeOf(element) === undefined ? typeOf(element) : 'object'}[]`;
    }
    default:
      return def.type;
  }
};

/** Every documented setting below `schema`, depth first, in declaration order. */
const settingsOf = (schema: z.core.$ZodType, prefix = ''): ConfigKeyDoc[] =>
  Object.entries(shapeOf(schema) ?? {}).flatMap(([name, member]) => {
    const key = `${prefix}${name}`;
    const doc = docOf(member);
    if (doc === undefined) return settingsOf(member, `${key}.`);
    return [{ ...doc, key, type: doc.type ?? typeOf(member), default: settingDefault(member) }];
  });

/** Every configuration key, in README order. */
export const CONFIG_KEYS: readonly ConfigKeyDoc[] = settingsOf(KEY_AUDIT_CONFIG);

/** The default of `key` as shown in the table, or undefined when the key has none. */
export const defaultOf = (key: string): unknown => CONFIG_KEYS.find((doc) => doc.key === key)?.default;

const cell = (text: string): string => text.replaceAll('\n', ' ');

const renderDefault = (doc: ConfigKeyDoc): string => {
  const value = doc.default;
  if (value === undefined) return doc.noDefault ?? 'none';
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
};

/** The Markdown table: Key | Type | Default | Description. Keys are below the context key `key-audit`. */
export const renderConfigTable = (): string =>
  [
    '| Key | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...CONFIG_KEYS.map(
      (doc) => `| \`${doc.key}\` | ${cell(doc.type)} | ${renderDefault(doc)} | ${cell(doc.description)} |`,
    ),
  ].join('\n');
