import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../../test/support/stack.ts';
import { rows } from '../sql.ts';
import { DAY_MS, floorTo, HOUR_MS } from './buckets.ts';
import { recomputeDays, recomputeHours } from './recompute.ts';
import { lockAnalytics } from './state.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let token: string;
let organizationId: string;

const shards = () => stack.regions.us!.ctx.shards;

beforeAll(async () => {
  // No workers: the rebuilds are run here, when the test says.
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  const session = await api.signup('hour-records', { region: 'us' });
  token = session.token;
  organizationId = session.organization.id;
});
afterAll(() => stack?.stop());

const createLead = async (firstName: string) => {
  const made = await api.call('POST', '/api/v1/leads', { token, body: { firstName } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data.id as string;
};

/** The hour records of the hour, with the transaction that wrote each row (xmin changes when a row is rewritten). */
const kept = (hour: Date) =>
  shards().withTenant(organizationId, (tx) =>
    rows<{ recordId: string; writtenBy: string }>(
      tx,
      sql`SELECT record_id::text AS "recordId", xmin::text AS "writtenBy" FROM analytics_hour_records
          WHERE organization_id = ${organizationId} AND hour = ${hour.toISOString()}::timestamptz ORDER BY 1`,
    ),
  );

const rebuild = (hour: Date) =>
  shards().withTenant(organizationId, async (tx) => {
    await lockAnalytics(tx, organizationId);
    await recomputeHours(tx, organizationId, [hour]);
  });

describe("an hour's records", () => {
  it('are rewritten only where they changed when an event rebuilds the hour', async () => {
    // Every lead of the test is created in one hour: near its end, wait for the next.
    const left = HOUR_MS - (Date.now() % HOUR_MS);
    if (left < 30_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    const hour = floorTo(new Date(), HOUR_MS);
    const first = [await createLead('One'), await createLead('Two'), await createLead('Three')];
    await rebuild(hour);
    const before = await kept(hour);
    expect(before.map((r) => r.recordId)).toEqual([...first].sort());

    const added = await createLead('Four');
    const removed = first[1]!;
    const deleted = await api.call('DELETE', `/api/v1/leads/${removed}`, { token });
    expect(deleted.status).toBe(204);
    await rebuild(hour);
    const after = await kept(hour);
    expect(after.map((r) => r.recordId)).toEqual([first[0]!, first[2]!, added].sort());
    // The rows of the records that stayed are the same rows, not deleted and written again.
    for (const row of before.filter((r) => r.recordId !== removed)) {
      expect(after.find((r) => r.recordId === row.recordId)?.writtenBy).toBe(row.writtenBy);
    }

    // Rebuilding again writes nothing; the backfill's whole-range build lists the same records.
    await rebuild(hour);
    expect(await kept(hour)).toEqual(after);
    await shards().withTenant(organizationId, async (tx) => {
      await lockAnalytics(tx, organizationId);
      const day = floorTo(hour, DAY_MS);
      await recomputeDays(tx, organizationId, day, new Date(day.getTime() + DAY_MS));
    });
    expect((await kept(hour)).map((r) => r.recordId)).toEqual(after.map((r) => r.recordId));
  }, 60_000);
});
