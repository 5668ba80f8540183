import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl, privateShards, realPostgres } from '../../test/support/databases.ts';
import { rowsOf } from '../rows.ts';
import { leads, organizations, outbox } from '../schema/index.ts';
import { bucketOf } from '../shard-map.ts';
import { ShardSet } from '../shard-set.ts';
import { type MoveContext, MoveRefused, movesInFlight, planMove, runMove } from './move.ts';

const MOVING = [3, 4];
const STAYING = 5;

/** UUIDs whose bucket is `bucket`: organizations are placed by hash, so a test picks ids that land where it wants. */
function idsInBucket(bucket: number, count: number): string[] {
  const ids: string[] = [];
  while (ids.length < count) {
    const id = randomUUID();
    if (bucketOf(id) === bucket) ids.push(id);
  }
  return ids;
}

type Expected = Map<string, { organizationId: string; score: number } | null>;
/** Every event written, by id: each must end on its organization's shard once. */
const events = new Map<string, string>();

let urls: string[];
let mover: ShardSet;
/** A second region process with its own copy of the map, which the move does not tell. */
let other: ShardSet;
const moving = [...idsInBucket(MOVING[0]!, 3), ...idsInBucket(MOVING[1]!, 2)];
const [staying] = idsInBucket(STAYING, 1) as [string];

const open = () =>
  ShardSet.open(
    'us',
    urls.map((url, i) => ({ id: `us-${i}`, url })),
    4,
  );

beforeAll(async () => {
  urls = await privateShards('moves');
  mover = await open();
  other = await open();
  for (const id of [...moving, staying]) {
    await mover.withTenant(id, (tx) =>
      tx.insert(organizations).values({ id, name: `org ${id}`, slug: id, homeRegion: 'us' }),
    );
  }
});

afterAll(async () => {
  await mover?.close();
  await other?.close();
});

/** Writes as the API would: a lead and its event in one transaction, some leads later updated or deleted. */
async function writer(shards: ShardSet, expected: Expected, until: () => boolean, errors: unknown[]) {
  let n = 0;
  while (!until()) {
    const organizationId = [...moving, staying][n % (moving.length + 1)]!;
    n++;
    const mine = [...expected].filter(([, v]) => v?.organizationId === organizationId);
    try {
      if (n % 5 === 0 && mine.length) {
        const [id] = mine[n % mine.length]!;
        const score = n % 100;
        await shards.withTenant(organizationId, (tx) =>
          tx
            .update(leads)
            .set({ score })
            .where(and(eq(leads.organizationId, organizationId), eq(leads.id, id))),
        );
        expected.set(id, { organizationId, score });
      } else if (n % 7 === 0 && mine.length) {
        const [id] = mine[0]!;
        await shards.withTenant(organizationId, (tx) =>
          tx.delete(leads).where(and(eq(leads.organizationId, organizationId), eq(leads.id, id))),
        );
        expected.set(id, null);
      } else {
        const id = randomUUID();
        await shards.withTenant(organizationId, async (tx) => {
          await tx.insert(leads).values({ organizationId, id, firstName: `lead ${n}`, email: `l${n}@example.com` });
          await tx.insert(outbox).values({
            organizationId,
            id,
            aggregateType: 'lead',
            aggregateId: id,
            eventType: 'lead.created',
            payload: { n },
          });
        });
        expected.set(id, { organizationId, score: 0 });
        events.set(id, organizationId);
      }
    } catch (error) {
      errors.push(error);
    }
  }
}

async function adminRows<T>(shardIndex: number, text: string, values: unknown[] = []): Promise<T[]> {
  const url = adminUrl(new URL(urls[shardIndex]!).pathname.slice(1))!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.skipIf(!realPostgres)('online bucket moves on PostgreSQL', () => {
  it('computes buckets in SQL exactly as bucketOf does', async () => {
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const rows = await rowsOf<{ id: string; bucket: number }>(
      mover.all()[0]!.db,
      sql`SELECT id, crm_bucket(id::uuid) AS bucket FROM unnest(${`{${ids.join(',')}}`}::text[]) AS id`,
    );
    expect(rows.map((r) => r.bucket)).toEqual(ids.map(bucketOf));
  });

  it('refuses moves that make no sense', async () => {
    const ctx: MoveContext = { region: 'us', shards: mover.all() };
    await expect(planMove(ctx, [3, 200], 'us-1')).rejects.toThrow(MoveRefused);
    await expect(planMove(ctx, [200], 'us-1')).rejects.toThrow(/on us-1 already/);
    await expect(planMove(ctx, [3], 'us-9')).rejects.toThrow(/not configured/);
    await expect(planMove(ctx, [256], 'us-1')).rejects.toThrow(/0–255/);
  });

  it('moves buckets while writers keep writing, and every row ends on the new shard exactly once', async () => {
    expect(mover.forOrganization(moving[0]!).id).toBe('us-0');
    const expected: Expected = new Map();
    const errors: unknown[] = [];
    let done = false;
    let afterSwitch = 0;
    const writers = [
      writer(mover, expected, () => done, errors),
      writer(other, expected, () => done, errors),
      writer(other, expected, () => done, errors),
    ];
    await new Promise((resolve) => setTimeout(resolve, 500));
    const log: string[] = [];
    const ctx: MoveContext = {
      region: 'us',
      shards: mover.all(),
      log: (m) => log.push(m),
      quietChanges: 20,
    };
    const beforeMove = expected.size;
    try {
      const move = await runMove(ctx, await planMove(ctx, MOVING, 'us-1'));
      expect(move.state).toBe('cleaned');
      afterSwitch = expected.size;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      done = true;
      await Promise.all(writers);
    }
    expect(errors).toEqual([]);
    // Writes went on during the move and after it.
    expect(afterSwitch).toBeGreaterThan(beforeMove + 10);
    expect(expected.size).toBeGreaterThan(afterSwitch);
    expect(log.some((m) => /switched to map v2/.test(m))).toBe(true);
    expect(await movesInFlight(ctx)).toEqual([]);

    // Both processes found the new map: `other` when a shard refused its stale one.
    expect(mover.map.version).toBe(2);
    expect(other.map.version).toBe(2);
    expect(other.forOrganization(moving[0]!).id).toBe('us-1');
    expect(other.forOrganization(staying).id).toBe('us-0');

    const live = [...expected].filter(([, v]) => v !== null) as [string, { organizationId: string; score: number }][];
    for (const organizationId of moving) {
      const want = live.filter(([, v]) => v.organizationId === organizationId);
      const onNew = await adminRows<{ id: string; score: number }>(
        1,
        'SELECT id, score FROM leads WHERE organization_id = $1 ORDER BY id',
        [organizationId],
      );
      expect(onNew).toEqual(want.map(([id, v]) => ({ id, score: v.score })).sort((a, b) => (a.id < b.id ? -1 : 1)));
      const onNewEvents = await adminRows<{ id: string }>(
        1,
        'SELECT id FROM outbox WHERE organization_id = $1 ORDER BY id',
        [organizationId],
      );
      const wantEvents = [...events].filter(([, org]) => org === organizationId).map(([id]) => id);
      expect(onNewEvents.map((e) => e.id)).toEqual(wantEvents.sort());
      for (const table of ['leads', 'outbox', 'organizations']) {
        const column = table === 'organizations' ? 'id' : 'organization_id';
        const old = await adminRows<{ n: number }>(0, `SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [
          organizationId,
        ]);
        expect(old[0]!.n, `${table} rows left on us-0`).toBe(0);
      }
      // Reads after the switch, through either process, see the same rows.
      const seen = await other.withTenant(organizationId, (tx) => tx.select({ id: leads.id }).from(leads));
      expect(seen.length).toBe(want.length);
    }
    const stay = await adminRows<{ n: number }>(0, 'SELECT count(*)::int AS n FROM leads WHERE organization_id = $1', [
      staying,
    ]);
    expect(stay[0]!.n).toBe(live.filter(([, v]) => v.organizationId === staying).length);
    const triggers = await adminRows<{ n: number }>(
      0,
      "SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'crm_move_capture'",
    );
    expect(triggers[0]!.n).toBe(0);
  });
});
