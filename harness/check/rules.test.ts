import { describe, expect, it } from 'vitest';
import { RULES } from './rules.ts';
import { findingsOf, manifest, type Changes } from './testing/manifests.ts';
import { strategicMerge } from './testing/strategic-merge.ts';
import type { CheckOptions } from './run-check.ts';

/** One example: the changes to the good manifest, options, and for a failing one the severity expected. */
interface Example {
  name: string;
  changes: Changes;
  options?: CheckOptions;
  severity?: 'error' | 'warning' | 'info';
  message?: RegExp;
}

const distroless = 'gcr.io/distroless/nodejs22-debian12:nonroot';
const shell = (script: string, sh = 'sh') => ({ command: [sh, '-c', script] });

/** For every rule: manifests it must report (fail) and close ones it must not (pass). */
const CASES: Record<string, { fail: Example[]; pass: Example[] }> = {
  'no-prestop-hook': {
    fail: [
      {
        name: 'no preStop behind a Service',
        changes: { container: { lifecycle: undefined } },
        severity: 'error',
        message: /container web has no preStop hook, and Service web sends traffic to it/,
      },
      {
        name: 'no Service in the input, a declared port: probably served',
        changes: { container: { lifecycle: undefined }, service: false },
        severity: 'warning',
        message: /no Service in the input selects it, so this assumes one does/,
      },
      {
        name: 'a StatefulSet',
        changes: { kind: 'StatefulSet', container: { lifecycle: undefined } },
        severity: 'error',
      },
      { name: 'a DaemonSet', changes: { kind: 'DaemonSet', container: { lifecycle: undefined } }, severity: 'error' },
    ],
    pass: [
      { name: 'a native preStop sleep', changes: {} },
      {
        name: 'an exec preStop',
        changes: { container: { lifecycle: { preStop: { exec: { command: ['/drain'] } } } } },
      },
      {
        name: 'Services in the input select other pods',
        changes: { container: { lifecycle: undefined }, service: { selector: { app: 'other' } } },
      },
      {
        name: 'no Service and no port: a worker',
        changes: { container: { lifecycle: undefined, ports: undefined }, service: false },
      },
    ],
  },
  'exec-sleep-without-sleep-binary': {
    fail: [
      {
        name: 'exec sleep in a distroless image',
        changes: { container: { image: distroless, lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } } },
        severity: 'error',
        message: /preStop runs exec sleep in gcr\.io\/distroless.*a distroless image/,
      },
      {
        name: 'sh -c sleep in Chainguard static',
        changes: {
          container: {
            image: 'cgr.dev/chainguard/static:latest',
            lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 5'] } } },
          },
        },
        severity: 'error',
      },
      {
        name: 'an image tagged scratch',
        changes: {
          container: {
            image: 'example.com/app:scratch',
            lifecycle: { preStop: { exec: { command: ['sleep', '3'] } } },
          },
        },
      },
    ],
    pass: [
      {
        name: 'the distroless :debug tag has busybox',
        changes: {
          container: {
            image: 'gcr.io/distroless/base:debug',
            lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
          },
        },
      },
      { name: 'the native sleep action in a distroless image', changes: { container: { image: distroless } } },
      {
        name: 'exec sleep in an image with coreutils',
        changes: {
          container: { image: 'node:24-slim', lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } },
        },
      },
      {
        name: 'exec of the app’s own binary in a distroless image',
        changes: { container: { image: distroless, lifecycle: { preStop: { exec: { command: ['/app/drain'] } } } } },
      },
    ],
  },
  'prestop-at-or-over-grace': {
    fail: [
      {
        name: 'exec sleep 40 with grace 30',
        changes: {
          container: { lifecycle: { preStop: { exec: { command: ['sleep', '40'] } } } },
          pod: { terminationGracePeriodSeconds: 30 },
        },
        severity: 'error',
        message: /preStop sleeps 40 s, at or over terminationGracePeriodSeconds 30: .*2 s extension/,
      },
      {
        name: 'native sleep equal to the default grace',
        changes: { container: { lifecycle: { preStop: { sleep: { seconds: 30 } } } } },
        message: /at or over terminationGracePeriodSeconds 30 \(the default\)/,
      },
      {
        name: 'a shell script that starts with sleep 1m',
        changes: {
          container: { lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 1m; kill 1'] } } } },
        },
      },
    ],
    pass: [
      {
        name: 'exec sleep 29 with grace 30',
        changes: {
          container: { lifecycle: { preStop: { exec: { command: ['sleep', '29'] } } } },
          pod: { terminationGracePeriodSeconds: 30 },
        },
      },
      {
        name: 'a long sleep with a longer grace period',
        changes: {
          container: { lifecycle: { preStop: { exec: { command: ['sleep', '40'] } } } },
          pod: { terminationGracePeriodSeconds: 60 },
        },
      },
    ],
  },
  'grace-too-short': {
    fail: [
      {
        name: 'preStop 10 + annotation 25 > grace 30',
        changes: {
          container: { lifecycle: { preStop: { sleep: { seconds: 10 } } } },
          annotations: { 'drainlab/shutdown-seconds': '25' },
        },
        severity: 'error',
        message:
          /preStop 10 s .* \+ the app’s 25 s shutdown \(annotation drainlab\/shutdown-seconds\) = 35 s, over .*SIGKILLed 5 s before/,
      },
      {
        name: '--shutdown-seconds without an annotation',
        changes: { container: { lifecycle: { preStop: { sleep: { seconds: 10 } } } } },
        options: { shutdownSeconds: 25 },
        message: /\(--shutdown-seconds\)/,
      },
      {
        name: 'no preStop, an app slower than the grace period',
        changes: {
          container: { lifecycle: { preStop: { httpGet: { path: '/pre', port: 8080 } } } },
          pod: { terminationGracePeriodSeconds: 10 },
          annotations: { 'drainlab/shutdown-seconds': '12' },
        },
        message: /the app’s 12 s shutdown .* is over terminationGracePeriodSeconds 10/,
      },
    ],
    pass: [
      { name: 'no shutdown time given: the rule cannot know', changes: {} },
      {
        name: 'exactly the grace period',
        changes: {
          container: { lifecycle: { preStop: { sleep: { seconds: 10 } } } },
          annotations: { 'drainlab/shutdown-seconds': '20' },
        },
      },
      {
        name: 'the annotation wins over --shutdown-seconds',
        changes: { annotations: { 'drainlab/shutdown-seconds': '5' } },
        options: { shutdownSeconds: 60 },
      },
    ],
  },
  'shell-without-exec': {
    fail: [
      {
        name: 'sh -c with two commands, no exec',
        changes: { container: shell('cd /app && node server.js') },
        severity: 'error',
        message: /starts through sh -c and its last command \(node server\.js\) has no exec/,
      },
      {
        name: 'sh -c with one command (dash stays PID 1)',
        changes: { container: shell('node server.js') },
        severity: 'error',
      },
      {
        name: 'bash: a warning',
        changes: { container: shell('node server.js', '/bin/bash') },
        severity: 'warning',
        message: /bash 5\.1\+ often replaces itself/,
      },
      {
        name: 'the script in args',
        changes: { container: { command: ['/bin/sh', '-ec'], args: ['set -x\nnode server.js'] } },
      },
      {
        name: 'tini in front of the shell',
        changes: { container: { command: ['tini', '--', 'sh', '-c', 'node server.js'] } },
      },
    ],
    pass: [
      { name: 'exec in front of the last command', changes: { container: shell('cd /app && exec node server.js') } },
      {
        name: 'a script that traps TERM and forwards it',
        changes: { container: shell("node server.js & pid=$!\ntrap 'kill -TERM $pid' TERM\nwait $pid") },
      },
      {
        name: 'no shell: tini in front of the app',
        changes: { container: { command: ['tini', '--', 'node', 'app'] } },
      },
      { name: 'no command: the image entrypoint', changes: { container: { args: ['--port', '8080'] } } },
    ],
  },
  'no-readiness-probe': {
    fail: [
      {
        name: 'no readiness probe behind a Service',
        changes: { container: { readinessProbe: undefined } },
        severity: 'warning',
        message: /container web has no readinessProbe/,
      },
      {
        name: 'no Service in the input: info',
        changes: { container: { readinessProbe: undefined }, service: false },
        severity: 'info',
      },
    ],
    pass: [
      { name: 'a readiness probe', changes: {} },
      {
        name: 'a sidecar without ports needs none',
        changes: { sidecars: [{ name: 'logs', image: 'example.com/logs:1' }] },
      },
      {
        name: 'not behind a Service',
        changes: { container: { readinessProbe: undefined }, service: { selector: {} } },
      },
    ],
  },
  'all-replicas-at-once': {
    fail: [
      {
        name: 'maxUnavailable 100%',
        changes: {
          spec: {
            replicas: 2,
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '100%' } },
          },
        },
        severity: 'error',
        message: /maxUnavailable 100% of 2 replica\(s\) resolves to 2/,
      },
      {
        name: 'one replica, maxSurge 0: the fencepost makes maxUnavailable 1',
        changes: { spec: { replicas: 1, strategy: { rollingUpdate: { maxSurge: 0 } } } },
        message: /both round to 0, so the controller takes 1/,
      },
      {
        name: 'replicas left out, maxUnavailable 1',
        changes: { spec: { replicas: undefined, strategy: { rollingUpdate: { maxUnavailable: 1 } } } },
        message: /replicas is not set/,
      },
      {
        name: 'Recreate: a warning',
        changes: { spec: { strategy: { type: 'Recreate' } } },
        severity: 'warning',
        message: /strategy Recreate stops every old pod/,
      },
    ],
    pass: [
      { name: 'maxSurge 1, maxUnavailable 0', changes: {} },
      {
        name: 'the defaults with one replica (25 % rounds down to 0, surge up to 1)',
        changes: { spec: { replicas: 1, strategy: undefined } },
      },
      {
        name: 'maxUnavailable 50% of 3 rounds down to 1',
        changes: { spec: { strategy: { rollingUpdate: { maxUnavailable: '50%', maxSurge: 0 } } } },
      },
      {
        name: 'Recreate for pods no Service selects',
        changes: { spec: { strategy: { type: 'Recreate' } }, service: { selector: { app: 'batch' } } },
      },
    ],
  },
};

describe('check rules', () => {
  it('every rule has failing and passing examples', () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
    for (const [id, { fail, pass }] of Object.entries(CASES)) {
      expect(fail.length, id).toBeGreaterThan(0);
      expect(pass.length, id).toBeGreaterThan(0);
    }
  });

  it('the good manifest has no finding, for every workload kind', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) expect(findingsOf(manifest({ kind }))).toEqual([]);
  });

  for (const [id, { fail, pass }] of Object.entries(CASES)) {
    describe(id, () => {
      for (const example of fail) {
        it(`reports: ${example.name}; its fix removes it`, () => {
          const objects = manifest(example.changes);
          const found = findingsOf(objects, example.options).filter((f) => f.ruleId === id);
          expect(found, JSON.stringify(findingsOf(objects, example.options).map((f) => f.ruleId))).toHaveLength(1);
          const [finding] = found;
          if (example.severity) expect(finding!.severity).toBe(example.severity);
          if (example.message) expect(finding!.message).toMatch(example.message);
          expect(finding!.course).toMatch(/^course §3: /);
          expect(finding!.line).toBeGreaterThanOrEqual(1);
          // The patch, applied as kubectl patch --type strategic would, makes the finding go away.
          const fixed = [strategicMerge(objects[0], finding!.fix.patch), ...objects.slice(1)];
          expect(findingsOf(fixed, example.options).filter((f) => f.ruleId === id)).toEqual([]);
        });
      }
      for (const example of pass) {
        it(`does not report: ${example.name}`, () => {
          expect(findingsOf(manifest(example.changes), example.options).map((f) => f.ruleId)).not.toContain(id);
        });
      }
    });
  }

  it('the fixes of several findings together leave nothing to report', () => {
    const objects = manifest({
      container: { lifecycle: undefined, readinessProbe: undefined, ...shell('cd /app && node server.js') },
      annotations: { 'drainlab/shutdown-seconds': '40' },
      spec: { strategy: { type: 'Recreate' } },
    });
    const found = findingsOf(objects);
    expect(found.map((f) => f.ruleId).sort()).toEqual(
      ['all-replicas-at-once', 'grace-too-short', 'no-prestop-hook', 'no-readiness-probe', 'shell-without-exec'].sort(),
    );
    const fixed = found.reduce((object, f) => strategicMerge(object, f.fix.patch), objects[0] as unknown);
    expect(findingsOf([fixed, objects[1]])).toEqual([]);
  });
});
