/**
 * Where the configuration comes from. The CDK CLI hands `-c key=value` to the app as a string and lets it
 * replace the cdk.json value of the same key, so a partial override would silently drop the rest of the
 * cdk.json configuration. Here the layers are merged instead, lowest first:
 *   1. cdk.json `context["key-audit"]` (the committed configuration, read from the file),
 *   2. `-c key-audit='{"maxKeyAgeDays":30}'` (a JSON object merged over it),
 *   3. `-c key-audit.maxKeyAgeDays=30` (one field; the value is parsed as JSON when it parses, else taken
 *      as a string, so `-c key-audit.source=api` works unquoted).
 * Objects merge key by key; arrays and scalars replace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigurationError } from '../lambda/domain/errors.ts';
import { CONFIG_CONTEXT_KEY } from './config.ts';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `over` merged onto `base`: objects key by key, anything else replaced. */
export const deepMerge = (base: unknown, over: unknown): unknown => {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value);
  return out;
};

const parseJsonOrString = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The layers `resolveConfigInput` merges. */
export interface ConfigLayers {
  /** `context["key-audit"]` of cdk.json, as in the file. */
  readonly cdkJson: unknown;
  /** The app's `key-audit` context value: the cdk.json object, or the `-c key-audit=<json>` string. */
  readonly context: unknown;
  /** All context of the app, for `key-audit.<field>` entries. */
  readonly allContext: Readonly<Record<string, unknown>>;
}

/**
 * The raw configuration after merging the layers (validated afterwards by `parseKeyAuditConfig`).
 * @throws ConfigurationError when `-c key-audit=...` is not a JSON object.
 */
export const resolveConfigInput = (layers: ConfigLayers): unknown => {
  let merged = layers.cdkJson;
  let override = layers.context;
  if (typeof override === 'string') {
    try {
      override = JSON.parse(override);
    } catch (error) {
      throw new ConfigurationError(
        [`-c ${CONFIG_CONTEXT_KEY}: not valid JSON (${(error as Error).message})`],
        { cause: error },
      );
    }
  }
  if (override !== undefined && !isObject(override)) {
    throw new ConfigurationError([
      `-c ${CONFIG_CONTEXT_KEY}: must be a JSON object, got ${JSON.stringify(override)}`,
    ]);
  }
  merged = deepMerge(merged, override);

  const prefix = `${CONFIG_CONTEXT_KEY}.`;
  const dotted = Object.entries(layers.allContext)
    .filter(([key]) => key.startsWith(prefix))
    .sort(([a], [b]) => a.localeCompare(b));
  for (const [key, value] of dotted) {
    const path = key.slice(prefix.length).split('.');
    const leaf = typeof value === 'string' ? parseJsonOrString(value) : value;
    const patch = path.reduceRight<unknown>((inner, segment) => ({ [segment]: inner }), leaf);
    merged = deepMerge(merged, patch);
  }
  return merged;
};

/**
 * `context["key-audit"]` of the cdk.json file at `path`; undefined when the file or key is absent.
 * @throws ConfigurationError when the file is not valid JSON.
 */
export const readCdkJsonConfig = (path: string): unknown => {
  if (!existsSync(path)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isObject(parsed) || !isObject(parsed.context)) return undefined;
    return parsed.context[CONFIG_CONTEXT_KEY];
  } catch (error) {
    throw new ConfigurationError([`${path}: not valid JSON (${(error as Error).message})`], { cause: error });
  }
};
