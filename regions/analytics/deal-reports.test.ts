import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { pipelineStages, pipelines } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Session, seeder } from './test-seed.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const report = (session: { token: string }, name: string, query: string) =>
  api.call('GET', `/api/v1/analytics/${name}?${query}`, { token: session.token });

async function orgWithRep(tag: string) {
  const org = await api.signup(tag);
  const rep = await api.member(org.token, 'sales_rep');
  return { org, rep, seed: seeder(stack, org) };
}

describe('GET /api/v1/analytics/pipeline', () => {
  let org: Session;
  let rep: Awaited<ReturnType<typeof api.member>>;
  const march = 'from=2025-03-01&to=2025-03-31';

  beforeAll(async () => {
    const made = await orgWithRep('an-pipeline');
    ({ org, rep } = made);
    const r = rep.user.id;
    await made.seed.seedDeals([
      { stage: 'Qualification', amount: '1000.00', createdAt: '2025-03-01T00:00:00Z' },
      { stage: 'Qualification', amount: '2500.50', createdAt: '2025-03-10T12:00:00Z', ownerId: r },
      { stage: 'Qualification', amount: '900.00', createdAt: '2025-03-31T23:59:59Z' },
      { stage: 'Proposal', amount: '999.99', createdAt: '2025-03-05T00:00:00Z' },
      { stage: 'Proposal', amount: '4000.00', currency: 'EUR', createdAt: '2025-03-06T00:00:00Z', ownerId: r },
      { stage: 'Negotiation', amount: '3000.00', createdAt: '2025-03-07T00:00:00Z', ownerId: r },
      // Closed, or created outside the range: not in March's open pipeline.
      { stage: 'Closed won', amount: '5000.00', createdAt: '2025-03-08T00:00:00Z', closedAt: '2025-03-09T00:00:00Z' },
      { stage: 'Closed lost', amount: '6000.00', createdAt: '2025-03-08T00:00:00Z', closedAt: '2025-03-09T00:00:00Z' },
      { stage: 'Qualification', amount: '700.00', createdAt: '2025-02-28T23:59:59Z' },
      { stage: 'Qualification', amount: '800.00', createdAt: '2025-04-01T00:00:00Z' },
    ]);
  });

  it('sums open deals per stage and currency, weighted by the stage probability', async () => {
    const reply = await report(org, 'pipeline', march);
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    const { pipeline, stages } = await seeder(stack, org).defaultStages();
    expect(reply.data).toMatchObject({ from: '2025-03-01', to: '2025-03-31', timeZone: 'UTC', ownerId: null });
    expect(reply.data.pipeline).toEqual({ id: pipeline.id, name: 'Sales' });
    const byName = Object.fromEntries(stages.map((s) => [s.name, s.id]));
    expect(reply.data.stages).toEqual([
      {
        stageId: byName.Qualification,
        name: 'Qualification',
        position: 0,
        probability: 10,
        // (1000 + 2500.50 + 900) × 10% = 440.05
        totals: [{ currency: 'USD', deals: 3, amount: '4400.50', weightedAmount: '440.05' }],
      },
      { stageId: byName['Needs analysis'], name: 'Needs analysis', position: 1, probability: 25, totals: [] },
      {
        stageId: byName.Proposal,
        name: 'Proposal',
        position: 2,
        probability: 50,
        totals: [
          { currency: 'EUR', deals: 1, amount: '4000.00', weightedAmount: '2000.00' },
          // 999.99 × 50% = 499.995, rounded half away from zero to the cent.
          { currency: 'USD', deals: 1, amount: '999.99', weightedAmount: '500.00' },
        ],
      },
      {
        stageId: byName.Negotiation,
        name: 'Negotiation',
        position: 3,
        probability: 75,
        totals: [{ currency: 'USD', deals: 1, amount: '3000.00', weightedAmount: '2250.00' }],
      },
    ]);
    // USD: 4400.50 + 999.99 + 3000 = 8400.49; weighted (44005 + 49999.5 + 225000) / 100 = 3190.045 → 3190.05.
    expect(reply.data.totals).toEqual([
      { currency: 'EUR', deals: 1, amount: '4000.00', weightedAmount: '2000.00' },
      { currency: 'USD', deals: 5, amount: '8400.49', weightedAmount: '3190.05' },
    ]);
  });

  it("shows a sales rep only their own deals, and a manager anyone's with ownerId", async () => {
    const manager = await api.member(org.token, 'manager');
    const expected = [
      { currency: 'EUR', deals: 1, amount: '4000.00', weightedAmount: '2000.00' },
      // 2500.50 × 10% + 3000 × 75% = 250.05 + 2250 = 2500.05
      { currency: 'USD', deals: 2, amount: '5500.50', weightedAmount: '2500.05' },
    ];
    const own = await report(rep, 'pipeline', march);
    expect(own.status).toBe(200);
    expect(own.data.ownerId).toBe(rep.user.id);
    expect(own.data.totals).toEqual(expected);
    expect(own.data.stages[0].totals).toEqual([
      { currency: 'USD', deals: 1, amount: '2500.50', weightedAmount: '250.05' },
    ]);
    const managed = await report(manager, 'pipeline', `${march}&ownerId=${rep.user.id}`);
    expect(managed.data.totals).toEqual(expected);
    expect((await report(rep, 'pipeline', `${march}&ownerId=${rep.user.id}`)).data.totals).toEqual(expected);
  });

  it('reports another pipeline by id, and answers 404 for one that is not in the organization', async () => {
    const organizationId = org.organization.id;
    const other = { id: newId(), stage: newId() };
    await stack.regions.us!.ctx.shards.withTenant(organizationId, async (tx) => {
      await tx.insert(pipelines).values({ organizationId, id: other.id, name: 'Renewals', position: 1 });
      await tx.insert(pipelineStages).values({
        organizationId,
        id: other.stage,
        pipelineId: other.id,
        name: 'Quote sent',
        position: 0,
        probability: 60,
      });
    });
    await seeder(stack, org).seedDeals([
      {
        stage: 'Qualification',
        pipelineId: other.id,
        stageId: other.stage,
        amount: '1234.56',
        createdAt: '2025-03-15T00:00:00Z',
      },
    ]);
    const reply = await report(org, 'pipeline', `${march}&pipelineId=${other.id}`);
    expect(reply.status).toBe(200);
    expect(reply.data.pipeline).toEqual({ id: other.id, name: 'Renewals' });
    // 1234.56 × 60% = 740.736 → 740.74
    expect(reply.data.stages).toEqual([
      {
        stageId: other.stage,
        name: 'Quote sent',
        position: 0,
        probability: 60,
        totals: [{ currency: 'USD', deals: 1, amount: '1234.56', weightedAmount: '740.74' }],
      },
    ]);
    expectError(await report(org, 'pipeline', `pipelineId=${newId()}`), 404, 'not_found');
    const stranger = await api.signup('an-pipeline-stranger');
    expectError(await report(stranger, 'pipeline', `pipelineId=${other.id}`), 404, 'not_found');
  });
});

describe('GET /api/v1/analytics/win-rate', () => {
  let org: Session;
  beforeAll(async () => {
    const made = await orgWithRep('an-winrate');
    org = made.org;
    const won = (createdAt: string, closedAt: string) => ({
      stage: 'Closed won' as const,
      amount: '10.00',
      createdAt,
      closedAt,
    });
    const lost = (closedAt: string) => ({
      stage: 'Closed lost' as const,
      amount: '10.00',
      createdAt: '2025-04-01T00:00:00Z',
      closedAt,
    });
    await made.seed.seedDeals([
      won('2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z'), // 30 days
      won('2025-05-10T00:00:00Z', '2025-05-20T12:00:00Z'), // 10.5 days
      won('2025-05-01T00:00:00Z', '2025-05-01T06:00:00Z'), // 0.25 days
      lost('2025-05-15T00:00:00Z'),
      lost('2025-05-31T23:59:59Z'),
      lost('2025-06-01T00:00:00Z'), // after May in UTC, but still May 31st in New York
      won('2025-04-01T00:00:00Z', '2025-04-30T23:59:59Z'), // before May
      { stage: 'Proposal', amount: '10.00', createdAt: '2025-05-02T00:00:00Z' },
    ]);
  });

  it('counts deals closed in the range, the win rate and the average cycle of the won ones', async () => {
    const reply = await report(org, 'win-rate', 'from=2025-05-01&to=2025-05-31');
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    // 3 won, 2 lost: 60%; (30 + 10.5 + 0.25) / 3 = 13.58 days.
    expect(reply.data).toEqual({
      from: '2025-05-01',
      to: '2025-05-31',
      timeZone: 'UTC',
      ownerId: null,
      won: 3,
      lost: 2,
      winRate: 60,
      averageSalesCycleDays: 13.6,
    });
  });

  it("counts the range's days in the time zone asked for", async () => {
    // New York's May runs from 04:00Z on May 1st to 04:00Z on June 1st: the 30-day deal and not the June one
    // change sides. Won: 10.5 and 0.25 days → 5.4; lost: 3.
    const reply = await report(org, 'win-rate', 'from=2025-05-01&to=2025-05-31&tz=America/New_York');
    expect(reply.data).toMatchObject({
      timeZone: 'America/New_York',
      won: 2,
      lost: 3,
      winRate: 40,
      averageSalesCycleDays: 5.4,
    });
  });

  it('answers zeros and nulls when nothing closed', async () => {
    const reply = await report(org, 'win-rate', 'from=2024-01-01&to=2024-01-31');
    expect(reply.data).toMatchObject({ won: 0, lost: 0, winRate: null, averageSalesCycleDays: null });
  });
});

describe('GET /api/v1/analytics/revenue', () => {
  let org: Session;
  const range = 'from=2025-03-20&to=2025-04-10';
  beforeAll(async () => {
    const made = await orgWithRep('an-revenue');
    org = made.org;
    const won = (closedAt: string, amount: string, currency = 'USD') => ({
      stage: 'Closed won' as const,
      amount,
      currency,
      createdAt: '2025-01-01T00:00:00Z',
      closedAt,
    });
    await made.seed.seedDeals([
      won('2025-03-19T23:30:00Z', '100.00'), // Paris: Thu 20 March 00:30
      won('2025-03-23T22:59:59Z', '200.00'), // Paris: Sun 23 March 23:59:59 (CET)
      won('2025-03-23T23:00:00Z', '300.00'), // Paris: Mon 24 March 00:00
      won('2025-03-30T21:59:59Z', '400.00', 'EUR'), // Paris: Sun 30 March 23:59:59 (CEST since that night)
      won('2025-03-30T22:00:00Z', '500.00'), // Paris: Mon 31 March 00:00
      won('2025-04-10T21:59:59Z', '600.00'), // Paris: Thu 10 April 23:59:59
      won('2025-04-10T22:00:00Z', '700.00'), // Paris: Fri 11 April, after the range
      won('2025-03-19T22:59:59Z', '800.00'), // Paris: Wed 19 March, before the range
      { stage: 'Closed lost', amount: '900.00', createdAt: '2025-01-01T00:00:00Z', closedAt: '2025-03-25T00:00:00Z' },
    ]);
  });

  const usd = (deals: number, amount: string) => ({ currency: 'USD', deals, amount });

  it('buckets won revenue by week in a non-UTC time zone, through its clock change', async () => {
    const reply = await report(org, 'revenue', `${range}&period=week&tz=Europe/Paris`);
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    expect(reply.data.period).toBe('week');
    expect(reply.data.periods).toEqual([
      { period: '2025-03-17', start: '2025-03-20', end: '2025-03-23', totals: [usd(2, '300.00')] },
      {
        period: '2025-03-24',
        start: '2025-03-24',
        end: '2025-03-30',
        totals: [{ currency: 'EUR', deals: 1, amount: '400.00' }, usd(1, '300.00')],
      },
      { period: '2025-03-31', start: '2025-03-31', end: '2025-04-06', totals: [usd(1, '500.00')] },
      { period: '2025-04-07', start: '2025-04-07', end: '2025-04-10', totals: [usd(1, '600.00')] },
    ]);
    expect(reply.data.totals).toEqual([{ currency: 'EUR', deals: 1, amount: '400.00' }, usd(5, '1700.00')]);
  });

  it('buckets the same deals differently in UTC', async () => {
    const reply = await report(org, 'revenue', `${range}&period=week`);
    expect(reply.data.periods.map((p: { totals: unknown }) => p.totals)).toEqual([
      [usd(2, '500.00')],
      [{ currency: 'EUR', deals: 1, amount: '400.00' }, usd(1, '500.00')],
      [],
      [usd(2, '1300.00')],
    ]);
  });

  it('buckets by month in the time zone, the default period', async () => {
    const reply = await report(org, 'revenue', `${range}&tz=Europe/Paris`);
    expect(reply.data.period).toBe('month');
    expect(reply.data.periods).toEqual([
      {
        period: '2025-03',
        start: '2025-03-20',
        end: '2025-03-31',
        totals: [{ currency: 'EUR', deals: 1, amount: '400.00' }, usd(4, '1100.00')],
      },
      { period: '2025-04', start: '2025-04-01', end: '2025-04-10', totals: [usd(1, '600.00')] },
    ]);
  });

  it('lists every day, empty ones too', async () => {
    const reply = await report(org, 'revenue', `${range}&period=day&tz=Europe/Paris`);
    expect(reply.data.periods).toHaveLength(22);
    const day = (d: string) => reply.data.periods.find((p: { period: string }) => p.period === d);
    expect(day('2025-03-20')).toEqual({
      period: '2025-03-20',
      start: '2025-03-20',
      end: '2025-03-20',
      totals: [usd(1, '100.00')],
    });
    expect(day('2025-03-30').totals).toEqual([{ currency: 'EUR', deals: 1, amount: '400.00' }]);
    expect(day('2025-03-21').totals).toEqual([]);
  });
});

describe('GET /api/v1/analytics/leaderboard', () => {
  let org: Session;
  let reps: Record<'rita' | 'sam' | 'zed' | 'max', { token: string; user: { id: string } }>;
  beforeAll(async () => {
    org = await api.signup('an-leaderboard');
    const seed = seeder(stack, org);
    const [rita, sam, zed, max] = await Promise.all([
      api.member(org.token, 'sales_rep'),
      api.member(org.token, 'sales_rep'),
      api.member(org.token, 'sales_rep'),
      api.member(org.token, 'manager'),
    ]);
    reps = { rita: rita!, sam: sam!, zed: zed!, max: max! };
    await seed.nameUser(org.user.id, 'Ada Admin');
    await seed.nameUser(rita!.user.id, 'Rita Rep');
    await seed.nameUser(sam!.user.id, 'Sam Rep');
    await seed.nameUser(zed!.user.id, 'Zed Idle');
    await seed.nameUser(max!.user.id, 'Max Manager');
    const won = (ownerId: string | null, amount: string, currency = 'USD', closedAt = '2025-07-15T00:00:00Z') => ({
      stage: 'Closed won' as const,
      amount,
      currency,
      ownerId,
      createdAt: '2025-06-01T00:00:00Z',
      closedAt,
    });
    await seed.seedDeals([
      won(rita!.user.id, '1000.00'),
      won(rita!.user.id, '500.00'),
      won(rita!.user.id, '2000.00', 'EUR'),
      won(sam!.user.id, '1500.00'),
      won(sam!.user.id, '9000.00', 'USD', '2025-06-30T23:59:59Z'), // June: not July's
      won(org.user.id, '1200.00'),
      won(null, '9999.00'), // nobody's
    ]);
    await seed.seedActivities([
      { type: 'call', ownerId: rita!.user.id, createdAt: '2025-07-02T00:00:00Z' },
      { type: 'call', ownerId: rita!.user.id, createdAt: '2025-07-03T00:00:00Z' },
      { type: 'note', ownerId: sam!.user.id, createdAt: '2025-07-04T00:00:00Z' },
      { type: 'email', ownerId: max!.user.id, createdAt: '2025-07-05T00:00:00Z' },
    ]);
  });

  const row = (
    rank: number,
    who: { user: { id: string } },
    name: string,
    wonRevenue: string,
    dealsWon: number,
    activitiesLogged: number,
  ) => ({
    rank,
    userId: who.user.id,
    name,
    email: expect.any(String),
    wonRevenue,
    dealsWon,
    activitiesLogged,
  });

  it('ranks users by revenue won in the most used currency, equal revenue sharing a rank', async () => {
    const reply = await report(org, 'leaderboard', 'from=2025-07-01&to=2025-07-31');
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    expect(reply.data.currency).toBe('USD');
    expect(reply.data.reps).toEqual([
      row(1, reps.rita, 'Rita Rep', '1500.00', 3, 2),
      row(1, reps.sam, 'Sam Rep', '1500.00', 1, 1),
      row(3, org, 'Ada Admin', '1200.00', 1, 0),
      row(4, reps.max, 'Max Manager', '0.00', 0, 1),
      row(4, reps.zed, 'Zed Idle', '0.00', 0, 0),
    ]);
  });

  it('ranks in the currency asked for', async () => {
    const reply = await report(org, 'leaderboard', 'from=2025-07-01&to=2025-07-31&currency=EUR');
    expect(reply.data.currency).toBe('EUR');
    expect(reply.data.reps).toEqual([
      row(1, reps.rita, 'Rita Rep', '2000.00', 3, 2),
      row(2, reps.sam, 'Sam Rep', '0.00', 1, 1),
      row(2, org, 'Ada Admin', '0.00', 1, 0),
      row(2, reps.max, 'Max Manager', '0.00', 0, 1),
      row(2, reps.zed, 'Zed Idle', '0.00', 0, 0),
    ]);
  });

  it('shows a sales rep only their own row', async () => {
    const reply = await report(reps.sam, 'leaderboard', 'from=2025-07-01&to=2025-07-31');
    expect(reply.data.ownerId).toBe(reps.sam.user.id);
    expect(reply.data.reps).toEqual([row(1, reps.sam, 'Sam Rep', '1500.00', 1, 1)]);
  });
});
