import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads, organizations } from '../schema/index.ts';
import { bucketOf } from '../shard-map.ts';
import { ShardSet } from '../shard-set.ts';
import { BucketFencedError } from './fence.ts';
import { type MoveContext, planMove, runMove } from './move.ts';

/** The move and the fence on PGlite (one process, one connection per shard); moves.test.ts has the concurrent one. */
let shards: ShardSet;
let organizationId: string;

beforeAll(async () => {
  shards = await ShardSet.open('us', [
    { id: 'us-0', url: 'pglite:memory:' },
    { id: 'us-1', url: 'pglite:memory:' },
  ]);
  organizationId = randomUUID();
  while (bucketOf(organizationId) !== 7) organizationId = randomUUID();
  await shards.withTenant(organizationId, (tx) =>
    tx.insert(organizations).values({ id: organizationId, name: 'Moving', slug: 'moving', homeRegion: 'us' }),
  );
});

afterAll(() => shards?.close());

describe('bucket moves on PGlite', () => {
  it('moves a bucket: rows on the new shard, none on the old, the map at v2', async () => {
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) {
      await shards.withTenant(organizationId, (tx) => tx.insert(leads).values({ organizationId, id, firstName: 'a' }));
    }
    expect(shards.forOrganization(organizationId).id).toBe('us-0');
    const ctx: MoveContext = { region: 'us', shards: shards.all() };
    const move = await runMove(ctx, await planMove(ctx, [7], 'us-1'));
    expect(move.state).toBe('cleaned');
    await shards.reloadMap();
    expect(shards.map.version).toBe(2);
    expect(shards.forOrganization(organizationId).id).toBe('us-1');
    const rows = await shards.withTenant(organizationId, (tx) => tx.select({ id: leads.id }).from(leads));
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    const [old] = shards.all();
    const left = await old!.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('app.organization_id', ${organizationId}, true)`);
      return tx.select({ id: leads.id }).from(leads).where(eq(leads.organizationId, organizationId));
    });
    expect(left).toEqual([]);
  });

  it('answers a fenced bucket with BucketFencedError once the wait is over', async () => {
    const [, target] = shards.all();
    await target!.db.execute(
      sql`INSERT INTO shard_bucket_fences (bucket, state, move_id) VALUES (7, 'incoming', ${randomUUID()})`,
    );
    const wait = ShardSet.fenceWaitMs;
    ShardSet.fenceWaitMs = 200;
    try {
      await expect(
        shards.withTenant(organizationId, (tx) =>
          tx.update(leads).set({ score: 1 }).where(eq(leads.organizationId, organizationId)),
        ),
      ).rejects.toBeInstanceOf(BucketFencedError);
    } finally {
      ShardSet.fenceWaitMs = wait;
      await target!.db.execute(sql`DELETE FROM shard_bucket_fences WHERE bucket = 7`);
    }
  });
});
