import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { root } from './dockerfile.ts';
import { documentedVariables, type ProcessKind, readText, servedPaths } from './support.ts';

/**
 * deploy/k8s, parsed document by document. No cluster and no schema validator (kubeconform) can be had here, so the
 * objects are checked for the fields each kind requires and against each other, the code, the README and the spec.
 */
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: any };

const folder = 'deploy/k8s';
const files = readdirSync(join(root, folder)).filter((f) => f.endsWith('.yaml'));
const manifestsOf = (file: string): Manifest[] =>
  parseAllDocuments(readText(`${folder}/${file}`)).map((document) => {
    if (document.errors.length) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
    return document.toJS() as Manifest;
  });
const kustomization = parse(readText(`${folder}/kustomization.yaml`)) as {
  resources: string[];
  images: { name: string; newTag: string }[];
};
const manifests = kustomization.resources.flatMap(manifestsOf);
const [secret] = manifestsOf('secrets.template.yaml');
const all = [...manifests, secret!];
const ofKind = (kind: string) => all.filter((m) => m.kind === kind);
const named = (kind: string, name: string) => ofKind(kind).find((m) => m.metadata.name === name);
const version = (JSON.parse(readText('package.json')) as { version: string }).version;

/** /work/shared/spec/architecture.md, "Production (Kubernetes)" and "Scaling Strategy". */
const spec: Record<
  ProcessKind,
  { min: number; max: number; requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }
> = {
  // "Backend: replicas 3-20 (HPA); requests 500m CPU, 512Mi RAM; limits 1000m CPU, 1Gi RAM"
  region: { min: 3, max: 20, requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
  // "Frontend: replicas 2-10 (HPA)" (no resources given: the back end's, as the edge is a Node process too)
  edge: { min: 2, max: 10, requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
  // "Workers: replicas 2-5; resources 1 CPU, 2Gi RAM"
  worker: { min: 2, max: 5, requests: { cpu: '1000m', memory: '2Gi' }, limits: { cpu: '1000m', memory: '2Gi' } },
};
const readinessPath: Record<ProcessKind, string> = { region: '/ready', worker: '/ready', edge: '/health' };
const kindOfImage: Record<string, ProcessKind> = { 'crm-edge': 'edge', 'crm-region': 'region', 'crm-worker': 'worker' };

const apiVersions: Record<string, string> = {
  Namespace: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
};
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
const deploymentSelectedBy = (selector: Record<string, string>) =>
  ofKind('Deployment').filter((d) => matches(selector, d.spec.template.metadata.labels));

it('applies every manifest but the Secret template, whose values are all placeholders', () => {
  const listed = new Set(kustomization.resources);
  expect(files.filter((f) => !listed.has(f)).sort()).toEqual(['kustomization.yaml', 'secrets.template.yaml']);
  const values = Object.entries(secret!.stringData as Record<string, string>);
  for (const [key, value] of values) expect(value, key).toContain('REPLACE-ME');
  // Too short to pass the processes' own check, so a template applied as it is cannot run.
  expect((secret!.stringData.EDGE_SHARED_SECRET as string).length).toBeLessThan(32);
});

it('gives every object its kind’s apiVersion, a name and the crm namespace', () => {
  for (const m of all) {
    expect(apiVersions[m.kind], m.kind).toBe(m.apiVersion);
    expect(m.metadata.name).toMatch(/^[a-z0-9-]+$/);
    if (m.kind !== 'Namespace') expect(m.metadata.namespace, m.metadata.name).toBe('crm');
  }
  expect(ofKind('Namespace').map((n) => n.metadata.name)).toEqual(['crm']);
  const keys = all.map((m) => `${m.kind}/${m.metadata.name}`);
  expect(new Set(keys).size).toBe(keys.length);
});

it('names the images the kustomization tags with the package version', () => {
  const images = new Set(
    ofKind('Deployment').flatMap((d) => d.spec.template.spec.containers.map((c: Manifest) => c.image)),
  );
  expect([...images].sort()).toEqual(Object.keys(kindOfImage).sort());
  expect(kustomization.images.map((i) => [i.name, i.newTag]).sort()).toEqual(
    Object.keys(kindOfImage).map((name) => [name, version]),
  );
});

describe.each(ofKind('Deployment').map((d) => [d.metadata.name, d] as const))('Deployment %s', (_, deployment) => {
  const pod = deployment.spec.template.spec;
  const [container, ...others] = pod.containers as Manifest[];
  const kind = kindOfImage[container!.image as string]!;
  const documented = documentedVariables();
  const env = Object.fromEntries((container!.env as { name: string; value?: string }[]).map((e) => [e.name, e]));
  const configMap = named('ConfigMap', 'crm-config')!;

  it('selects its own pods', () => {
    expect(others).toEqual([]);
    expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
  });

  it('has the spec’s resources and the HPA range, starting at its minimum', () => {
    expect(container!.resources).toEqual({ requests: spec[kind].requests, limits: spec[kind].limits });
    const hpas = ofKind('HorizontalPodAutoscaler').filter(
      (h) => h.spec.scaleTargetRef.name === deployment.metadata.name,
    );
    expect(hpas).toHaveLength(1);
    const [hpa] = hpas;
    expect(hpa!.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    expect([hpa!.spec.minReplicas, hpa!.spec.maxReplicas]).toEqual([spec[kind].min, spec[kind].max]);
    expect(deployment.spec.replicas).toBe(spec[kind].min);
    // "CPU >70% (scale up), Memory >80% (scale up)"
    const targets = hpa!.spec.metrics.map((m: Manifest) => [m.resource.name, m.resource.target.averageUtilization]);
    expect(targets).toEqual([
      ['cpu', 70],
      ['memory', 80],
    ]);
  });

  it('probes liveness on /health every 10 s and readiness every 5 s, on paths and the port the process serves', () => {
    const ports = Object.fromEntries(
      (container!.ports as { name: string; containerPort: number }[]).map((p) => [p.name, p.containerPort]),
    );
    const listening = kind === 'worker' ? env.METRICS_PORT?.value : env.PORT?.value;
    expect(Object.values(ports)).toEqual([Number(listening)]);
    const served = servedPaths(kind);
    const { livenessProbe, readinessProbe, startupProbe } = container!;
    expect(livenessProbe.httpGet.path).toBe('/health');
    expect(livenessProbe.periodSeconds).toBe(10);
    expect(readinessProbe.periodSeconds).toBe(5);
    // A region is ready once every shard answers with current migrations; the edge has no /ready of its own.
    expect(readinessProbe.httpGet.path).toBe(readinessPath[kind]);
    for (const probe of [livenessProbe, readinessProbe, startupProbe].filter(Boolean)) {
      expect(served(probe.httpGet.path), probe.httpGet.path).toBe(true);
      expect(ports[probe.httpGet.port], probe.httpGet.port).toBeDefined();
    }
  });

  it('sets only documented variables, from the ConfigMap and Secret keys that exist', () => {
    expect(container!.envFrom).toEqual([{ configMapRef: { name: 'crm-config' } }]);
    // AWS_* are the AWS SDK's standard credentials, which the README's S3 row refers to rather than lists.
    const ours = [...Object.keys(env), ...Object.keys(configMap.data)].filter((name) => !name.startsWith('AWS_'));
    for (const name of ours) expect(documented(name), name).toBe(true);
    for (const entry of container!.env as Manifest[]) {
      const ref = entry.valueFrom?.secretKeyRef;
      if (!ref) continue;
      expect(ref.name).toBe('crm-secrets');
      expect(Object.keys(secret!.stringData), ref.key).toContain(ref.key);
    }
  });

  it('runs as non-root with a read-only root file system and no capabilities', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    // tsx writes its compile cache under /tmp.
    expect(container!.volumeMounts.map((v: Manifest) => v.mountPath)).toContain('/tmp');
  });

  it('is covered by a PodDisruptionBudget', () => {
    const budgets = ofKind('PodDisruptionBudget').filter(
      (p) => deploymentSelectedBy(p.spec.selector.matchLabels)[0] === deployment,
    );
    expect(budgets).toHaveLength(1);
    expect(budgets[0]!.spec.maxUnavailable).toBe(1);
  });
});

it('routes each Service to exactly one Deployment’s named port', () => {
  for (const service of ofKind('Service')) {
    const [deployment, ...more] = deploymentSelectedBy(service.spec.selector);
    expect(more, service.metadata.name).toEqual([]);
    const names = deployment!.spec.template.spec.containers[0].ports.map((p: Manifest) => p.name);
    for (const port of service.spec.ports) expect(names).toContain(port.targetPort);
  }
});

it('points the edge at each region’s Service on its port', () => {
  const regions = (named('ConfigMap', 'crm-config')!.data.REGIONS as string).split(',');
  expect(regions.map((r) => r.split('=')[0])).toEqual(['us', 'eu', 'ap']);
  for (const pair of regions) {
    const [region, url] = pair.split('=') as [string, string];
    const { hostname, port } = new URL(url);
    const service = named('Service', hostname)!;
    expect(service, hostname).toBeDefined();
    expect(service.spec.ports.map((p: Manifest) => String(p.port))).toContain(port);
    expect(named('Deployment', `crm-workers-${region}`)).toBeDefined();
  }
});

it('writes the three regions alike: region-eu and region-ap are region-us with the name changed', () => {
  const us = JSON.stringify(manifestsOf('region-us.yaml'));
  for (const region of ['eu', 'ap']) {
    const other = JSON.stringify(manifestsOf(`region-${region}.yaml`))
      .replaceAll(`-${region}"`, '-us"')
      .replaceAll(`_${region.toUpperCase()}"`, '_US"')
      .replaceAll(`"${region}"`, '"us"');
    expect(other).toBe(us);
  }
});

it.runIf(spawnSync('kubectl', ['version', '--client'], { timeout: 30_000 }).status === 0)(
  'renders offline with kubectl kustomize, the images tagged',
  () => {
    const rendered = spawnSync('kubectl', ['kustomize', join(root, folder)], { encoding: 'utf8', timeout: 60_000 });
    expect(rendered.stderr).toBe('');
    expect(rendered.status).toBe(0);
    const objects = parseAllDocuments(rendered.stdout).map((d) => d.toJS() as Manifest);
    expect(objects).toHaveLength(manifests.length);
    const images = objects
      .filter((o) => o.kind === 'Deployment')
      .flatMap((d) => d.spec.template.spec.containers.map((c: Manifest) => c.image));
    for (const image of images)
      expect(image).toMatch(new RegExp(`^crm-(edge|region|worker):${version.replace(/\./g, '\\.')}$`));
  },
);
