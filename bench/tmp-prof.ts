import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createBenchDatabases, detectBackend } from './support/database.ts';
import { seedFleet } from './support/fleet-seed.ts';
import { runLoad } from './support/load.ts';
import { startBenchStack } from './support/stack.ts';

process.env.WORKERS = 'none';
const backend = await detectBackend();
const dbs = await createBenchDatabases(backend, 'prof', 2);
const stack = await startBenchStack({ ...dbs, cachedEdgeSeconds: 3600 });
try {
  const [main] = await seedFleet(backend, stack, dbs, { leads: 20000, organizations: 2, reps: 5 }, console.log);
  const ids: string[] = [];
  const session = new Session();
  session.connect();
  for (const [name, url, path] of [
    ['hit', stack.cachedEdgeUrl!, '/api/v1/leads'],
    ['get', stack.edgeUrl, '/api/v1/leads/{id}'],
  ] as const) {
    if (name === 'get') {
      const r = await fetch(`${stack.edgeUrl}/api/v1/leads?limit=50`, {
        headers: { authorization: `Bearer ${main!.adminToken}` },
      });
      for (const l of ((await r.json()) as { data: { id: string }[] }).data) ids.push(l.id);
    }
    await runLoad({
      url,
      connections: 8,
      seconds: 2,
      warmupSeconds: 1,
      requests: [{ method: 'GET', path }],
      tokens: [main!.adminToken],
      ids: ids.length ? ids : ['x'],
    });
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const result = await runLoad({
      url,
      connections: 8,
      seconds: 8,
      warmupSeconds: 1,
      requests: [{ method: 'GET', path }],
      tokens: [main!.adminToken],
      ids: ids.length ? ids : ['x'],
    });
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`/tmp/prof-${name}.cpuprofile`, JSON.stringify(profile));
    console.log(name, result.latency.perSecond, result.latency.p95, JSON.stringify(result.statuses));
  }
} finally {
  await stack.stop();
  await dbs.drop();
}
