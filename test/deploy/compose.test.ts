import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envOf, parseDockerfile, root } from './dockerfile.ts';
import { documentedVariables, type ProcessKind, readText, servedPaths } from './support.ts';

/** deploy/compose.yaml, parsed as Compose reads it (merge keys on), checked against the code and the README. */
type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
};
const composeText = readText('deploy/compose.yaml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; volumes: object };
const services = compose.services;
const REGIONS = ['us', 'eu', 'ap'];

const kindOf = (service: Service): ProcessKind | null => {
  const file = service.build?.dockerfile;
  if (file === 'deploy/docker/edge-node.Dockerfile') return 'edge';
  if (file === 'deploy/docker/region.Dockerfile') return 'region';
  if (file === 'deploy/docker/worker.Dockerfile') return 'worker';
  return null;
};
const appServices = Object.entries(services).filter(([, s]) => kindOf(s) !== null);
const imageEnv = (service: Service) => envOf(parseDockerfile(readText(service.build!.dockerfile)).at(-1)!);
/** The service's environment over its image's ENV defaults. */
const envOfService = (service: Service) => ({ ...imageEnv(service), ...service.environment });
const databaseOf = (url: string) => {
  const parsed = new URL(url.replace(/\$\{[A-Z_]+\}/g, 'pw'));
  return { host: parsed.hostname, port: parsed.port, database: parsed.pathname.slice(1), user: parsed.username };
};

it('has the whole stack: PostgreSQL and its set-up, Redis, NATS, three regions and their workers, the edge', () => {
  expect(Object.keys(services).sort()).toEqual(
    [
      'postgres',
      'db-setup',
      'redis',
      'nats',
      'edge',
      ...REGIONS.map((r) => `region-${r}`),
      ...REGIONS.map((r) => `worker-${r}`),
    ].sort(),
  );
});

it('builds the application services from deploy/docker with the repository root as context', () => {
  for (const [name, service] of appServices) {
    expect(service.build!.context, name).toBe('..');
    expect(existsSync(join(root, service.build!.dockerfile)), name).toBe(true);
  }
  // The third-party images are pinned to exact releases (PostgreSQL numbers its releases major.minor).
  expect(services.postgres!.image).toMatch(/^postgres:\d+\.\d+-bookworm$/);
  for (const name of ['redis', 'nats']) expect(services[name]!.image).toMatch(/^[a-z]+:\d+\.\d+\.\d+-[a-z]+$/);
});

it('sets only variables the README documents', () => {
  const documented = documentedVariables();
  const undocumented = appServices.flatMap(([name, service]) =>
    Object.keys(service.environment ?? {})
      .filter((variable) => !documented(variable))
      .map((variable) => `${name}: ${variable}`),
  );
  expect(undocumented).toEqual([]);
});

it('takes every secret from deploy/.env, and the example names each variable the file interpolates', () => {
  const secrets = ['EDGE_SHARED_SECRET', 'SECRETS_KEYS', 'POSTGRES_PASSWORD', 'PG_APP_PASSWORD'];
  for (const [name, service] of Object.entries(services)) {
    for (const [variable, value] of Object.entries(service.environment ?? {})) {
      if (secrets.includes(variable)) expect(value, `${name}: ${variable}`).toMatch(/^\$\{[A-Z_]+(:\?[^}]*)?\}$/);
    }
  }
  const interpolated = new Set([...composeText.matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!));
  const example = readText('deploy/compose.env.example');
  const named = new Set([...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!));
  expect([...interpolated].sort()).toEqual([...named].sort());
});

it('creates the directory and every shard database through db-setup, as the non-superuser crm_app', () => {
  const setup = services['db-setup']!;
  expect(setup.command!.slice(0, 4)).toEqual(['node', '--import', 'tsx', 'scripts/db-setup.ts']);
  expect(existsSync(join(root, 'scripts/db-setup.ts'))).toBe(true);
  const created = setup.command!.slice(4);
  expect(databaseOf(setup.environment!.PG_ADMIN_URL!).host).toBe('postgres');
  const used = appServices.flatMap(([, service]) =>
    [service.environment?.DIRECTORY_URL, ...(service.environment?.SHARD_URLS?.split(',') ?? [])].filter(
      (url): url is string => Boolean(url),
    ),
  );
  for (const url of used) {
    const db = databaseOf(url);
    expect(db.host).toBe('postgres');
    expect(db.port).toBe('5432');
    expect(db.user).toBe(setup.environment!.PG_APP_ROLE);
    expect(created).toContain(db.database);
  }
  expect(new Set(used.map((u) => databaseOf(u).database))).toEqual(new Set(created));
  for (const name of Object.keys(services).filter((n) => n.startsWith('region-'))) {
    expect(services[name]!.depends_on!['db-setup']!.condition).toBe('service_completed_successfully');
  }
});

describe.each(REGIONS)('region %s', (region) => {
  const service = services[`region-${region}`]!;
  const worker = services[`worker-${region}`]!;
  const env = envOfService(service);

  it('serves its own two shards, the shared directory, on NATS JetStream, with its workers apart', () => {
    expect(env.REGION).toBe(region);
    expect(env.SHARD_URLS!.split(',').map((u) => databaseOf(u).database)).toEqual([
      `crm_${region}_0`,
      `crm_${region}_1`,
    ]);
    expect(databaseOf(env.DIRECTORY_URL!).database).toBe('crm_directory');
    expect(env.WORKERS).toBe('none');
    expect(env.EVENT_BUS).toBe('nats');
    expect(new URL(env.NATS_URL!).host).toBe('nats:4222');
    const workerEnv = envOfService(worker);
    expect(workerEnv.REGION).toBe(region);
    expect(workerEnv.SHARD_URLS).toBe(env.SHARD_URLS);
    expect(workerEnv.EVENT_BUS).toBe('nats');
    expect(workerEnv.SECRETS_KEYS).toBe(env.SECRETS_KEYS?.replace(/:\?[^}]*/, ''));
    // STORAGE=fs: the worker reads the files (imports) the region wrote, in the same volume.
    expect(worker.volumes).toEqual(service.volumes);
    expect(service.volumes![0]).toMatch(new RegExp(`^region-${region}-data:${env.DATA_DIR}$`));
  });

  it('is checked for readiness on its own port and a path it serves', () => {
    const [form, ...script] = service.healthcheck!.test!;
    expect(form).toBe('CMD');
    expect(script.slice(0, 2)).toEqual(['node', '-e']);
    expect(script[2]).toContain('process.env.PORT');
    const path = /'(\/[a-z]+)'/.exec(script[2]!)![1]!;
    expect(path).toBe('/ready');
    expect(servedPaths('region')(path)).toBe(true);
    expect(env.PORT).toBe(imageEnv(service).PORT);
  });
});

it('points the edge at each region on the port it listens on, and at Redis', () => {
  const edge = envOfService(services.edge!);
  const regions = Object.fromEntries(edge.REGIONS!.split(',').map((pair) => pair.split('=') as [string, string]));
  expect(Object.keys(regions)).toEqual(REGIONS);
  for (const [region, url] of Object.entries(regions)) {
    const { hostname, port } = new URL(url);
    expect(hostname).toBe(`region-${region}`);
    expect(port).toBe(envOfService(services[hostname]!).PORT);
  }
  expect(edge.DEFAULT_REGION).toBe('us');
  expect(new URL(edge.EDGE_STORE_URL!).host).toBe('redis:6379');
  expect(services.edge!.ports).toEqual([`${edge.PORT}:${edge.PORT}`]);
  // The image's own health check (/health on PORT) is the edge's.
  expect(services.edge!.healthcheck).toBeUndefined();
  expect(servedPaths('edge')('/health')).toBe(true);
  for (const region of REGIONS)
    expect(services.edge!.depends_on![`region-${region}`]!.condition).toBe('service_healthy');
});

it('runs workers whose health check port is their metrics port', () => {
  for (const region of REGIONS) {
    const env = envOfService(services[`worker-${region}`]!);
    expect(env.METRICS_PORT).toBe(imageEnv(services[`worker-${region}`]!).METRICS_PORT);
    expect(servedPaths('worker')('/health')).toBe(true);
  }
});

it('starts NATS with JetStream and gives every depended-on service a health check', () => {
  expect(services.nats!.command).toContain('--jetstream');
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      const target = services[dependency];
      expect(target, `${name} → ${dependency}`).toBeDefined();
      if (condition === 'service_healthy') {
        const hasOwn = Boolean(target!.healthcheck?.test);
        const fromImage = kindOf(target!) !== null && !target!.healthcheck?.disable;
        expect(hasOwn || fromImage, `${name} → ${dependency}`).toBe(true);
      }
    }
  }
  const declared = Object.keys(compose.volumes);
  const mounted = Object.values(services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0]!));
  expect(new Set(mounted)).toEqual(new Set(declared));
});
