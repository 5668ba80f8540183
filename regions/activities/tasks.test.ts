import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Activity, type Api, ids, newActivity, newLead, trail } from './fixtures.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const minute = 60_000;
const hour = 60 * minute;
const iso = (ms: number) => new Date(ms).toISOString();

async function setup(tag: string) {
  const org = await api.signup(tag);
  const leadId = await newLead(api, org.token);
  const task = (body: Record<string, unknown> = {}, token = org.token) =>
    newActivity(api, token, { type: 'task', subject: api.unique('task'), leadId, ...body });
  return { org, leadId, task };
}

async function myTasks(token: string, query = '') {
  const reply = await api.call('GET', `/api/v1/me/tasks${query}`, { token });
  expect(reply.status, JSON.stringify(reply.data)).toBe(200);
  return reply.data as { data: Activity[]; nextCursor: string | null };
}

/** Every page of a view, following nextCursor. */
async function allPages(token: string, query: string) {
  const pages: Activity[][] = [];
  let cursor: string | null = null;
  do {
    const page = await myTasks(token, `?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    pages.push(page.data);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

/** Local midnight that starts today in a fixed-offset zone (hours east of UTC), worked out without Intl. */
const dayStart = (now: number, offsetHours: number) => {
  const local = now + offsetHours * hour;
  return local - (local % (24 * hour)) - offsetHours * hour;
};

describe('completing a task', () => {
  it('sets completedAt when marked done, clears it when undone, and says so once per completion', async () => {
    const { org, task } = await setup('complete');
    const made = await task();
    const path = `/api/v1/activities/${made.id}`;
    const before = Date.now();
    const done = await api.call('PATCH', path, { token: org.token, body: { done: true } });
    expect(done.status).toBe(200);
    expect(done.data).toMatchObject({ done: true, version: 2 });
    const completedAt = Date.parse(done.data.completedAt);
    expect(completedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(completedAt).toBeLessThanOrEqual(Date.now() + 1000);

    // Marked done again: nothing changes, the first completion time stays.
    const again = await api.call('PATCH', path, { token: org.token, body: { done: true } });
    expect(again.data).toMatchObject({ done: true, completedAt: done.data.completedAt, version: 2 });

    const undone = await api.call('PATCH', path, { token: org.token, body: { done: false } });
    expect(undone.data).toMatchObject({ done: false, completedAt: null, version: 3 });
    const redone = await api.call('PATCH', path, { token: org.token, body: { done: true, priority: 'high' } });
    expect(redone.data).toMatchObject({ done: true, priority: 'high', version: 4 });
    expect(redone.data.completedAt).not.toBeNull();

    const { events, audit } = await trail(stack, org, made.id);
    expect(events.map((e) => e.type)).toEqual([
      'activity.created',
      'activity.updated',
      'activity.completed',
      'activity.updated',
      'activity.updated',
      'activity.completed',
    ]);
    expect(audit).toEqual(events.map((e) => e.type));
    expect(events[2]!.payload).toMatchObject({
      activityId: made.id,
      ownerId: org.user.id,
      completedAt: done.data.completedAt,
      leadId: made.leadId,
    });
    expect(events[3]!.payload).toMatchObject({ changes: { done: [true, false] } });
  });

  it('records a task created done as completed at creation', async () => {
    const { org, task } = await setup('complete-at-once');
    const made = await task({ done: true });
    expect(made.done).toBe(true);
    expect(made.completedAt).toBe(made.createdAt);
    expect((await trail(stack, org, made.id)).events.map((e) => e.type)).toEqual([
      'activity.created',
      'activity.completed',
    ]);
  });

  it('lists tasks by done and by due window, and refuses a window that ends before it starts', async () => {
    const { org, task, leadId } = await setup('task-filters');
    const early = await task({ dueAt: '2030-01-01T09:00:00Z' });
    const late = await task({ dueAt: '2030-01-05T09:00:00Z', done: true });
    const undated = await task();
    await newActivity(api, org.token, { type: 'call', subject: 'Not a task', leadId });
    const list = async (query: string) =>
      ids((await api.call('GET', `/api/v1/activities?${query}`, { token: org.token })).data.data);
    expect(await list('done=false')).toEqual([undated.id, early.id]);
    expect(await list('done=true')).toEqual([late.id]);
    expect(await list('dueAfter=2030-01-01T09:00:00Z')).toEqual([late.id, early.id]);
    expect(await list('dueAfter=2030-01-01T09:00:00.001Z')).toEqual([late.id]);
    expect(await list('dueBefore=2030-01-05T09:00:00Z')).toEqual([early.id]);
    expect(await list('dueAfter=2030-01-02T00:00:00%2B05:00&dueBefore=2030-01-06T00:00:00Z&done=true')).toEqual([
      late.id,
    ]);
    expect(await list('type=task&done=false&dueBefore=2029-01-01T00:00:00Z')).toEqual([]);
    for (const query of ['done=yes', 'done=1', 'dueBefore=tomorrow', 'dueAfter=2030-01-01']) {
      expectError(await api.call('GET', `/api/v1/activities?${query}`, { token: org.token }), 400, 'validation_failed');
    }
    const backwards = await api.call(
      'GET',
      '/api/v1/activities?dueAfter=2030-01-02T00:00:00Z&dueBefore=2030-01-01T00:00:00Z',
      {
        token: org.token,
      },
    );
    expectError(backwards, 400, 'validation_failed');
    expect(backwards.data.error.details).toEqual([{ path: 'dueBefore', message: 'Must be after dueAfter' }]);
  });
});

describe('GET /api/v1/me/tasks', () => {
  it("open: the caller's own unfinished tasks, soonest due first, undated last", async () => {
    const { org, task, leadId } = await setup('my-open');
    const colleague = await api.member(org.token, 'manager');
    const now = Date.now();
    const later = await task({ dueAt: iso(now + 48 * hour) });
    const overdue = await task({ dueAt: iso(now - 3 * hour) });
    const undated = await task();
    const soon = await task({ dueAt: iso(now + hour) });
    await task({ dueAt: iso(now - hour), done: true });
    await task({ dueAt: iso(now + 2 * hour), ownerId: colleague.user.id });
    await task({ dueAt: iso(now + 2 * hour) }, colleague.token);
    await newActivity(api, org.token, { type: 'call', subject: 'Not a task', leadId });

    const open = await myTasks(org.token, '?view=open');
    expect(ids(open.data)).toEqual([overdue.id, soon.id, later.id, undated.id]);
    expect(open.nextCursor).toBeNull();
    expect(ids((await myTasks(org.token)).data)).toEqual(ids(open.data));
    const theirs = await myTasks(colleague.token);
    expect(theirs.data).toHaveLength(2);
    for (const t of theirs.data) expect(t.ownerId).toBe(colleague.user.id);
  });

  it('overdue: unfinished tasks due before now', async () => {
    const { org, task } = await setup('my-overdue');
    const now = Date.now();
    const yesterday = await task({ dueAt: iso(now - 24 * hour) });
    const justNow = await task({ dueAt: iso(now - minute) });
    await task({ dueAt: iso(now - 2 * hour), done: true });
    await task({ dueAt: iso(now + 10 * minute) });
    await task();
    expect(ids((await myTasks(org.token, '?view=overdue')).data)).toEqual([yesterday.id, justNow.id]);

    const fixed = await api.call('PATCH', `/api/v1/activities/${justNow.id}`, {
      token: org.token,
      body: { done: true },
    });
    expect(fixed.status).toBe(200);
    expect(ids((await myTasks(org.token, '?view=overdue')).data)).toEqual([yesterday.id]);
  });

  it("today: tasks due within the caller's day in the given time zone, done or not", async () => {
    const { org, task } = await setup('my-today');
    // Fixed-offset zones, so the day can be worked out here independently: UTC+14 and UTC−11.
    const zones = [
      { tz: 'Etc/GMT-14', offset: 14 },
      { tz: 'Etc/GMT%2B11', offset: -11 },
      { tz: 'UTC', offset: 0 },
    ];
    for (const { tz, offset } of zones) {
      // Retried if a day boundary passes between working out the day and asking for it.
      for (let attempt = 0; attempt < 3; attempt++) {
        const start = dayStart(Date.now(), offset);
        const end = start + 24 * hour;
        const first = await task({ dueAt: iso(start) });
        const inside = await task({ dueAt: iso(start + 5 * hour), done: true });
        const last = await task({ dueAt: iso(end - 1) });
        const before = await task({ dueAt: iso(start - 1) });
        const after = await task({ dueAt: iso(end) });
        const today = await myTasks(org.token, `?view=today&tz=${tz}`);
        if (dayStart(Date.now(), offset) !== start) continue;
        const seen = ids(today.data);
        expect(seen, tz).toEqual(expect.arrayContaining([first.id, inside.id, last.id]));
        expect(seen, tz).not.toContain(before.id);
        expect(seen, tz).not.toContain(after.id);
        for (const t of today.data) {
          expect(Date.parse(t.dueAt), tz).toBeGreaterThanOrEqual(start);
          expect(Date.parse(t.dueAt), tz).toBeLessThan(end);
        }
        break;
      }
    }
    // Without tz the day is UTC's.
    const utc = await myTasks(org.token, '?view=today');
    expect(ids(utc.data)).toEqual(ids((await myTasks(org.token, '?view=today&tz=UTC')).data));
  });

  it("follows each zone's calendar day: checked against every whole-hour offset from UTC−12 to UTC+14", async () => {
    const { org, task } = await setup('my-today-zones');
    // Due in twelve hours: today wherever it is not yet noon, tomorrow wherever it is; some zone is always each.
    const due = Date.now() + 12 * hour;
    const made = await task({ dueAt: iso(due) });
    const offsets = Array.from({ length: 27 }, (_, i) => i - 12);
    const expectedToday = (offset: number) => {
      const start = dayStart(Date.now(), offset);
      return due >= start && due < start + 24 * hour;
    };
    const outcomes = await Promise.all(
      offsets.map(async (offset) => {
        // Etc/GMT+N is N hours west of UTC (POSIX sign), so UTC+14 is Etc/GMT-14.
        const tz = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '%2B'}${Math.abs(offset)}`;
        const expected = expectedToday(offset);
        const seen = ids((await myTasks(org.token, `?view=today&tz=${tz}`)).data).includes(made.id);
        // A midnight passing in that zone while asking leaves nothing to compare.
        return { tz, seen, expected: expected === expectedToday(offset) ? expected : seen };
      }),
    );
    for (const { tz, seen, expected } of outcomes) expect(seen, tz).toBe(expected);
    expect(outcomes.some((o) => o.seen)).toBe(true);
    expect(outcomes.some((o) => !o.seen)).toBe(true);
  });

  it('pages in due order, ties broken by id, with nothing skipped or repeated', async () => {
    const { org, task } = await setup('my-pages');
    const due = iso(Date.now() + 5 * hour);
    const made: Activity[] = [];
    for (let i = 0; i < 4; i++) made.push(await task({ dueAt: due }));
    made.push(await task({ dueAt: iso(Date.now() + hour) }));
    made.push(await task());
    made.push(await task());
    made.push(await task({ dueAt: iso(Date.now() - hour) }));
    const expected = [
      made[7]!,
      made[4]!,
      ...made.slice(0, 4).sort((a, b) => (a.id < b.id ? -1 : 1)),
      made[5]!,
      made[6]!,
    ];
    for (const limit of [1, 2, 3, 5]) {
      const pages = await allPages(org.token, `view=open&limit=${limit}`);
      expect(ids(pages.flat()), `limit=${limit}`).toEqual(ids(expected));
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
    }
    const overdueFirst = await myTasks(org.token, '?view=overdue&limit=1');
    expect(ids(overdueFirst.data)).toEqual([made[7]!.id]);
  });

  it('refuses a bad view, time zone, limit or cursor with a 400 naming it', async () => {
    const { org } = await setup('my-bad');
    for (const [query, path] of [
      ['view=late', 'view'],
      ['tz=Mars/Olympus_Mons', 'tz'],
      ['tz=', 'tz'],
      ['tz=Europe/Paris%00', 'tz'],
      [`tz=${'A'.repeat(100)}`, 'tz'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
    ] as const) {
      const reply = await api.call('GET', `/api/v1/me/tasks?${query}`, { token: org.token });
      expectError(reply, 400, 'validation_failed', query);
      expect(reply.data.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    for (const cursor of ['garbage', 'eyJ2IjoxLCJpZCI6Ii0xIn0', 'eyJ2IjoxLCJkdWUiOiJ4IiwiaWQiOiIwMTkzIn0']) {
      expectError(
        await api.call('GET', `/api/v1/me/tasks?cursor=${cursor}`, { token: org.token }),
        400,
        'invalid_cursor',
        cursor,
      );
    }
    expect((await api.call('GET', '/api/v1/me/tasks?tz=europe/paris', { token: org.token })).status).toBe(200);
  });

  it('is for users: an API key has no tasks of its own, and nobody needs no credentials', async () => {
    const { org } = await setup('my-key');
    const made = await api.call('POST', '/api/v1/api-keys', {
      token: org.token,
      body: { name: api.unique('key'), scopes: ['activities:read'] },
    });
    expectError(await api.call('GET', '/api/v1/me/tasks', { token: made.data.key }), 403, 'forbidden');
    expectError(await api.call('GET', '/api/v1/me/tasks'), 401);
  });
});
