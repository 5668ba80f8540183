import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { daysFromToday, type LeadSeed, type Session, seeder } from './test-seed.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let org: Session;
let rep: Awaited<ReturnType<typeof api.member>>;

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
const download = (name: string, query: string, headers: Record<string, string> = {}) =>
  api.call('GET', `/api/v1/analytics/${name}?${query}`, { token: org.token, headers });

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  org = await api.signup('an-export');
  rep = await api.member(org.token, 'sales_rep');
  const seed = seeder(stack, org);
  await seed.nameUser(org.user.id, 'Ada Admin');
  await seed.nameUser(rep.user.id, '=HYPERLINK("http://evil.example","Rep, the closer")');
  const sources: [string | null, number, number][] = [
    ['=HYPERLINK("http://evil.example","click")', 8, 0],
    ['Smith, Jones', 7, 2],
    ['say "hi"', 6, 0],
    ['two\nlines', 5, 0],
    ['+44 20', 4, 0],
    ['-1', 3, 0],
    ['@mention', 2, 0],
    [null, 1, 1],
  ];
  const leads: LeadSeed[] = sources.flatMap(([source, n, converted]) =>
    Array.from({ length: n }, (_, i) => ({ source, converted: i < converted, createdAt: '2025-09-10T00:00:00Z' })),
  );
  await seed.seedLeads(leads);
  await seed.seedDeals([
    { stage: 'Proposal', amount: '1000.00', createdAt: '2025-09-01T00:00:00Z' },
    {
      stage: 'Negotiation',
      amount: '200.00',
      currency: 'EUR',
      createdAt: '2025-09-02T00:00:00Z',
      ownerId: rep.user.id,
    },
    {
      stage: 'Closed won',
      amount: '300.00',
      createdAt: '2025-09-01T00:00:00Z',
      closedAt: '2025-09-16T00:00:00Z',
      ownerId: rep.user.id,
    },
  ]);
  await seed.seedActivities([
    { type: 'call', ownerId: rep.user.id, createdAt: '2025-09-03T00:00:00Z' },
    { type: 'email', ownerId: org.user.id, createdAt: '2025-09-04T00:00:00Z' },
  ]);
});
afterAll(() => stack?.stop());

const september = 'from=2025-09-01&to=2025-09-30';
const repCell = `"'=HYPERLINK(""http://evil.example"",""Rep, the closer"")"`;

describe('CSV downloads', () => {
  it('downloads a report as an attachment named after it and its range, quoting and neutralising cells', async () => {
    const reply = await download('lead-sources', `${september}&format=csv`);
    expect(reply.status, String(reply.data)).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toBe(
      'attachment; filename="lead-sources-2025-09-01-2025-09-30.csv"',
    );
    expect(reply.data).toBe(
      csv(
        'source,leads,converted,conversion_rate',
        `"'=HYPERLINK(""http://evil.example"",""click"")",8,0,0`,
        '"Smith, Jones",7,2,28.6',
        '"say ""hi""",6,0,0',
        '"two\nlines",5,0,0',
        "'+44 20,4,0,0",
        "'-1,3,0,0",
        "'@mention,2,0,0",
        ',1,1,100',
      ),
    );
  });

  it('answers CSV to Accept: text/csv as well', async () => {
    const reply = await download('funnel', september, { accept: 'text/csv' });
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // 36 leads, 3 converted to a contact, none with a deal.
    expect(reply.data).toBe(csv('step,count,conversion_rate', 'lead,36,', 'contact,3,8.3', 'deal,0,0', 'won,0,'));
  });

  it('writes every report as a table with the same figures as its JSON', async () => {
    const pipeline = await download('pipeline', `${september}&format=csv`);
    expect(pipeline.data).toBe(
      csv(
        'stage,position,probability,currency,deals,amount,weighted_amount',
        'Qualification,0,10,,0,0.00,0.00',
        'Needs analysis,1,25,,0,0.00,0.00',
        'Proposal,2,50,USD,1,1000.00,500.00',
        'Negotiation,3,75,EUR,1,200.00,150.00',
      ),
    );
    const revenue = await download('revenue', `${september}&period=week&tz=Europe/Paris&format=csv`);
    expect(revenue.headers.get('content-disposition')).toBe('attachment; filename="revenue-2025-09-01-2025-09-30.csv"');
    expect(revenue.data).toBe(
      csv(
        'period,start,end,currency,deals,amount',
        '2025-09-01,2025-09-01,2025-09-07,,0,0.00',
        '2025-09-08,2025-09-08,2025-09-14,,0,0.00',
        '2025-09-15,2025-09-15,2025-09-21,USD,1,300.00',
        '2025-09-22,2025-09-22,2025-09-28,,0,0.00',
        '2025-09-29,2025-09-29,2025-09-30,,0,0.00',
      ),
    );
    const winRate = await download('win-rate', `${september}&format=csv`);
    expect(winRate.data).toBe(
      csv('from,to,won,lost,win_rate,average_sales_cycle_days', '2025-09-01,2025-09-30,1,0,100,15'),
    );
    const activity = await download('activity', `${september}&format=csv`);
    expect(activity.data).toBe(
      csv(
        'user_id,name,email,tasks_done,calls,meetings,notes,emails,total',
        `${rep.user.id},${repCell},${rep.email},0,1,0,0,0,1`,
        `${org.user.id},Ada Admin,${org.user.email},0,0,0,0,1,1`,
      ),
    );
    const leaderboard = await download('leaderboard', `${september}&format=csv`);
    expect(leaderboard.data).toBe(
      csv(
        'rank,user_id,name,email,currency,won_revenue,deals_won,activities_logged',
        `1,${rep.user.id},${repCell},${rep.email},USD,300.00,1,1`,
        `2,${org.user.id},Ada Admin,${org.user.email},USD,0.00,0,1`,
      ),
    );
  });

  it('names the file after the default range when none is given', async () => {
    const reply = await download('activity', 'format=csv');
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    expect(reply.headers.get('content-disposition')).toBe(`attachment; filename="activity-${from}-${to}.csv"`);
    expect(reply.data).toBe(csv('user_id,name,email,tasks_done,calls,meetings,notes,emails,total'));
  });
});

describe('the edge cache', () => {
  it('caches JSON reports until the organization writes, and never answers a CSV request with cached JSON', async () => {
    const session = await api.signup('an-export-cache');
    const today = `from=${daysFromToday(-1)}&to=${daysFromToday(1)}`;
    const get = (query: string, headers: Record<string, string> = {}) =>
      api.call('GET', `/api/v1/analytics/lead-sources?${query}`, { token: session.token, headers });
    const create = () =>
      api.call('POST', '/api/v1/leads', { token: session.token, body: { firstName: 'Cached', source: 'web' } });
    expect((await create()).status).toBe(201);

    const first = await get(today);
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(first.data.totals.leads).toBe(1);
    const second = await get(today);
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.data).toEqual(first.data);

    const asCsv = await get(today, { accept: 'text/csv' });
    expect(asCsv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(asCsv.data).toBe(csv('source,leads,converted,conversion_rate', 'web,1,0,0'));
    const asJson = await get(today, { accept: 'application/json' });
    expect(asJson.headers.get('content-type')).toMatch(/^application\/json/);

    expect((await create()).status).toBe(201);
    const after = await get(today);
    expect(after.headers.get('x-cache')).toBe('miss');
    expect(after.data.totals.leads).toBe(2);
  });
});
