import type { V1Deployment, V1Service } from '@kubernetes/client-node';

/** Text in the two languages of the course. */
export interface Bilingual {
  en: string;
  ja: string;
}

/** How the workload reacts to SIGTERM (env SHUTDOWN_MODE of the workload). */
export type ShutdownMode = 'exit' | 'drain' | 'ignore';

/**
 * One workload variant: a Deployment and its Service, defined once as typed Kubernetes objects. The same objects
 * drive the local emulator and the kind cluster, and are written as YAML to manifests/.
 */
export interface Variant {
  /** Contract name (design §4), e.g. `prestop-drain`. */
  name: string;
  /** One line: what this variant changes. */
  summary: Bilingual;
  /** What we expect on a rolling update under keep-alive load, and why. */
  expectation: Bilingual;
  /** True when the variant is expected to lose no request (CI gates on it). */
  expectedSafe: boolean;
  deployment: V1Deployment;
  service: V1Service;
}
