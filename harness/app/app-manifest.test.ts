import { describe, expect, it } from 'vitest';
import { appPatch } from './app-patch.ts';
import { deriveManifestVariants, manifestFromImage, readAppManifest } from './app-manifest.ts';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: prod
  uid: 1234
spec:
  replicas: 5
  selector:
    matchLabels: { app: shop }
  template:
    metadata:
      labels: { app: shop }
    spec:
      containers:
        - name: shop
          image: registry.example/shop:1.2
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe:
            httpGet: { path: /healthz, port: http }
        - name: metrics
          image: registry.example/exporter:3
          ports: [{ name: metrics, containerPort: 9100 }]
status:
  readyReplicas: 5
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector: { app: shop }
  ports:
    - { name: web, port: 80, targetPort: http }
`;
const read = (...texts: string[]) => readAppManifest(texts.map((text, i) => ({ name: `m${i + 1}.yaml`, text })));

describe('readAppManifest', () => {
  it('finds the serving container and port from the Service, and keeps the app’s own readiness probe', () => {
    const { manifest, problems } = read(`${DEPLOYMENT}---\n${SERVICE}`);
    expect(problems).toEqual([]);
    expect(manifest).toMatchObject({ container: 'shop', servicePort: 80, readinessPath: '/healthz', warnings: [] });
    // Cluster-owned fields are not copied into the cell's namespace.
    expect(manifest!.deployment.metadata).toEqual({ name: 'shop' });
    expect((manifest!.deployment as { status?: unknown }).status).toBeUndefined();
  });

  it('reads a Deployment and its Service from two files, or from a kind: List', () => {
    expect(read(DEPLOYMENT, SERVICE).manifest?.container).toBe('shop');
    const list = `apiVersion: v1\nkind: List\nitems:\n${[DEPLOYMENT, SERVICE]
      .map((t) => `  - ${t.replace(/\n/g, '\n    ').trimEnd()}`)
      .join('\n')}\n`;
    expect(read(list).manifest?.servicePort).toBe(80);
  });

  it('says what to change when there is no Deployment, two of them, or no Service selecting the pods', () => {
    expect(read(SERVICE).problems).toEqual([
      'm1.yaml holds no Deployment (only Service): drainlab rolls out a Deployment; give the manifest of your Deployment and its Service',
    ]);
    const two = read(DEPLOYMENT, DEPLOYMENT.replace('name: shop\n  namespace', 'name: cart\n  namespace'), SERVICE);
    expect(two.problems).toHaveLength(1);
    expect(two.problems[0]).toMatch(
      /^m1\.yaml, m2\.yaml, m3\.yaml holds 2 Deployments \(m1\.yaml:1, m2\.yaml:1\): give/,
    );
    expect(read(DEPLOYMENT).problems[0]).toMatch(
      /^m1\.yaml:1: Deployment\/shop: no Service in m1\.yaml selects its pods \(labels \{"app":"shop"\}\): .*add the Service/,
    );
  });

  it('asks which container serves when the Service’s port could reach two, and takes --app-container', () => {
    const ambiguous = SERVICE.replace('targetPort: http', 'targetPort: 7000');
    expect(read(DEPLOYMENT, ambiguous).problems).toEqual([
      'm1.yaml:1: Deployment/shop: the Service shop could be served by containers shop and metrics: name the one that serves it with --app-container NAME',
    ]);
    const chosen = readAppManifest(
      [
        { name: 'd.yaml', text: DEPLOYMENT },
        { name: 's.yaml', text: ambiguous },
      ],
      { container: 'shop' },
    );
    expect(chosen.manifest?.container).toBe('shop');
    expect(
      readAppManifest(
        [
          { name: 'd.yaml', text: DEPLOYMENT },
          { name: 's.yaml', text: ambiguous },
        ],
        { container: 'x' },
      ).problems[0],
    ).toBe('d.yaml:1: Deployment/shop has no container named x; its containers: shop, metrics');
  });

  it('passes a YAML error through with its line, and warns about a missing readiness probe', () => {
    expect(read('kind: Deployment\n  bad: [\n').problems[0]).toMatch(/^m1\.yaml:\d+: is not valid YAML/);
    const noProbe = DEPLOYMENT.replace(/ {10}readinessProbe:\n {12}httpGet: \{ path: \/healthz, port: http \}\n/, '');
    const { manifest } = read(noProbe, SERVICE);
    expect(manifest?.readinessPath).toBeUndefined();
    expect(manifest?.warnings[0]).toMatch(/container shop has no readiness probe/);
  });
});

describe('deriveManifestVariants', () => {
  const manifest = read(DEPLOYMENT, SERVICE).manifest!;

  it('runs the objects as written, and the same with a native preStop sleep on the serving container only', () => {
    const [asIs, prestop, ...rest] = deriveManifestVariants(manifest, { preStopSeconds: 3 });
    expect(rest).toEqual([]);
    expect(asIs).toMatchObject({ name: 'app-as-is', ownImages: true, servicePort: 80, expectedSafe: false });
    expect(asIs!.deployment).toEqual(manifest.deployment);
    const containers = prestop!.deployment.spec!.template.spec!.containers;
    expect(containers[0]!.lifecycle).toEqual({ preStop: { sleep: { seconds: 3 } } });
    expect(containers[1]!.lifecycle).toBeUndefined();
    expect(containers.map((c) => c.image)).toEqual(['registry.example/shop:1.2', 'registry.example/exporter:3']);
    expect(appPatch(asIs!, prestop!)?.command).toBe(
      `kubectl patch deployment shop --type strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"shop","lifecycle":{"preStop":{"sleep":{"seconds":3}}}}]}}}}'`,
    );
  });

  it('adds a longer grace period when the declared shutdown does not fit, and nothing when a preStop exists', () => {
    const slow = read(
      DEPLOYMENT.replace(
        '      labels: { app: shop }\n    spec:',
        '      labels: { app: shop }\n      annotations: { drainlab/shutdown-seconds: "40" }\n    spec:',
      ),
      SERVICE,
    ).manifest!;
    const variants = deriveManifestVariants(slow, { preStopSeconds: 3 });
    expect(variants.map((v) => v.name)).toEqual(['app-as-is', 'app-prestop', 'app-prestop-grace']);
    expect(variants[2]!.deployment.spec!.template.spec!.terminationGracePeriodSeconds).toBe(48);
    const hooked = read(
      DEPLOYMENT.replace(
        '          readinessProbe:',
        '          lifecycle: { preStop: { sleep: { seconds: 5 } } }\n          readinessProbe:',
      ),
      SERVICE,
    ).manifest!;
    expect(deriveManifestVariants(hooked, { preStopSeconds: 3 }).map((v) => v.name)).toEqual(['app-as-is']);
  });
});

describe('manifestFromImage', () => {
  it('writes a Deployment and Service around the image, its port and readiness path, for the same path as a manifest', () => {
    const manifest = manifestFromImage({
      image: 'registry.example/shop:1.2',
      port: 9000,
      readinessPath: '/healthz',
      env: { MODE: 'fast' },
    });
    expect(manifest).toMatchObject({ container: 'app', servicePort: 80, readinessPath: '/healthz' });
    const container = manifest.deployment.spec!.template.spec!.containers[0]!;
    expect(container).toMatchObject({
      image: 'registry.example/shop:1.2',
      ports: [{ name: 'http', containerPort: 9000, protocol: 'TCP' }],
      env: [
        { name: 'PORT', value: '9000' },
        { name: 'MODE', value: 'fast' },
      ],
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
    });
    expect(manifest.service.spec!.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    // The derived variants and the patch follow as for a manifest.
    const [asIs, prestop] = deriveManifestVariants(manifest, { preStopSeconds: 3 });
    expect(asIs!.ownImages).toBe(true);
    expect(appPatch(asIs!, prestop!)?.command).toContain(`kubectl patch deployment web --type strategic`);
  });
});
