import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';

/**
 * `npm start` as a user runs it: real processes (edge + three regions) on embedded PGlite in a fresh folder,
 * driven over HTTP, stopped with SIGINT, then started again on the same folder to prove the data was kept.
 */
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const REGIONS = ['us', 'eu', 'ap'];
// A fresh folder makes every region create its databases; on a busy two-core machine that is the slow part.
const READY_WITHIN_MS = 360_000;
const STOPPED_WITHIN_MS = 15_000;

/** Anything that would point the stack at real servers, or pin its ports and secrets, stays out. */
const inherited =
  /^(DIRECTORY_URL|SHARD_URLS.*|DATABASE_URL|TEST_PG_.*|TEST_REDIS_URL|EDGE_STORE_URL|EDGE_SHARED_SECRET|SIGNING_KEY.*|REGION.*|DEFAULT_REGION|PORT|HOST|EDGE_PORT|DATA_DIR)$/;

type Started = {
  child: ChildProcess;
  lines: string[];
  edge: string;
  regions: Record<string, string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

const running = new Set<ChildProcess>();

function startStack(dataDir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !inherited.test(key)),
  );
  Object.assign(env, { EDGE_PORT: '0', REGION_PORTS: '0,0,0', DATA_DIR: dataDir });
  // Its own process group, so the second stop can be a terminal's Ctrl-C: SIGINT to every process at once.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  const lines: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    }),
  );
  const output = () => `stdout:\n${lines.join('\n')}\nstderr:\n${stderr.join('\n')}`;

  return new Promise((resolveStarted, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`npm start was not ready within ${READY_WITHIN_MS} ms\n${output()}`));
    }, READY_WITHIN_MS);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`npm start exited (${signal ?? code}) before it was ready\n${output()}`));
    });
    const poll = setInterval(() => {
      if (!lines.some((line) => line.startsWith('data and logs in '))) return;
      clearTimeout(timer);
      clearInterval(poll);
      const edge = lines.map((line) => /^edge (http:\/\/\S+)$/.exec(line)?.[1]).find(Boolean);
      const regions = Object.fromEntries(
        lines.flatMap((line) => {
          const match = /^region (\S+) (http:\/\/\S+)$/.exec(line);
          return match ? [[match[1]!, match[2]!]] : [];
        }),
      );
      if (!edge) return reject(new Error(`no edge line\n${output()}`));
      resolveStarted({ child, lines, edge, regions, exited });
    }, 50);
  });
}

/** The address lines, in order: the edge first (it is what a user opens), then the regions as configured. */
function expectAnnounced(started: Started) {
  const announced = started.lines.filter((line) => /^(edge|region) /.test(line)).map((line) => line.split(' ')[0]);
  const names = started.lines.filter((line) => line.startsWith('region ')).map((line) => line.split(' ')[1]);
  expect(announced).toEqual(['edge', 'region', 'region', 'region']);
  expect(names).toEqual(REGIONS);
  expect(started.edge).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  for (const region of REGIONS) expect(started.regions[region]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
}

async function expectRegionsHealthy(started: Started) {
  for (const region of REGIONS) {
    const base = started.regions[region]!;
    const health = await fetch(`${base}/health`);
    expect(health.status, `${region} /health`).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', region });
    const ready = await fetch(`${base}/ready`);
    const body = (await ready.json()) as { status: string; region: string; checks: { ok: boolean }[] };
    expect(ready.status, `${region} /ready: ${JSON.stringify(body)}`).toBe(200);
    expect(body).toMatchObject({ status: 'ready', region });
    expect(body.checks.length).toBeGreaterThan(0);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Sends SIGINT, and checks that the start script and each of its four processes ended cleanly and in time. */
async function stopAndExpectClean(started: Started, target: 'script' | 'group') {
  const pid = started.child.pid!;
  const sentAt = Date.now();
  process.kill(target === 'group' ? -pid : pid, 'SIGINT');
  const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), STOPPED_WITHIN_MS).unref());
  const result = await Promise.race([started.exited, timeout]);
  expect(result, `still running ${STOPPED_WITHIN_MS} ms after SIGINT\n${started.lines.join('\n')}`).not.toBe('timeout');
  expect(Date.now() - sentAt).toBeLessThan(STOPPED_WITHIN_MS);
  expect(result).toEqual({ code: 0, signal: null });

  const stopped = started.lines.flatMap((line) => {
    const match = /^stopped (edge|region \S+) \(pid (\d+)\) (.+)$/.exec(line);
    return match ? [{ name: match[1]!, pid: Number(match[2]), how: match[3]! }] : [];
  });
  expect(stopped.map((s) => s.name).sort()).toEqual(['edge', ...REGIONS.map((r) => `region ${r}`)].sort());
  for (const child of stopped) {
    expect(child.how, child.name).toBe('exit code 0');
    expect(alive(child.pid), `${child.name} (pid ${child.pid}) is still running`).toBe(false);
  }
}

describe('npm start (scripts/start.ts)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-e2e-start-'));

  afterAll(async () => {
    // A failed assertion may leave a stack up: stop only the process groups this suite started.
    for (const child of running) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the API through the edge, stops cleanly on SIGINT and keeps its data across a restart', async () => {
    const first = await startStack(dataDir);
    expectAnnounced(first);

    const api = apiClient(first.edge);
    const account = await api.signup('e2e');
    const created = await api.call('POST', '/api/v1/leads', {
      token: account.token,
      body: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.example', company: 'US Navy' },
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    const lead = created.data as { id: string; firstName: string; company: string; score: number };
    expect(lead).toMatchObject({ firstName: 'Grace', company: 'US Navy' });

    const listed = await api.call('GET', '/api/v1/leads?limit=50', { token: account.token });
    expect(listed.status).toBe(200);
    expect(listed.data.data.map((l: { id: string }) => l.id)).toContain(lead.id);

    const read = await api.call('GET', `/api/v1/leads/${lead.id}`, { token: account.token });
    expect(read.status).toBe(200);
    expect(read.data).toMatchObject({ id: lead.id, firstName: 'Grace', lastName: 'Hopper', score: lead.score });

    await expectRegionsHealthy(first);
    await stopAndExpectClean(first, 'script');

    const second = await startStack(dataDir);
    expectAnnounced(second);
    const again = apiClient(second.edge);
    const login = await again.call('POST', '/api/v1/auth/login', {
      body: { email: account.user.email, password: account.password },
    });
    expect(login.status, JSON.stringify(login.data)).toBe(200);
    const token = login.data.accessToken as string;
    expect(login.data.organization.id).toBe(account.organization.id);

    const kept = await again.call('GET', `/api/v1/leads/${lead.id}`, { token });
    expect(kept.status, JSON.stringify(kept.data)).toBe(200);
    expect(kept.data).toEqual(read.data);
    const relisted = await again.call('GET', '/api/v1/leads?limit=50', { token });
    expect(relisted.data.data.map((l: { id: string }) => l.id)).toContain(lead.id);

    await expectRegionsHealthy(second);
    await stopAndExpectClean(second, 'group');
  }, 900_000);
});
