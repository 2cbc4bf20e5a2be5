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
  /**
   * Your own app's objects (issue 15): deploy the containers' images as written. Otherwise a real cluster runs
   * drainlab's workload image (the one built or loaded for it) in container `web`.
   */
  ownImages?: boolean;
  /** The Service port the load is sent to; absent: the Service's first port. */
  servicePort?: number;
}
