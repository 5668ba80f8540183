import { readdirSync } from 'node:fs';
import type { Hono } from 'hono';
import { directoryMigrations } from '../../db/directory/store.ts';
import { shardMigrations } from '../../db/shard-set.ts';
import type { RegionContext } from '../context.ts';
import type { RegionEnv } from '../support/actor.ts';

const migrationCount = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.sql')).length;

/** What ops and load balancers ask: alive, ready to serve (every shard answers, migrations current), metrics. */
export function registerOpsRoutes(app: Hono<RegionEnv>, ctx: RegionContext) {
  const expectedShard = migrationCount(shardMigrations);
  const expectedDirectory = migrationCount(directoryMigrations);

  app.get('/health', (c) => c.json({ status: 'ok', region: ctx.region }));

  app.get('/ready', async (c) => {
    const checks = await Promise.all([
      ...ctx.shards.all().map(async (shard) => {
        try {
          await shard.ping();
          const applied = await shard.appliedMigrations();
          if (applied < expectedShard)
            return { name: shard.id, ok: false, error: `migrations ${applied}/${expectedShard}` };
          return { name: shard.id, ok: true };
        } catch (error) {
          return { name: shard.id, ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      }),
      ...(ctx.directoryConnection
        ? [
            (async () => {
              const connection = ctx.directoryConnection!;
              try {
                const applied = await connection.appliedMigrations();
                if (applied < expectedDirectory) {
                  return { name: 'directory', ok: false, error: `migrations ${applied}/${expectedDirectory}` };
                }
                return { name: 'directory', ok: true };
              } catch (error) {
                return { name: 'directory', ok: false, error: error instanceof Error ? error.message : String(error) };
              }
            })(),
          ]
        : []),
    ]);
    const failing = checks.filter((check) => !check.ok);
    const body = { status: failing.length ? 'unavailable' : 'ready', region: ctx.region, checks };
    return c.json(body, failing.length ? 503 : 200);
  });

  app.get('/metrics', async (c) => {
    c.header('content-type', ctx.metrics.registry.contentType);
    return c.body(await ctx.metrics.registry.metrics());
  });

  app.get('/.well-known/jwks.json', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(ctx.tokens.jwks());
  });
}
