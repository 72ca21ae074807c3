import { InputError } from '../../lambda/domain/errors.ts';
import type { Policy } from '../../lambda/domain/policy.ts';
import { resolvePolicy } from '../../lambda/domain/policy-config.ts';
import type { ThresholdOverrides } from './parse-args.ts';
import { readTextFile } from './read-inputs.ts';

const CONFIG_KEYS = new Set(['policy']);

/**
 * The policy for a CLI run: defaults, then the configuration file's `policy`, then threshold flags.
 * Validation runs once on the merged result so a flag that contradicts the file is reported too.
 */
export const loadPolicy = async (
  configFile: string | undefined,
  flags: ThresholdOverrides,
): Promise<Policy> => {
  let fromFile: Record<string, unknown> = {};
  if (configFile !== undefined) {
    const text = await readTextFile(configFile);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InputError(`${configFile}: not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new InputError(`${configFile}: expected a JSON object like {"policy": {...}}`);
    }
    const unknown = Object.keys(json).filter((k) => !CONFIG_KEYS.has(k));
    if (unknown.length > 0)
      throw new InputError(`${configFile}: unknown key "${unknown[0]}" (expected "policy")`);
    const policy = (json as { policy?: unknown }).policy ?? {};
    if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
      throw new InputError(`${configFile}: policy: expected an object`);
    }
    fromFile = policy as Record<string, unknown>;
  }
  return resolvePolicy({ ...fromFile, ...flags }, configFile ?? 'command line');
};
