import type { Variant } from '../variants/variant.ts';

/**
 * Specs Kubernetes accepts but that make a run measure something other than graceful termination, one line each:
 * an exec preStop sleep at or above the grace period (SIGTERM then comes only in the 2 s extension), no readiness
 * probe (a pod counts as ready before it listens), and a `replicas` that will not be used: each scenario sets the
 * Deployment's replicas when the cell starts (run-cell: scenario.initialReplicas), on both platforms.
 */
export function variantWarnings(variant: Variant): string[] {
  const warnings: string[] = [];
  const spec = variant.deployment.spec;
  const pod = spec?.template?.spec;
  const grace = pod?.terminationGracePeriodSeconds ?? 30;
  const container = pod?.containers?.[0];
  const command = container?.lifecycle?.preStop?.exec?.command ?? [];
  const [program, seconds] = command;
  if (program !== undefined && /(^|\/)sleep$/.test(program) && Number(seconds) >= grace) {
    warnings.push(
      `preStop exec sleep ${seconds} s is at or above terminationGracePeriodSeconds (${grace}): the app gets SIGTERM ` +
        'only in the kubelet’s 2 s extension and is then SIGKILLed',
    );
  }
  if (container && !container.readinessProbe) {
    warnings.push('no readinessProbe: pods count as ready as soon as they run, before they listen');
  }
  if (spec?.replicas !== undefined && spec.replicas !== 3) {
    warnings.push(
      `replicas ${spec.replicas} is not used: each scenario sets the replica count when the cell starts (the ` +
        'catalog scenarios start with 3); define a scenario with its own replicas in the file instead',
    );
  }
  return warnings;
}
