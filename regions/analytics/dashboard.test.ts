import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { readEventStream } from '../notifications/sse-client.ts';
import { addDays, startOfMonth, startOfWeek } from './calendar.ts';
import { changeHubOf, openDashboardStreamCount, uuidFloor } from './dashboard-stream.ts';
import { type Session, seeder } from './test-seed.ts';

// Short enough to watch: every organization's outbox is looked at each 200 ms, a heartbeat after 500 ms of quiet.
process.env.DASHBOARD_STREAM_POLL_MS = '200';
process.env.DASHBOARD_STREAM_HEARTBEAT_MS = '500';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Member = Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let org: Session;
let other: Session;
let rep: Member;
const open: { close(): Promise<void> }[] = [];

const now = new Date();
const today = now.toISOString().slice(0, 10);
const at = (day: string) => `${day}T00:00:01Z`;
const ago = (days: number) => addDays(today, -days);
const seeded = [ago(0), ago(0), ago(1), ago(3), ago(6), ago(10), ago(20), ago(40)];
const count = (since: string) => seeded.filter((d) => d >= since).length;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  [org, other] = await Promise.all([api.signup('dash-a', { region: 'us' }), api.signup('dash-b', { region: 'us' })]);
  rep = await api.member(org.token, 'sales_rep');
  const seed = seeder(stack, org);
  await seed.seedLeads(seeded.map((day, i) => ({ createdAt: at(day), converted: i === 1 })));
  await seed.seedLeads([{ createdAt: at(ago(0)), ownerId: rep.user.id }]);
  await seed.seedDeals([
    { stage: 'Proposal', amount: '1000.00', createdAt: at(ago(400)) },
    { stage: 'Qualification', amount: '500.00', createdAt: at(ago(2)), ownerId: rep.user.id },
    { stage: 'Closed won', amount: '700.00', createdAt: at(ago(30)), closedAt: now.toISOString() },
  ]);
  const company = await api.call('POST', '/api/v1/companies', { token: org.token, body: { name: 'Tasks Ltd' } });
  expect(company.status, JSON.stringify(company.data)).toBe(201);
  for (const dueAt of [
    new Date(Date.now() - 3_600_000).toISOString(),
    new Date(Date.now() + 86_400_000).toISOString(),
  ]) {
    const task = await api.call('POST', '/api/v1/activities', {
      token: org.token,
      body: { type: 'task', subject: 'Call back', dueAt, ownerId: org.user.id, companyId: company.data.id },
    });
    expect(task.status, JSON.stringify(task.data)).toBe(201);
  }
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await stack?.stop();
});

const dashboard = (session: { token: string }, query = '') =>
  api.call('GET', `/api/v1/analytics/dashboard${query}`, { token: session.token });

async function stream(session: { token: string }, query = '') {
  const reader = await readEventStream(`${stack.edgeUrl}/api/v1/analytics/dashboard/stream${query}`, {
    authorization: `Bearer ${session.token}`,
  });
  open.push(reader);
  return reader;
}
const snapshots = (reader: Awaited<ReturnType<typeof stream>>) =>
  reader.events.filter((e) => e.event === 'snapshot').map((e) => JSON.parse(e.data));

describe('GET /api/v1/analytics/dashboard', () => {
  it('answers the tiles and charts of the whole organization for a manager or admin', async () => {
    const reply = await dashboard(org);
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    expect(reply.headers.get('x-cache')).toBeNull();
    const d = reply.data;
    expect(d).toMatchObject({ timeZone: 'UTC', today, ownerId: null });
    const month = count(startOfMonth(today)) + 1;
    expect(d.leads).toEqual({
      today: 3,
      thisWeek: count(startOfWeek(today)) + 1,
      thisMonth: month,
      convertedThisMonth: 1,
      conversionRate: Math.round((1 / month) * 1000) / 10,
    });
    expect(d.leadsPerDay).toHaveLength(14);
    expect(d.leadsPerDay.at(-1)).toEqual({ day: today, leads: 3 });
    expect(d.leadsPerDay[0].day).toBe(ago(13));
    expect(d.leadsPerDay.reduce((n: number, p: { leads: number }) => n + p.leads, 0)).toBe(count(ago(13)) + 1);
    // Open deals however old: the 400-day-old one counts.
    expect(d.pipeline.totals).toEqual([{ currency: 'USD', deals: 2, amount: '1500.00', weightedAmount: '550.00' }]);
    expect(d.pipeline.stages.find((s: { name: string }) => s.name === 'Proposal').totals[0].deals).toBe(1);
    expect(d.wonThisMonth).toEqual({ deals: 1, totals: [{ currency: 'USD', deals: 1, amount: '700.00' }] });
    expect(d.myTasks).toEqual({ open: 2, overdue: 1 });
  });

  it("shows a sales rep only their own figures, and refuses someone else's", async () => {
    const mine = await dashboard(rep);
    expect(mine.status).toBe(200);
    expect(mine.data.ownerId).toBe(rep.user.id);
    expect(mine.data.leads.today).toBe(1);
    expect(mine.data.pipeline.totals).toEqual([
      { currency: 'USD', deals: 1, amount: '500.00', weightedAmount: expect.any(String) },
    ]);
    expect(mine.data.wonThisMonth.deals).toBe(0);
    expect(mine.data.myTasks).toEqual({ open: 0, overdue: 0 });
    const theirs = await dashboard(rep, `?ownerId=${org.user.id}`);
    expect(theirs.status).toBe(403);
    expect(theirs.data.error.code).toBe('forbidden');
    // A manager may look at one rep.
    const one = await dashboard(org, `?ownerId=${rep.user.id}`);
    expect(one.data.leads.today).toBe(1);
  });

  it("never shows another organization's data", async () => {
    const reply = await dashboard(other);
    expect(reply.status).toBe(200);
    expect(reply.data.leads).toMatchObject({ today: 0, thisWeek: 0, thisMonth: 0 });
    expect(reply.data.pipeline?.totals ?? []).toEqual([]);
    expect(reply.data.wonThisMonth.deals).toBe(0);
  });

  it('counts days in the time zone asked for, and refuses an unknown one', async () => {
    const tokyo = await dashboard(org, '?tz=Asia/Tokyo');
    expect(tokyo.status).toBe(200);
    expect(tokyo.data.timeZone).toBe('Asia/Tokyo');
    const bad = await dashboard(org, '?tz=Mars/Olympus');
    expect(bad.status).toBe(400);
    expect(bad.data.error.details).toEqual([expect.objectContaining({ path: 'tz' })]);
    const unauthenticated = await api.call('GET', '/api/v1/analytics/dashboard');
    expect(unauthenticated.status).toBe(401);
  });
});

describe('GET /api/v1/analytics/dashboard/stream', () => {
  it('sends a snapshot at once and a fresh one when a lead is created, to that organization only', async () => {
    const mine = await stream(org);
    const theirs = await stream(other);
    expect(mine.response.status).toBe(200);
    expect(mine.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(mine.response.headers.get('cache-control')).toContain('no-cache');
    await mine.waitFor(() => snapshots(mine).length === 1);
    await theirs.waitFor(() => snapshots(theirs).length === 1);
    const before = snapshots(mine)[0].leads.today;
    // Two dashboards of one organization share one watcher; two organizations, two.
    const hub = changeHubOf(stack.regions.us!.ctx, 200);
    expect(hub.watched()).toBeGreaterThanOrEqual(2);

    const created = await api.call('POST', '/api/v1/leads', {
      token: org.token,
      body: { firstName: 'Live', lastName: 'Lead', source: 'web' },
    });
    expect(created.status).toBe(201);
    await mine.waitFor(() => snapshots(mine).some((s) => s.leads.today === before + 1), 15_000);
    // The other organization's stream saw no new figures, only keep-alives.
    await theirs.waitFor(() => theirs.comments.includes('keep-alive'), 5_000);
    expect(snapshots(theirs)).toHaveLength(1);
    expect(snapshots(theirs)[0].leads.today).toBe(0);
  });

  it('refuses what the dashboard refuses, before any stream opens', async () => {
    const reply = await api.call('GET', `/api/v1/analytics/dashboard/stream?ownerId=${org.user.id}`, {
      token: rep.token,
    });
    expect(reply.status).toBe(403);
    const bad = await api.call('GET', '/api/v1/analytics/dashboard/stream?tz=nowhere', { token: org.token });
    expect(bad.status).toBe(400);
  });

  it('stops its work, and the organization watcher, as soon as the clients leave', async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    const hub = changeHubOf(stack.regions.us!.ctx, 200);
    const until = Date.now() + 10_000;
    while ((openDashboardStreamCount() > 0 || hub.watched() > 0) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(openDashboardStreamCount()).toBe(0);
    expect(hub.watched()).toBe(0);
  });
});

describe('uuidFloor', () => {
  it('is the smallest UUIDv7 of an instant, so ids compare by when they were made', () => {
    expect(uuidFloor(0)).toBe('00000000-0000-0000-0000-000000000000');
    expect(uuidFloor(0x0193a5f20c1e)).toBe('0193a5f2-0c1e-0000-0000-000000000000');
    expect('0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' >= uuidFloor(0x0193a5f20c1e)).toBe(true);
    expect('0193a5f2-0c1d-7fff-bfff-ffffffffffff' >= uuidFloor(0x0193a5f20c1e)).toBe(false);
  });
});
