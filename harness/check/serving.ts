import type { Container, Service, Workload } from './workload.ts';

/**
 * Whether a workload's pods receive Service traffic, and through which containers.
 * - `service`: a Service in the input selects the pod template's labels (same namespace, or a namespace left out).
 * - `probably`: the input holds no Service at all (a Deployment checked alone) and a container declares a port; the
 *   rules that need a Service then report at a lower severity and say why.
 * - `no`: neither. Services in the input that select other pods mean this one is not behind them.
 */
export type Serving =
  | { kind: 'service'; services: string[]; containers: Container[] }
  | { kind: 'probably'; containers: Container[] }
  | { kind: 'no' };

/** How the workload is served by the Services in the input (see {@link Serving}). */
export function servingOf(workload: Workload, services: readonly Service[]): Serving {
  const matched = services.filter((s) => selects(s, workload));
  const withPorts = workload.containers.filter((c) => c.ports.length > 0);
  if (matched.length > 0) {
    const targets = matched.flatMap((s) => s.targetPorts);
    const targeted = workload.containers.filter((c) =>
      c.ports.some(
        (p) =>
          (p.name !== undefined && targets.includes(p.name)) ||
          (p.containerPort !== undefined && targets.includes(p.containerPort)),
      ),
    );
    // Declared ports are informational: traffic reaches a container that declares none. Without a declared target,
    // the containers with ports, else the first container (usually the only one) stand for the app.
    const containers =
      targeted.length > 0 ? targeted : withPorts.length > 0 ? withPorts : workload.containers.slice(0, 1);
    return { kind: 'service', services: matched.map((s) => s.name), containers };
  }
  if (services.length === 0 && withPorts.length > 0) return { kind: 'probably', containers: withPorts };
  return { kind: 'no' };
}

/** A Service selects a pod template when every selector label is on the template (Service spec.selector semantics). */
function selects(service: Service, workload: Workload): boolean {
  const namespace = workload.ref.namespace;
  if (service.namespace !== undefined && namespace !== undefined && service.namespace !== namespace) return false;
  const selector = Object.entries(service.selector ?? {});
  return selector.length > 0 && selector.every(([k, v]) => workload.podLabels[k] === v);
}
