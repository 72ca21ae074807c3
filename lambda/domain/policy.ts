/**
 * The rotation policy: thresholds (names carry their unit) and exemptions. Declared, with its defaults
 * and checks, in `policy-config.ts`; this module is where the rest of the domain takes it from.
 */

export { addDays, ageInDays, DAY_MS } from './days.ts';
export {
  type ConfiguredExemption,
  DEFAULT_POLICY,
  type Policy,
} from './policy-config.ts';
