import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectWorkers } from '../../workers/registry.ts';
import {
  copiedBy,
  copiesOf,
  dockerignore,
  envOf,
  execForm,
  type ImportGraph,
  importGraph,
  parseDockerfile,
  root,
  type Stage,
} from './dockerfile.ts';

/**
 * Docker cannot build here (no registry for base images), so the images are checked by reading their Dockerfiles:
 * pinned base, non-root, health check, port, command, production dependencies, and exactly the files the process
 * loads (its import graph, as esbuild resolves it).
 */
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const packageJson = JSON.parse(read('package.json')) as {
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const readme = read('README.md');
const ignored = dockerignore(read('.dockerignore'));
const edgeDefaultPort = Number(/process\.env\.PORT \?\? (\d+)/.exec(read('edge/node.ts'))?.[1]);

type Image = {
  kind: string;
  /** What the image runs: the entry files whose import graph it must hold. */
  entries: string[];
  cmd: string[];
  /** The variable naming the port the health check asks. */
  portVariable: string;
  /** How the README (or package.json) tells to start the process. */
  documented: () => void;
};

const images: Image[] = [
  {
    kind: 'edge-node',
    entries: ['edge/node.ts'],
    cmd: ['node', '--import', 'tsx', 'edge/node.ts'],
    portVariable: 'PORT',
    documented: () => expect(readme).toContain('tsx edge/node.ts'),
  },
  {
    kind: 'region',
    // db-setup is the compose stack's one-shot database set-up (deploy/compose.yaml).
    entries: ['regions/server.ts', 'scripts/db-setup.ts'],
    cmd: ['node', '--import', 'tsx', 'regions/server.ts'],
    portVariable: 'PORT',
    documented: () => expect(readme).toContain('tsx regions/server.ts'),
  },
  {
    kind: 'worker',
    entries: ['workers/main.ts'],
    cmd: ['node', '--import', 'tsx', 'workers/main.ts', 'all'],
    portVariable: 'METRICS_PORT',
    documented: () => {
      expect(packageJson.scripts.worker).toBe('node --import tsx workers/main.ts');
      // `all` is every worker the environment enables, as a region's own WORKERS=all.
      expect(selectWorkers('all', {}).length).toBeGreaterThan(0);
    },
  },
];

it('there is a Dockerfile for each process kind and nothing else in deploy/docker', () => {
  expect(readdirSync(join(root, 'deploy/docker')).sort()).toEqual(images.map((i) => `${i.kind}.Dockerfile`).sort());
});

it('.dockerignore keeps tests, local data and installed modules out of the context', () => {
  for (const path of ['node_modules/pg/package.json', 'data/us/shard-0', 'regions/leads/leads.test.ts', 'test/x.ts']) {
    expect(ignored(path), path).toBe(true);
  }
  for (const path of ['regions/leads/create.ts', 'db/migrations/0000_init.sql', 'package.json']) {
    expect(ignored(path), path).toBe(false);
  }
});

/** A local server answering /health with 200 and anything else with 404, for running the images' health checks. */
let healthServer: Server;
let healthPort: number;
beforeAll(async () => {
  healthServer = createServer((request, response) => {
    response.statusCode = request.url === '/health' ? 200 : 404;
    response.end();
  });
  await new Promise<void>((done) => healthServer.listen(0, '127.0.0.1', done));
  healthPort = (healthServer.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => healthServer.close(() => done())));

describe.each(images.map((image) => [image.kind, image] as const))('deploy/docker/%s.Dockerfile', (_, image) => {
  const stages = parseDockerfile(read(`deploy/docker/${image.kind}.Dockerfile`));
  const final = stages.at(-1)!;
  const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
  const env = envOf(final);
  let graph: ImportGraph;
  beforeAll(async () => {
    graph = await importGraph(image.entries);
  });

  it('builds FROM an exact Node tag (no latest, no digest), the same in every stage, that package.json allows', () => {
    const tags = stages.map((s) => s.from);
    expect(new Set(tags).size).toBe(1);
    const match = /^node:(\d+)\.(\d+)\.(\d+)-bookworm-slim$/.exec(tags[0]!);
    expect(match, tags[0]).not.toBeNull();
    const [major, minor] = [Number(match![1]), Number(match![2])];
    const [wantMajor, wantMinor] = /^>=(\d+)\.(\d+)/.exec(packageJson.engines.node)!.slice(1).map(Number);
    expect(major).toBe(wantMajor);
    expect(minor).toBeGreaterThanOrEqual(wantMinor!);
  });

  it('runs as the unprivileged node user', () => {
    const users = all(final, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)!.args).toBe('node');
    const cmdLine = all(final, 'CMD').at(-1)!.line;
    expect(users.at(-1)!.line).toBeLessThan(cmdLine);
  });

  it('listens on all interfaces, on the port it EXPOSEs', () => {
    expect(env.HOST).toBe('0.0.0.0');
    const exposed = all(final, 'EXPOSE').map((i) => i.args);
    expect(exposed).toEqual([env[image.portVariable]]);
    if (image.kind === 'edge-node') expect(Number(env.PORT)).toBe(edgeDefaultPort);
  });

  it('has a HEALTHCHECK that asks /health on that port, and it works', async () => {
    const [healthcheck, ...more] = all(final, 'HEALTHCHECK');
    expect(more).toEqual([]);
    const command = execForm(healthcheck!.args.slice(healthcheck!.args.indexOf('CMD ') + 4));
    expect(command?.slice(0, 2)).toEqual(['node', '-e']);
    const script = command![2]!;
    expect(script).toContain(`process.env.${image.portVariable}`);
    expect(script).toContain("'/health'");
    // Asynchronously: the server answering it lives in this process.
    const run = (port: number) =>
      new Promise<number | null>((done) => {
        const child = execFile(process.execPath, ['-e', script], {
          env: { ...process.env, [image.portVariable]: String(port) },
          timeout: 10_000,
        });
        child.once('exit', (code) => done(code));
      });
    expect(await run(healthPort)).toBe(0);
    // Nothing listens on port 1: the check must fail rather than hang or pass.
    expect(await run(1)).toBe(1);
  });

  it('starts the process as the README and package.json do', () => {
    const cmd = all(final, 'CMD');
    expect(cmd).toHaveLength(1);
    expect(execForm(cmd[0]!.args)).toEqual(image.cmd);
    expect(all(final, 'ENTRYPOINT')).toEqual([]);
    image.documented();
  });

  it('installs production dependencies only, and they are every package the process imports', () => {
    const runs = all(final, 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci --omit=dev\b/.test(r))).toBe(true);
    // tsx runs the TypeScript sources, so it must survive --omit=dev.
    expect(packageJson.dependencies.tsx).toBeDefined();
    const missing = graph.packages.filter((name) => !packageJson.dependencies[name]);
    expect(missing).toEqual([]);
  });

  it('holds every file the process loads, none of them ignored, and copies nothing it does not load', () => {
    const copies = copiesOf(final);
    expect(copies.flatMap((c) => c.sources)).not.toContain('.');
    const fromContext = copies.filter((c) => !c.fromStage).flatMap((c) => c.sources);
    const fromStages = copies
      .filter((c) => c.fromStage)
      .flatMap((c) => c.sources.map((s) => s.replace(/^\/app\//, '')));
    const needed = [...graph.files, ...graph.assets];
    const uncovered = needed.filter((f) => !copiedBy(f, fromContext) && !copiedBy(f, fromStages));
    expect(uncovered).toEqual([]);
    const dropped = needed.filter((f) => copiedBy(f, fromContext) && ignored(f));
    expect(dropped).toEqual([]);
    const configuration = ['package.json', 'package-lock.json', 'tsconfig.json'];
    const unused = fromContext.filter(
      (source) => !configuration.includes(source) && !needed.some((f) => copiedBy(f, [source])),
    );
    expect(unused).toEqual([]);
  });

  it.runIf(spawnSync('hadolint', ['--version']).status === 0)('passes hadolint', () => {
    const result = spawnSync('hadolint', [join(root, `deploy/docker/${image.kind}.Dockerfile`)], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('the edge image’s web build stage', () => {
  const [build] = parseDockerfile(read('deploy/docker/edge-node.Dockerfile'));

  it('builds dist/web with the dev tools, from the sources the build reads', async () => {
    expect(build!.name).toBe('web-build');
    const runs = build!.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs).toContain('node --import tsx web/build.ts');
    const sources = copiesOf(build!).flatMap((c) => c.sources);
    const islands = readdirSync(join(root, 'islands'))
      .filter((f) => /\.tsx?$/.test(f) && !f.includes('.test.'))
      .map((f) => `islands/${f}`);
    const script = await importGraph(['web/build.ts']);
    const browser = await importGraph([...islands, 'web/client/hydrate.ts'], 'browser');
    // Tailwind reads the stylesheet and scans the folders it names with @source.
    const styles = read('web/styles.css');
    const scanned = [...styles.matchAll(/@source "\.\.\/([^"]+)"/g)].map((m) => m[1]!);
    const needed = [...script.files, ...browser.files, 'web/styles.css', ...scanned, 'routes'];
    expect(needed.filter((f) => !copiedBy(f, sources))).toEqual([]);
    expect(needed.filter((f) => ignored(f))).toEqual([]);
  });
});
