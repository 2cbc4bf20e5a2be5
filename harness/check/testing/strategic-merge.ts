import { isRecord } from '../parse-manifests.ts';

/**
 * Enough of `kubectl patch --type strategic` to apply check's fixes in tests: maps merge key by key, `null` removes a
 * key, `containers` lists merge by `name` (their patchMergeKey), every other list is replaced. Returns a new object.
 */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch) || !isRecord(target)) return structuredClone(patch);
  const out: Record<string, unknown> = structuredClone(target);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
    } else if (key === 'containers' && Array.isArray(value) && Array.isArray(out[key])) {
      const merged = [...(out[key] as unknown[])];
      for (const item of value) {
        const at = merged.findIndex((c) => isRecord(c) && isRecord(item) && c.name === item.name);
        if (at === -1) merged.push(structuredClone(item));
        else merged[at] = strategicMerge(merged[at], item);
      }
      out[key] = merged;
    } else {
      out[key] = strategicMerge(out[key], value);
    }
  }
  return out;
}
