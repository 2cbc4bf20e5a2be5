import { stringify } from 'yaml';
import type { Variant } from '../variants/variant.ts';

/** A fix as the user applies it to their own Deployment. */
export interface AppPatch {
  /** The strategic-merge patch as YAML (containers merge by name). */
  yaml: string;
  /** One line to apply it: `kubectl patch deployment … --type strategic -p '…'` (the patch as JSON). */
  command: string;
}

/**
 * The strategic-merge patch that turns `base`'s pod template into `fix`'s, for the fields the derived variants
 * change: terminationGracePeriodSeconds and the container's lifecycle (preStop). Undefined when they are the same.
 * Containers are matched by name, as `kubectl patch --type strategic` does.
 */
export function appPatch(base: Variant, fix: Variant): AppPatch | undefined {
  const before = base.deployment.spec?.template.spec;
  const after = fix.deployment.spec?.template.spec;
  if (!before || !after) return undefined;
  const spec: Record<string, unknown> = {};
  if ((after.terminationGracePeriodSeconds ?? 30) !== (before.terminationGracePeriodSeconds ?? 30)) {
    spec['terminationGracePeriodSeconds'] = after.terminationGracePeriodSeconds ?? 30;
  }
  const containers = after.containers.flatMap((c) => {
    const old = before.containers.find((o) => o.name === c.name);
    const same = JSON.stringify(old?.lifecycle ?? null) === JSON.stringify(c.lifecycle ?? null);
    // A lifecycle the fix drops is deleted with null, which a strategic merge understands.
    return same ? [] : [{ name: c.name, lifecycle: c.lifecycle ?? null }];
  });
  if (containers.length > 0) spec['containers'] = containers;
  if (Object.keys(spec).length === 0) return undefined;
  const patch = { spec: { template: { spec } } };
  const name = base.deployment.metadata?.name ?? 'web';
  return {
    yaml: stringify(patch, { lineWidth: 0 }),
    command: `kubectl patch deployment ${name} --type strategic -p '${JSON.stringify(patch)}'`,
  };
}
