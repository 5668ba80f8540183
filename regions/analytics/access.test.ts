import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Session, seeder } from './test-seed.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let org: Session;
let other: Session;
let rep: Awaited<ReturnType<typeof api.member>>;
let otherRep: Awaited<ReturnType<typeof api.member>>;

const reports = ['pipeline', 'funnel', 'win-rate', 'revenue', 'lead-sources', 'activity', 'leaderboard'];
const range = 'from=2025-08-01&to=2025-08-31';

const get = (token: string, name: string, query = range, headers: Record<string, string> = {}) =>
  api.call('GET', `/api/v1/analytics/${name}?${query}`, { token, headers });

async function apiKey(token: string, scopes: string[]) {
  const made = await api.call('POST', '/api/v1/api-keys', { token, body: { name: api.unique('key'), scopes } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data.key as string;
}

/** The same activity in every organization: a won deal, a lead and a call per owner, all in August 2025. */
async function seedAugust(session: Session, owners: string[]) {
  const seed = seeder(stack, session);
  for (const ownerId of owners) {
    await seed.seedDeals([
      { stage: 'Proposal', amount: '100.00', ownerId, createdAt: '2025-08-02T00:00:00Z' },
      {
        stage: 'Closed won',
        amount: '250.00',
        ownerId,
        createdAt: '2025-08-01T00:00:00Z',
        closedAt: '2025-08-03T00:00:00Z',
      },
    ]);
    await seed.seedLeads([{ createdAt: '2025-08-04T00:00:00Z', ownerId, source: 'referral' }]);
    await seed.seedActivities([{ type: 'call', ownerId, createdAt: '2025-08-05T00:00:00Z' }]);
  }
}

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  [org, other] = await Promise.all([api.signup('an-access'), api.signup('an-access-other')]);
  [rep, otherRep] = await Promise.all([api.member(org.token, 'sales_rep'), api.member(org.token, 'sales_rep')]);
  await seedAugust(org, [org.user.id, rep.user.id, otherRep.user.id]);
  // Another organization with more of the same, on whichever shard it hashed to.
  await seedAugust(other, [other.user.id, other.user.id]);
});
afterAll(() => stack?.stop());

describe('who sees which figures', () => {
  it('shows admins, managers and viewers the whole organization', async () => {
    const [manager, viewer] = await Promise.all([api.member(org.token, 'manager'), api.member(org.token, 'viewer')]);
    for (const token of [org.token, manager.token, viewer.token]) {
      const pipeline = await get(token, 'pipeline');
      expect(pipeline.status, JSON.stringify(pipeline.data)).toBe(200);
      expect(pipeline.data.ownerId).toBeNull();
      expect(pipeline.data.totals).toEqual([{ currency: 'USD', deals: 3, amount: '300.00', weightedAmount: '150.00' }]);
      const winRate = await get(token, 'win-rate');
      expect(winRate.data).toMatchObject({ won: 3, lost: 0, winRate: 100 });
    }
  });

  it('shows a sales rep only their own figures in every report', async () => {
    const figures = {
      pipeline: (d: any) => d.totals[0].deals,
      funnel: (d: any) => d.steps[0].count,
      'win-rate': (d: any) => d.won,
      revenue: (d: any) => d.totals[0].deals,
      'lead-sources': (d: any) => d.totals.leads,
      activity: (d: any) => d.totals.total,
      leaderboard: (d: any) => d.reps.length,
    } as Record<string, (data: unknown) => number>;
    for (const name of reports) {
      const own = await get(rep.token, name);
      expect(own.status, `${name} ${JSON.stringify(own.data)}`).toBe(200);
      expect(own.data.ownerId, name).toBe(rep.user.id);
      expect(figures[name]!(own.data), name).toBe(1);
      const explicit = await get(rep.token, name, `${range}&ownerId=${rep.user.id}`);
      expect(explicit.status, name).toBe(200);
      expect(figures[name]!(explicit.data), name).toBe(1);
      const whole = await get(org.token, name);
      expect(figures[name]!(whole.data), name).toBe(3);
    }
    expect((await get(rep.token, 'leaderboard')).data.reps[0].userId).toBe(rep.user.id);
  });

  it("refuses a sales rep another user's figures with 403", async () => {
    for (const name of reports) {
      expectError(await get(rep.token, name, `${range}&ownerId=${otherRep.user.id}`), 403, 'forbidden', name);
      expectError(await get(rep.token, name, `${range}&ownerId=${org.user.id}`), 403, 'forbidden', name);
    }
  });

  it('needs reports:export for a CSV download: viewers and sales reps may read but not export', async () => {
    const viewer = await api.member(org.token, 'viewer');
    for (const token of [viewer.token, rep.token]) {
      expect((await get(token, 'funnel')).status).toBe(200);
      expectError(await get(token, 'funnel', `${range}&format=csv`), 403, 'forbidden');
      expectError(await get(token, 'funnel', range, { accept: 'text/csv' }), 403, 'forbidden');
    }
    const manager = await api.member(org.token, 'manager');
    const csv = await get(manager.token, 'funnel', `${range}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it('honours API key scopes: reports:view reads, reports:export downloads, neither is refused', async () => {
    const viewKey = await apiKey(org.token, ['reports:view']);
    const exportKey = await apiKey(org.token, ['reports:view', 'reports:export']);
    const leadsKey = await apiKey(org.token, ['leads:read']);
    const read = await get(viewKey, 'win-rate');
    expect(read.status).toBe(200);
    expect(read.data).toMatchObject({ ownerId: null, won: 3 });
    expectError(await get(viewKey, 'win-rate', `${range}&format=csv`), 403, 'forbidden');
    const download = await get(exportKey, 'win-rate', `${range}&format=csv`);
    expect(download.status).toBe(200);
    expect(download.data).toBe(
      'from,to,won,lost,win_rate,average_sales_cycle_days\r\n2025-08-01,2025-08-31,3,0,100,2\r\n',
    );
    expectError(await get(leadsKey, 'win-rate'), 403, 'forbidden');
  });
});

describe('tenant isolation', () => {
  it("never counts another organization's data", async () => {
    const mine = await get(org.token, 'leaderboard');
    expect(mine.data.reps.map((r: { userId: string }) => r.userId).sort()).toEqual(
      [org.user.id, rep.user.id, otherRep.user.id].sort(),
    );
    expect((await get(org.token, 'revenue')).data.totals).toEqual([{ currency: 'USD', deals: 3, amount: '750.00' }]);
    expect((await get(org.token, 'lead-sources')).data.totals).toEqual({ leads: 3, converted: 0, conversionRate: 0 });
    expect((await get(org.token, 'activity')).data.totals.calls).toBe(3);
    const theirs = await get(other.token, 'revenue');
    expect(theirs.data.totals).toEqual([{ currency: 'USD', deals: 2, amount: '500.00' }]);
    expect((await get(other.token, 'leaderboard')).data.reps).toEqual([
      expect.objectContaining({ userId: other.user.id, wonRevenue: '500.00', dealsWon: 2, activitiesLogged: 2 }),
    ]);
  });

  it("answers zeros, not their figures, for another organization's user as ownerId", async () => {
    const asked = await get(org.token, 'win-rate', `${range}&ownerId=${other.user.id}`);
    expect(asked.status).toBe(200);
    expect(asked.data).toMatchObject({ won: 0, lost: 0, winRate: null });
    expect((await get(org.token, 'leaderboard', `${range}&ownerId=${other.user.id}`)).data.reps).toEqual([]);
    expect((await get(org.token, 'pipeline', `${range}&ownerId=${other.user.id}`)).data.totals).toEqual([]);
  });

  it("answers 404 for another organization's pipeline", async () => {
    const theirs = await seeder(stack, other).defaultStages();
    expectError(await get(org.token, 'pipeline', `pipelineId=${theirs.pipeline.id}`), 404, 'not_found');
  });
});

describe('bad parameters', () => {
  const expectBad = async (name: string, query: string, path: string) => {
    const reply = await get(org.token, name, query);
    expectError(reply, 400, 'validation_failed', `${name}?${query}`);
    expect(
      reply.data.error.details.map((d: { path: string }) => d.path),
      `${name}?${query}`,
    ).toContain(path);
  };

  it('refuses impossible or malformed days, reversed and over-long ranges, and unknown zones in every report', async () => {
    for (const name of reports) {
      await expectBad(name, 'from=2025-02-30', 'from');
      await expectBad(name, 'to=31/12/2025', 'to');
      await expectBad(name, 'from=2025-08-01T00:00:00Z', 'from');
      await expectBad(name, 'from=2025-08-02&to=2025-08-01', 'from');
      await expectBad(name, 'from=2022-08-31&to=2025-08-31', 'from');
      await expectBad(name, 'from=9999-12-01&to=9999-12-31', 'to');
      await expectBad(name, 'tz=Mars/Olympus', 'tz');
      await expectBad(name, 'tz=%00', 'tz');
      await expectBad(name, 'ownerId=not-a-uuid', 'ownerId');
      await expectBad(name, 'format=xml', 'format');
    }
    // Three years is the limit, and allowed.
    expect((await get(org.token, 'funnel', 'from=2022-09-01&to=2025-08-31')).status).toBe(200);
  });

  it("refuses each report's own parameters when invalid", async () => {
    await expectBad('revenue', 'period=year', 'period');
    await expectBad('pipeline', 'pipelineId=42', 'pipelineId');
    await expectBad('leaderboard', 'currency=usd', 'currency');
    await expectBad('leaderboard', 'currency=DOLLARS', 'currency');
  });
});
