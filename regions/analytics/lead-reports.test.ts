import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { daysFromToday, type Session, seeder } from './test-seed.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

type Member = Awaited<ReturnType<typeof api.member>>;

const report = (session: { token: string }, name: string, query: string) =>
  api.call('GET', `/api/v1/analytics/${name}?${query}`, { token: session.token });

const february = 'from=2025-02-01&to=2025-02-28';

describe('GET /api/v1/analytics/funnel', () => {
  let org: Session;
  let rep: Member;
  beforeAll(async () => {
    org = await api.signup('an-funnel');
    rep = await api.member(org.token, 'sales_rep');
    const r = rep.user.id;
    const at = '2025-02-10T00:00:00Z';
    await seeder(stack, org).seedLeads([
      // 4 never converted (1 of the rep's)
      { createdAt: '2025-02-01T00:00:00Z' },
      { createdAt: at },
      { createdAt: at },
      { createdAt: at, ownerId: r },
      // 3 converted to a contact only (1 of the rep's)
      { createdAt: at, converted: true },
      { createdAt: at, converted: true },
      { createdAt: at, converted: true, ownerId: r },
      // 2 with an open deal, 2 with a won deal (1 of the rep's), 1 with a lost one
      { createdAt: at, converted: true, deal: 'Proposal' },
      { createdAt: at, converted: true, deal: 'Qualification' },
      { createdAt: at, converted: true, deal: 'Closed won' },
      { createdAt: '2025-02-28T23:59:59Z', converted: true, deal: 'Closed won', ownerId: r },
      { createdAt: at, converted: true, deal: 'Closed lost' },
      // Created before February: not in its funnel, although won.
      { createdAt: '2025-01-31T23:59:59Z', converted: true, deal: 'Closed won' },
    ]);
  });

  it('counts each step for the leads created in the range, with the rate from the step before', async () => {
    const reply = await report(org, 'funnel', february);
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    // 12 leads → 8 contacts (66.7%) → 5 deals (62.5%) → 2 won (40%); 2 of 12 overall (16.7%).
    expect(reply.data).toEqual({
      from: '2025-02-01',
      to: '2025-02-28',
      timeZone: 'UTC',
      ownerId: null,
      steps: [
        { step: 'lead', count: 12, conversionRate: null },
        { step: 'contact', count: 8, conversionRate: 66.7 },
        { step: 'deal', count: 5, conversionRate: 62.5 },
        { step: 'won', count: 2, conversionRate: 40 },
      ],
      overallConversionRate: 16.7,
    });
  });

  it('gives a sales rep the funnel of their own leads', async () => {
    const reply = await report(rep, 'funnel', february);
    // 3 leads → 2 contacts (66.7%) → 1 deal (50%) → 1 won (100%); 1 of 3 overall (33.3%).
    expect(reply.data.steps.map((s: { count: number }) => s.count)).toEqual([3, 2, 1, 1]);
    expect(reply.data.steps.map((s: { conversionRate: number | null }) => s.conversionRate)).toEqual([
      null,
      66.7,
      50,
      100,
    ]);
    expect(reply.data.overallConversionRate).toBe(33.3);
  });

  it('counts leads made through the API today', async () => {
    const fresh = await api.signup('an-funnel-api');
    for (const firstName of ['Ada', 'Grace', 'Edsger']) {
      expect((await api.call('POST', '/api/v1/leads', { token: fresh.token, body: { firstName } })).status).toBe(201);
    }
    const reply = await report(fresh, 'funnel', `from=${daysFromToday(-1)}&to=${daysFromToday(1)}`);
    expect(reply.data.steps.map((s: { count: number }) => s.count)).toEqual([3, 0, 0, 0]);
    expect(reply.data.overallConversionRate).toBe(0);
    // The default range (the last 30 days) holds them too.
    expect((await report(fresh, 'funnel', '')).data.steps[0].count).toBe(3);
  });
});

describe('GET /api/v1/analytics/lead-sources', () => {
  it('groups the leads created in the range by source, most first, with how many converted', async () => {
    const org = await api.signup('an-sources');
    const lead = (source: string | null, converted = false, createdAt = '2025-02-14T12:00:00Z') => ({
      source,
      converted,
      createdAt,
    });
    await seeder(stack, org).seedLeads([
      lead('referral', true),
      lead('referral', true),
      lead('referral'),
      lead('web_form', true),
      lead('web_form'),
      lead('web_form'),
      lead('web_form'),
      lead(null),
      lead(null),
      lead('event', true),
      lead('event', true, '2025-03-01T00:00:00Z'), // March
    ]);
    const reply = await report(org, 'lead-sources', february);
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    expect(reply.data.sources).toEqual([
      { source: 'web_form', leads: 4, converted: 1, conversionRate: 25 },
      { source: 'referral', leads: 3, converted: 2, conversionRate: 66.7 },
      { source: null, leads: 2, converted: 0, conversionRate: 0 },
      { source: 'event', leads: 1, converted: 1, conversionRate: 100 },
    ]);
    expect(reply.data.totals).toEqual({ leads: 10, converted: 4, conversionRate: 40 });
  });

  it('counts leads made through the API, and only the rep’s own for a rep', async () => {
    const org = await api.signup('an-sources-api');
    const rep = await api.member(org.token, 'sales_rep');
    const create = (token: string, source: string) =>
      api.call('POST', '/api/v1/leads', { token, body: { firstName: 'Lead', source } });
    for (const source of ['partner', 'partner', 'webinar']) expect((await create(org.token, source)).status).toBe(201);
    expect((await create(rep.token, 'partner')).status).toBe(201);
    const today = `from=${daysFromToday(-1)}&to=${daysFromToday(1)}`;
    const all = await report(org, 'lead-sources', today);
    expect(all.data.sources).toEqual([
      { source: 'partner', leads: 3, converted: 0, conversionRate: 0 },
      { source: 'webinar', leads: 1, converted: 0, conversionRate: 0 },
    ]);
    const own = await report(rep, 'lead-sources', today);
    expect(own.data.sources).toEqual([{ source: 'partner', leads: 1, converted: 0, conversionRate: 0 }]);
    expect(own.data.totals).toEqual({ leads: 1, converted: 0, conversionRate: 0 });
  });
});

describe('GET /api/v1/analytics/activity', () => {
  let org: Session;
  let rep: Member;
  beforeAll(async () => {
    org = await api.signup('an-activity');
    rep = await api.member(org.token, 'sales_rep');
    const seed = seeder(stack, org);
    await seed.nameUser(org.user.id, 'Ada Admin');
    await seed.nameUser(rep.user.id, 'Rita Rep');
    const r = rep.user.id;
    const a = org.user.id;
    await seed.seedActivities([
      // Rita: a task done in June (created in May) counts; one done in May, and an open one, do not.
      { type: 'task', ownerId: r, createdAt: '2025-05-20T00:00:00Z', done: true, completedAt: '2025-06-10T00:00:00Z' },
      { type: 'task', ownerId: r, createdAt: '2025-06-01T00:00:00Z', done: true, completedAt: '2025-05-31T23:59:59Z' },
      { type: 'task', ownerId: r, createdAt: '2025-06-05T00:00:00Z' },
      { type: 'call', ownerId: r, createdAt: '2025-06-02T00:00:00Z' },
      { type: 'call', ownerId: r, createdAt: '2025-06-02T10:00:00Z' },
      // A meeting counts when it takes place, not when it was booked.
      { type: 'meeting', ownerId: r, createdAt: '2025-05-01T00:00:00Z', startsAt: '2025-06-15T09:00:00Z' },
      { type: 'meeting', ownerId: r, createdAt: '2025-06-20T00:00:00Z', startsAt: '2025-07-01T00:00:00Z' },
      { type: 'note', ownerId: r, createdAt: '2025-06-30T23:59:59Z' },
      { type: 'email', ownerId: r, createdAt: '2025-06-01T00:00:00Z' },
      // Ada: one call in June, an email in July.
      { type: 'call', ownerId: a, createdAt: '2025-06-03T00:00:00Z' },
      { type: 'email', ownerId: a, createdAt: '2025-07-01T00:00:00Z' },
      // Nobody's note.
      { type: 'note', ownerId: null, createdAt: '2025-06-10T00:00:00Z' },
    ]);
  });

  const counts = (tasksDone: number, calls: number, meetings: number, notes: number, emails: number) => ({
    tasksDone,
    calls,
    meetings,
    notes,
    emails,
    total: tasksDone + calls + meetings + notes + emails,
  });

  it('counts what each rep did in the range, by type', async () => {
    const reply = await report(org, 'activity', 'from=2025-06-01&to=2025-06-30');
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    expect(reply.data.reps).toEqual([
      { userId: rep.user.id, name: 'Rita Rep', email: rep.email, ...counts(1, 2, 1, 1, 1) },
      { userId: org.user.id, name: 'Ada Admin', email: org.user.email, ...counts(0, 1, 0, 0, 0) },
      { userId: null, name: null, email: null, ...counts(0, 0, 0, 1, 0) },
    ]);
    expect(reply.data.totals).toEqual(counts(1, 3, 1, 2, 1));
  });

  it("gives a rep only their own row, and a manager one rep's with ownerId", async () => {
    const own = await report(rep, 'activity', 'from=2025-06-01&to=2025-06-30');
    expect(own.data.reps).toEqual([
      { userId: rep.user.id, name: 'Rita Rep', email: rep.email, ...counts(1, 2, 1, 1, 1) },
    ]);
    expect(own.data.totals).toEqual(counts(1, 2, 1, 1, 1));
    const manager = await api.member(org.token, 'manager');
    const admin = await report(manager, 'activity', `from=2025-06-01&to=2025-06-30&ownerId=${org.user.id}`);
    expect(admin.data.reps).toEqual([
      { userId: org.user.id, name: 'Ada Admin', email: org.user.email, ...counts(0, 1, 0, 0, 0) },
    ]);
  });

  it('moves activities across the range edge with the time zone', async () => {
    // Tokyo's June (UTC+9) runs from 15:00Z on May 31st to 15:00Z on June 30th: the task done at 23:59:59Z on
    // May 31st comes in, the note of 23:59:59Z on June 30th goes out, and July's 00:00Z meeting and email stay out.
    const reply = await report(org, 'activity', 'from=2025-06-01&to=2025-06-30&tz=Asia/Tokyo');
    expect(reply.data.totals).toEqual(counts(2, 3, 1, 1, 1));
  });
});
