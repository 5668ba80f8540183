import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../db/ids.ts';
import { dealStageChanges, deals, outbox } from '../../../db/schema/index.ts';
import { apiClient } from '../../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../../test/support/stack.ts';
import { analyzerHandler } from '../../../workers/analyzer/index.ts';
import { toBusEvent } from '../../events/relay.ts';
import type { ReportScope } from '../access.ts';
import { addDays } from '../calendar.ts';
import { pipelineHistoryReport } from '../pipeline-history.ts';
import { reportRange } from '../range.ts';
import { backfillNow } from '../rollup/backfill.ts';
import { rebuildAllDirtyHours } from '../rollup/dirty.ts';
import { rollupsReady } from '../rollup/window.ts';
import { rows } from '../sql.ts';
import { type Session, seeder, today } from '../test-seed.ts';
import { runDailySnapshots } from './live.ts';

/**
 * Pipeline snapshots: what the analyzer keeps from deal events must be what a backfill builds from the stage
 * history, and the report must answer the same from the snapshots as from the deals.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let org: Session;
let other: Session;
let rep: Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let viewer: Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
const shards = () => stack.regions.us!.ctx.shards;
const seededDeals: string[] = [];
let stages: { id: string; name: string; kind: string }[] = [];
let pipelineId = '';

const at = (days: number, hour = 10) => {
  const d = new Date(`${addDays(today(), days)}T00:00:00Z`);
  return new Date(d.getTime() + hour * 3_600_000);
};

/** Deals with back-dated stage histories: moved, won, lost, reopened, some at midnight exactly. */
async function seed() {
  const organizationId = org.organization.id;
  const defaults = await seeder(stack, org).defaultStages();
  stages = defaults.stages as never;
  pipelineId = defaults.pipeline.id;
  const stage = (name: string) => stages.find((s) => s.name === name)!;
  const owners = [org.user.id, rep.user.id, null];
  const paths = [
    ['Qualification'],
    ['Qualification', 'Proposal'],
    ['Qualification', 'Proposal', 'Closed won'],
    ['Needs analysis', 'Closed lost', 'Negotiation'],
    ['Proposal', 'Closed won', 'Proposal'],
    ['Qualification', 'Needs analysis', 'Proposal', 'Negotiation', 'Closed lost'],
  ];
  const dealRows: (typeof deals.$inferInsert)[] = [];
  const changeRows: (typeof dealStageChanges.$inferInsert)[] = [];
  for (let i = 0; i < 30; i++) {
    const path = paths[i % paths.length]!;
    const start = -25 + (i % 12);
    const id = newId();
    const last = stage(path[path.length - 1]!);
    let when = at(start, i % 3 === 0 ? 0 : 9);
    for (let step = 0; step < path.length; step++) {
      changeRows.push({
        organizationId,
        id: newId(),
        dealId: id,
        fromStageId: step === 0 ? null : stage(path[step - 1]!).id,
        toStageId: stage(path[step]!).id,
        changedAt: when,
      });
      if (step < path.length - 1) when = new Date(when.getTime() + (2 + (i % 4)) * 86_400_000);
    }
    dealRows.push({
      organizationId,
      id,
      name: `Seeded ${i}`,
      amount: `${1000 + i * 137}.${String(i % 100).padStart(2, '0')}`,
      currency: i % 4 === 0 ? 'EUR' : 'USD',
      pipelineId,
      stageId: last.id,
      status: last.kind as 'open' | 'won' | 'lost',
      closedAt: last.kind === 'open' ? null : when,
      ownerId: owners[i % owners.length]!,
      createdAt: at(start, i % 3 === 0 ? 0 : 9),
    });
    seededDeals.push(id);
  }
  await shards().withTenant(organizationId, async (tx) => {
    await tx.insert(deals).values(dealRows);
    await tx.insert(dealStageChanges).values(changeRows);
  });
}

/**
 * The edge may close an idle keep-alive socket just as the client reuses it (a loaded machine, long pauses between
 * calls): such a call never reached the server, so it is sent once more.
 */
function retrying(client: ReturnType<typeof apiClient>): ReturnType<typeof apiClient> {
  const call: typeof client.call = (method, path, options) =>
    client.call(method, path, options).catch((error: Error) => {
      if ((error.cause as { code?: string } | undefined)?.code !== 'ECONNRESET') throw error;
      return client.call(method, path, options);
    });
  return { ...client, call };
}

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'], edge: { cacheTtlSeconds: 0 } });
  api = retrying(apiClient(stack.edgeUrl));
  org = await api.signup('snapshots', { region: 'us' });
  other = await api.signup('snapshots-other', { region: 'us' });
  rep = await api.member(org.token, 'sales_rep', 'snap-rep');
  viewer = await api.member(org.token, 'viewer', 'snap-viewer');
  await seed();
}, 600_000);
afterAll(() => stack?.stop());

const ready = () => shards().withTenant(org.organization.id, (t) => rollupsReady(t, org.organization.id));

/** The report from the snapshots and from the deals alone, over ranges and owners: they must be identical. */
async function compareBothWays() {
  const organizationId = org.organization.id;
  const ranges = [
    { from: addDays(today(), -30), to: today() },
    { from: addDays(today(), -12), to: addDays(today(), -3) },
    { from: addDays(today(), -1), to: addDays(today(), 2) },
  ];
  for (const { from, to } of ranges) {
    for (const ownerId of [null, rep.user.id]) {
      const scope: ReportScope = { organizationId, ownerId, range: reportRange({ from, to }) };
      const [rolled, base] = await shards().withTenant(organizationId, async (tx) => [
        await pipelineHistoryReport.run(tx, scope, {} as never),
        await pipelineHistoryReport.run(tx, { ...scope, rollups: false }, {} as never),
      ]);
      expect(rolled, `${from}..${to} owner ${ownerId}`).toEqual(base);
    }
  }
}

const snapshotTable = () =>
  shards().withTenant(org.organization.id, (tx) =>
    rows<Record<string, unknown>>(
      tx,
      sql`SELECT to_char(day, 'YYYY-MM-DD') AS day, pipeline_id, stage_id, owner_id, currency, deals,
          amount::numeric(20, 2)::text AS amount
        FROM pipeline_snapshots WHERE organization_id = ${org.organization.id}
        ORDER BY 1, 2, 3, 4 NULLS FIRST, 5`,
    ),
  );

async function applyOutbox() {
  const organizationId = org.organization.id;
  const events = await shards().withTenant(organizationId, (t) =>
    t.select().from(outbox).where(eq(outbox.organizationId, organizationId)).orderBy(asc(outbox.id)),
  );
  const handle = analyzerHandler(shards(), stack.regions.us!.ctx.jobs);
  await handle(events.map((row) => toBusEvent('us', row as never)));
  await rebuildAllDirtyHours(shards(), organizationId);
}

const ok = async (method: string, path: string, body?: unknown) => {
  const reply = await api.call(method, path, { token: org.token, body });
  expect(reply.status, `${method} ${path}: ${JSON.stringify(reply.data)}`).toBeLessThan(300);
  return reply.data;
};

describe('pipeline snapshots', () => {
  it('are built by the backfill and answer as the deals do', async () => {
    await compareBothWays();
    await backfillNow(shards(), org.organization.id, { chunkDays: 7, settleSeconds: 0 });
    expect(await ready()).toBe(true);
    const built = await snapshotTable();
    expect(built.length).toBeGreaterThan(40);
    await compareBothWays();
    // A day in the middle: what the deals' histories say by hand.
    const day = addDays(today(), -15);
    const report = await shards().withTenant(org.organization.id, (tx) =>
      pipelineHistoryReport.run(
        tx,
        { organizationId: org.organization.id, ownerId: null, range: reportRange({ from: day, to: day }) },
        {} as never,
      ),
    );
    const counted = report.days[0]!.totals.reduce((n, t) => n + t.deals, 0);
    expect(counted).toBeGreaterThan(0);
  }, 240_000);

  it('kept live from deal events equal a fresh backfill', async () => {
    const stage = (name: string) => stages.find((s) => s.name === name)!.id;
    const created = await ok('POST', '/api/v1/deals', { name: 'Live', amount: '5000.00', currency: 'EUR' });
    await ok('PATCH', `/api/v1/deals/${created.id}`, { stageId: stage('Proposal') });
    await ok('PATCH', `/api/v1/deals/${seededDeals[0]}`, { amount: '77.70', ownerId: rep.user.id });
    await ok('PATCH', `/api/v1/deals/${seededDeals[1]}`, { stageId: stage('Closed won') });
    await ok('PATCH', `/api/v1/deals/${seededDeals[2]}`, { stageId: stage('Negotiation') });
    await ok('DELETE', `/api/v1/deals/${seededDeals[3]}`);
    // Unapplied events: the report falls back to the deals, still the same answer.
    expect(await ready()).toBe(false);
    await compareBothWays();
    await applyOutbox();
    await applyOutbox(); // applied once only
    expect(await ready()).toBe(true);
    await compareBothWays();
    const live = await snapshotTable();
    await backfillNow(shards(), org.organization.id, { settleSeconds: 0 });
    expect(await snapshotTable()).toEqual(live);
    // The daily job rebuilds yesterday and today: nothing changes either.
    const counts = await runDailySnapshots({
      region: 'us',
      shards: shards(),
      jobs: stack.regions.us!.ctx.jobs,
      log: { error: () => undefined },
    });
    expect(counts.snapshot).toBeGreaterThanOrEqual(1);
    expect(await snapshotTable()).toEqual(live);
  }, 240_000);

  it('answers by role over the API, as JSON and CSV, and only within the organization', async () => {
    const path = `/api/v1/analytics/pipeline-history?from=${addDays(today(), -3)}&to=${today()}`;
    const admin = await api.call('GET', path, { token: org.token });
    expect(admin.status, JSON.stringify(admin.data)).toBe(200);
    expect(admin.data).toMatchObject({ ownerId: null, timeZone: 'UTC', pipeline: { id: pipelineId } });
    expect(admin.data.days).toHaveLength(4);

    const own = await api.call('GET', path, { token: rep.token });
    expect(own.status).toBe(200);
    expect(own.data.ownerId).toBe(rep.user.id);
    const repDeals = own.data.days.at(-1).totals.reduce((n: number, t: { deals: number }) => n + t.deals, 0);
    const allDeals = admin.data.days.at(-1).totals.reduce((n: number, t: { deals: number }) => n + t.deals, 0);
    expect(repDeals).toBeGreaterThan(0);
    expect(repDeals).toBeLessThan(allDeals);
    expect((await api.call('GET', `${path}&ownerId=${org.user.id}`, { token: rep.token })).status).toBe(403);
    expect((await api.call('GET', `${path}&format=csv`, { token: rep.token })).status).toBe(403);
    const seen = await api.call('GET', `${path}&ownerId=${rep.user.id}`, { token: viewer.token });
    expect(seen.status).toBe(200);
    expect(seen.data.days).toEqual(own.data.days);

    const file = await api.call('GET', `${path}&format=csv`, { token: org.token });
    expect(file.status).toBe(200);
    expect(String(file.data).split('\r\n')[0]).toBe(
      'day,stage,position,probability,currency,deals,amount,weighted_amount',
    );

    const theirs = await api.call('GET', path, { token: other.token });
    expect(theirs.status).toBe(200);
    expect(theirs.data.pipeline.id).not.toBe(pipelineId);
    expect(theirs.data.days.every((d: { totals: unknown[] }) => d.totals.length === 0)).toBe(true);
    const foreign = await api.call('GET', `${path}&pipelineId=${pipelineId}`, { token: other.token });
    expect(foreign.status).toBe(404);
    const bad = await api.call('GET', `/api/v1/analytics/pipeline-history?from=${today()}&to=2020-01-01`, {
      token: org.token,
    });
    expect(bad.status).toBe(400);
    expect(bad.data.error.code).toBe('validation_failed');
  }, 120_000);
});
