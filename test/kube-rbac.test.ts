import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createClock } from '../harness/core/clock.ts';
import { DEFAULT_LOAD_PROFILE } from '../harness/model/load-profile.ts';
import { deleteHarnessNamespaces } from '../harness/platform/kube/cleanup.ts';
import { deployKubeCell } from '../harness/platform/kube/kube-cell.ts';
import { FakeKubeApi, type RecordedRequest } from '../harness/platform/kube/testing/fake-api-server.ts';
import { installFakeCluster } from '../harness/platform/kube/testing/fake-cluster.ts';
import { k6JobLog, k6SummaryData } from '../harness/platform/kube/testing/k6-samples.ts';
import { kubeVersions } from '../harness/platform/kube/versions.ts';
import { findVariant } from '../harness/variants/catalog.ts';

// The ClusterRole README gives for --context must allow every request the kube path makes, and grant nothing it
// does not use. A whole cell (deploy, k6 Job, every scenario operation, teardown), the version probe and
// `clean --context` run against the fake API server; each request it recorded becomes (group, resource, verb).
const FILE = path.resolve(import.meta.dirname, '../manifests/rbac/drainlab-runner.yaml');

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface Access {
  group: string;
  resource: string;
  verb: string;
  name: string | undefined;
}

/** Kubernetes' request-info rules for the paths the harness uses (k8s.io/apiserver/pkg/endpoints/request). */
function accessOf(request: RecordedRequest): Access | undefined {
  const parts = request.path.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api') [group, rest] = ['', parts.slice(2)];
  else if (parts[0] === 'apis') [group, rest] = [parts[1]!, parts.slice(3)];
  else return undefined; // /version and other non-resource URLs, open to every authenticated user
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const [resource, name, sub] = rest;
  const collection = name === undefined;
  const verb = {
    GET: request.query.watch === 'true' ? 'watch' : collection ? 'list' : 'get',
    POST: 'create',
    PATCH: 'patch',
    PUT: 'update',
    DELETE: collection ? 'deletecollection' : 'delete',
  }[request.method];
  if (!verb || !resource) throw new Error(`unexpected request ${request.method} ${request.path}`);
  return { group, resource: sub ? `${resource}/${sub}` : resource, verb, name };
}

const allows = (rule: Rule, a: Access) =>
  rule.apiGroups.includes(a.group) &&
  rule.resources.includes(a.resource) &&
  rule.verbs.includes(a.verb) &&
  (rule.resourceNames === undefined || (a.name !== undefined && rule.resourceNames.includes(a.name)));

let api: FakeKubeApi | undefined;
afterEach(async () => api?.close());

async function everyRequest(): Promise<RecordedRequest[]> {
  api = new FakeKubeApi();
  await api.start();
  const clockEpoch = Date.now();
  const log = k6JobLog(
    [{ endEpochMs: clockEpoch + 100, durationMs: 5, status: 200, errorCode: 0, pod: 'web-a', reused: false }],
    k6SummaryData(1, 0, 1),
  );
  installFakeCluster(api, { k6Log: () => log, podLog: () => '{"msg":"listening"}\n' });
  const kc = api.kubeConfig();
  const clock = createClock();
  const runId = '20261130-040000-rbac';
  const cell = await deployKubeCell({
    kubeConfig: kc,
    runId,
    cellId: 'baseline--pod-delete--r1',
    variant: findVariant('baseline')!,
    replicas: 3,
    workloadImage: 'drainlab/workload:rbac',
    k6Image: 'grafana/k6:2.2.0',
    load: DEFAULT_LOAD_PROFILE,
    clock,
    events: () => undefined,
    signal: new AbortController().signal,
    timeScale: 1,
    pollMs: 20,
  });
  try {
    await cell.loadGenerator!.run({
      target: cell.target,
      profile: DEFAULT_LOAD_PROFILE,
      clock,
      onSample: () => undefined,
      stop: new AbortController().signal,
      maxDurationMs: 500,
    });
    const { client } = cell;
    // Deletions first: the fake's rollout after the template patch replaces the pods listed here.
    const pods = await client.listPods();
    await client.deletePod(pods[0]!.name);
    await client.deletePod(pods[1]!.name, 0);
    await client.patchTemplateAnnotations({ 'drainlab/restarted-at': 'now' });
    await client.setRollingUpdate({ maxSurge: 1, maxUnavailable: 0 });
    await client.scale(2);
  } finally {
    await cell.teardown();
  }
  await kubeVersions(kc);
  await deleteHarnessNamespaces(kc, runId);
  return api.requests;
}

describe('the ClusterRole for --context (manifests/rbac/drainlab-runner.yaml)', () => {
  it('allows every request a cell, the version probe and clean make, and grants nothing unused', async () => {
    const role = parse(readFileSync(FILE, 'utf8')) as { kind: string; rules: Rule[] };
    expect(role.kind).toBe('ClusterRole');
    expect(() => new ClusterRole(role as ConstructorParameters<typeof ClusterRole>[0]).validate()).not.toThrow();
    const accesses = (await everyRequest()).map(accessOf).filter((a): a is Access => a !== undefined);
    expect(accesses.length).toBeGreaterThan(10);

    const denied = accesses.filter((a) => !role.rules.some((rule) => allows(rule, a)));
    expect(denied.map((a) => `${a.verb} ${a.group || 'core'}/${a.resource}`)).toEqual([]);

    const granted = role.rules.flatMap((rule) =>
      rule.apiGroups.flatMap((group) =>
        rule.resources.flatMap((resource) => rule.verbs.map((verb) => ({ group, resource, verb, rule }))),
      ),
    );
    const unused = granted.filter(
      (g) => !accesses.some((a) => a.group === g.group && a.resource === g.resource && a.verb === g.verb),
    );
    expect(unused.map((g) => `${g.verb} ${g.group || 'core'}/${g.resource}`)).toEqual([]);
  });
});
