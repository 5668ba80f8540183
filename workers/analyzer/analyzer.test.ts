import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportScope } from '../../regions/analytics/access.ts';
import { funnelReport } from '../../regions/analytics/funnel.ts';
import { leadSourcesReport } from '../../regions/analytics/lead-sources.ts';
import { reportRange } from '../../regions/analytics/range.ts';
import { rollupsReady } from '../../regions/analytics/rollup/window.ts';
import { rows } from '../../regions/analytics/sql.ts';
import { daysFromToday } from '../../regions/analytics/test-seed.ts';
import { apiClient } from '../../test/support/api.ts';
import { privateShards } from '../../test/support/databases.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

/**
 * The analyzer as a region runs it, behind the relay and the bus: an organization's first lead event starts its
 * backfill, later writes are applied from their events, and reports read the roll-ups once nothing is unapplied.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let org: Session;
const shards = () => stack.regions.us!.ctx.shards;

beforeAll(async () => {
  stack = await startTestStack({
    regions: ['us'],
    workers: 'relay,analyzer',
    edge: { cacheTtlSeconds: 0 },
    shards: { us: await privateShards('analyzer') },
  });
  api = apiClient(stack.edgeUrl);
  org = await api.signup('analyzer', { region: 'us' });
}, 400_000);
afterAll(() => stack?.stop());

const ready = () => shards().withTenant(org.organization.id, (tx) => rollupsReady(tx, org.organization.id));

/** Waits for the analyzer to apply everything written so far. */
async function settled(ms = 240_000) {
  const until = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > until) throw new Error(`the analyzer did not catch up within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function bothWays() {
  const scope: ReportScope = {
    organizationId: org.organization.id,
    ownerId: null,
    range: reportRange({ from: daysFromToday(-1), to: daysFromToday(1), tz: 'Asia/Kolkata' }),
  };
  return shards().withTenant(org.organization.id, async (tx) => ({
    funnel: [
      await funnelReport.run(tx, scope, {} as never),
      await funnelReport.run(tx, { ...scope, rollups: false }, {} as never),
    ],
    sources: [
      await leadSourcesReport.run(tx, scope, {} as never),
      await leadSourcesReport.run(tx, { ...scope, rollups: false }, {} as never),
    ],
  }));
}

describe('analyzer worker', () => {
  it('backfills an organization on its first event and keeps its roll-ups current from later ones', async () => {
    const first = await api.call('POST', '/api/v1/leads', {
      token: org.token,
      body: { firstName: 'A', source: 'web' },
    });
    expect(first.status, JSON.stringify(first.data)).toBe(201);
    await settled();
    const [state] = await shards().withTenant(org.organization.id, (tx) =>
      rows<{ done: boolean }>(tx, sql`SELECT backfilled_at IS NOT NULL AS done FROM analytics_state`),
    );
    expect(state?.done).toBe(true);

    const second = await api.call('POST', '/api/v1/leads', {
      token: org.token,
      body: { firstName: 'B', source: 'ads' },
    });
    expect(second.status).toBe(201);
    const moved = await api.call('PATCH', `/api/v1/leads/${first.data.id}`, {
      token: org.token,
      body: { source: 'referral' },
    });
    expect(moved.status, JSON.stringify(moved.data)).toBe(200);
    await settled();
    const { funnel, sources } = await bothWays();
    expect(funnel[0]).toEqual(funnel[1]);
    expect(sources[0]).toEqual(sources[1]);
    expect(sources[0]).toMatchObject({ totals: { leads: 2 } });
    expect((sources[0] as { sources: { source: string }[] }).sources.map((s) => s.source).sort()).toEqual([
      'ads',
      'referral',
    ]);
    // Read from the roll-ups: today's hours hold both leads.
    const [rolled] = await shards().withTenant(org.organization.id, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`SELECT coalesce(sum(leads), 0)::int AS n FROM analytics_lead_buckets WHERE bucket_hours = 1`,
      ),
    );
    expect(rolled?.n).toBe(2);
  }, 600_000);
});
