import type { DataClassName, DataClassPolicy, ModelEntry } from '../../core/model-settings.js';

/**
 * Whether a model may receive a call holding these data classes. Each class the business listed
 * names what may see it: `local`, `external` or model ids; a class not listed is unrestricted.
 */
export function mayReceive(
  entry: Pick<ModelEntry, 'id' | 'location'>,
  classes: readonly string[],
  policy: DataClassPolicy,
): boolean {
  return classes.every((dataClass) => {
    const allowed = policy[dataClass as DataClassName];
    if (!allowed) return true;
    return allowed.includes(entry.location) || allowed.includes(entry.id);
  });
}
