import type { AppRequest, AppSpec } from '../app/app-spec.ts';

/**
 * What the app did on SIGTERM, measured once before the matrix by starting one instance on a free port
 * (harness/app/shutdown-probe.ts). Times in ms.
 */
export interface AppShutdownMeasurement {
  /** The port the probed instance was given. */
  port: number;
  /** From start to the first 2xx answer of the readiness path. */
  readyAfterMs: number;
  /** Status of the load's request before SIGTERM (2xx-4xx accepted). */
  requestStatus: number;
  /**
   * Whether SIGTERM reached the app: `caught` when PID 1 (the command drainlab started) had a SIGTERM handler;
   * `not-caught` when it had none, so that as a container's PID 1 it ignores SIGTERM (pid_namespaces(7)) and the
   * emulator does not deliver it.
   */
  sigterm: 'caught' | 'not-caught';
  /** How the process ended: exit code (128 + signal when killed), signal name, ms after SIGTERM. */
  exit: { code: number; signal: string | null; afterMs: number };
  /** True when it was still running `boundSeconds` after SIGTERM and got SIGKILL. */
  killed: boolean;
  /** The bound after SIGTERM before SIGKILL, seconds. */
  boundSeconds: number;
  /** Connection attempts every ~50 ms after SIGTERM: how many were accepted, and when the last one was (ms). */
  newConnections: { attempts: number; accepted: number; lastAcceptedMs: number | null; firstRefusedMs: number | null };
  /** Requests in flight when SIGTERM was sent: how many completed with a response, how many were cut. */
  inFlight: { total: number; completed: number; failed: number };
  /** The summary the derived variants and the report use. */
  behaviour: 'exits-at-once' | 'drains' | 'ignores-sigterm';
}

/** The app of an app run, as recorded in results.json. */
export interface AppRecord {
  /** The app as given (command, readiness path, request, env). */
  spec: AppSpec;
  /** What it measurably did on SIGTERM. */
  shutdown: AppShutdownMeasurement;
  /** The preStop seconds the derived variants use, and how they were chosen. */
  preStopSeconds: number;
  /** The grace period of `app-prestop-grace`. */
  graceSeconds: number;
  /** Where the probe's output is, relative to the run folder. */
  probeLog: string;
}

/** Your own Deployment and Service of a real-cluster run (`--app-manifest`), as recorded in results.json. */
export interface AppManifestRecord {
  /** The files it was read from. */
  source: string;
  /** The Deployment's name. */
  deployment: string;
  /** The container that serves the Service's traffic. */
  container: string;
  /** The Service and the port the load was sent to. */
  service: string;
  servicePort: number;
  /** What the load sent. */
  request: AppRequest;
  /** The preStop seconds of `app-prestop`. */
  preStopSeconds: number;
  /** Remarks on the manifest (e.g. no readiness probe). */
  warnings: string[];
}
