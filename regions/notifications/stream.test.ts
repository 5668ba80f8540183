import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { notify } from './notify.ts';
import { readEventStream } from './sse-client.ts';
import { openStreamCount } from './stream.ts';

// Short enough to watch in a test: every stream here polls each 200 ms and sends a heartbeat after 500 ms of quiet.
process.env.NOTIFICATION_STREAM_POLL_MS = '200';
process.env.NOTIFICATION_HEARTBEAT_MS = '500';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let a: Session;
let b: Session;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'], workers: 'relay,notify' });
  api = apiClient(stack.edgeUrl);
  [a, b] = await Promise.all([api.signup('stream-a', { region: 'us' }), api.signup('stream-b', { region: 'us' })]);
});
afterAll(async () => {
  // An open stream would keep the servers from closing.
  await Promise.all(open.map((s) => s.close()));
  await stack?.stop();
});

const ctx = () => stack.regions.us!.ctx;

/** A notification written by a code path that knows nothing of the stream, in a transaction of its own. */
const create = (session: Session, title: string) =>
  ctx().shards.withTenant(session.organization.id, (tx) =>
    notify(
      tx,
      { jobs: ctx().jobs },
      { organizationId: session.organization.id, userId: session.user.id, type: 'workflow', title },
    ),
  );

async function stream(session: Session, headers: Record<string, string> = {}, query = '') {
  const reader = await readEventStream(`${stack.edgeUrl}/api/v1/notifications/stream${query}`, {
    authorization: `Bearer ${session.token}`,
    ...headers,
  });
  open.push(reader);
  return reader;
}

describe('the notification stream (Server-Sent Events through the edge)', () => {
  it('delivers a notification created elsewhere within seconds, with keep-alive comments in between', async () => {
    await create(a, 'Before the stream');
    const live = await stream(a);
    expect(live.response.status).toBe(200);
    expect(live.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(live.response.headers.get('cache-control')).toContain('no-cache');
    expect(live.response.headers.get('x-cache')).toBeNull();
    await live.waitFor(() => live.retry() !== null);
    const started = Date.now();
    const made = await create(a, 'Call Ada back');
    await live.waitFor(() => live.notifications().length > 0, 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Only what came after the stream opened; the event id is the notification's place in the member's stream.
    expect(live.notifications()).toEqual([
      expect.objectContaining({ id: made.notificationId, title: 'Call Ada back' }),
    ]);
    expect(live.events[0]!.id).toBe(String(live.notifications()[0].seq));
    await live.waitFor(() => live.comments.includes('keep-alive'), 5_000);
    await live.close();
  });

  it('stops its work at the region as soon as the client leaves', async () => {
    const live = await stream(a);
    await live.waitFor(() => live.retry() !== null);
    expect(openStreamCount()).toBeGreaterThan(0);
    await live.close();
    const until = Date.now() + 5_000;
    while (openStreamCount() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(openStreamCount()).toBe(0);
  });

  it('ends on its own after its longest life, and the client may resume', async () => {
    process.env.NOTIFICATION_STREAM_MAX_MS = '700';
    try {
      const short = await stream(a);
      await short.waitFor(() => short.ended(), 5_000);
      expect(short.retry()).toBe(3000);
    } finally {
      delete process.env.NOTIFICATION_STREAM_MAX_MS;
    }
  });

  it('tells each member only their own notifications', async () => {
    const mine = await stream(a);
    const theirs = await stream(b);
    await Promise.all([mine.waitFor(() => mine.retry() !== null), theirs.waitFor(() => theirs.retry() !== null)]);
    await create(b, 'For B only');
    await create(a, 'For A only');
    await mine.waitFor(() => mine.notifications().length === 1);
    await theirs.waitFor(() => theirs.notifications().length === 1);
    expect(mine.notifications().map((n) => n.title)).toEqual(['For A only']);
    expect(theirs.notifications().map((n) => n.title)).toEqual(['For B only']);
    await Promise.all([mine.close(), theirs.close()]);
  });

  it('resumes after Last-Event-ID (header or query) with everything missed, in order, once', async () => {
    const first = await stream(a);
    await first.waitFor(() => first.retry() !== null);
    await create(a, 'Seen');
    await first.waitFor(() => first.notifications().length === 1);
    const lastId = first.events.at(-1)!.id!;
    await first.close();

    await create(a, 'Missed 1');
    await create(a, 'Missed 2');
    const resumed = await stream(a, { 'last-event-id': lastId });
    await resumed.waitFor(() => resumed.notifications().length === 2);
    expect(resumed.notifications().map((n) => n.title)).toEqual(['Missed 1', 'Missed 2']);
    const ids = resumed.events.map((e) => Number(e.id));
    expect(ids).toEqual([Number(lastId) + 1, Number(lastId) + 2]);
    await resumed.close();

    const byQuery = await stream(a, {}, `?lastEventId=${lastId}`);
    await byQuery.waitFor(() => byQuery.notifications().length === 2);
    expect(byQuery.notifications().map((n) => n.title)).toEqual(['Missed 1', 'Missed 2']);
    await byQuery.close();

    // A position from the future does not hide what comes next.
    const ahead = await stream(a, { 'last-event-id': '999999' });
    await ahead.waitFor(() => ahead.retry() !== null);
    await create(a, 'Next');
    await ahead.waitFor(() => ahead.notifications().length === 1);
    expect(ahead.notifications()[0].title).toBe('Next');
    await ahead.close();
  });

  it('streams a lead assignment made through the API (outbox → relay → bus → notify worker)', async () => {
    const rep = await api.member(a.token, 'manager', 'stream-rep');
    const live = await readEventStream(`${stack.edgeUrl}/api/v1/notifications/stream`, {
      authorization: `Bearer ${rep.token}`,
    });
    open.push(live);
    await live.waitFor(() => live.retry() !== null);
    const lead = await api.call('POST', '/api/v1/leads', {
      token: a.token,
      body: { firstName: 'Grace', lastName: 'Hopper', email: `${api.unique('g')}@example.com` },
    });
    await api.call('PATCH', `/api/v1/leads/${lead.data.id}`, { token: a.token, body: { ownerId: rep.user.id } });
    await live.waitFor(() => live.notifications().length === 1, 40_000);
    expect(live.notifications()[0]).toMatchObject({ type: 'lead_assigned', link: { type: 'lead', id: lead.data.id } });
    await live.close();
  });

  it('refuses a malformed Last-Event-ID, a missing token and an API key, in the JSON envelope', async () => {
    const bad = await api.call('GET', '/api/v1/notifications/stream', {
      token: a.token,
      headers: { 'last-event-id': 'abc' },
    });
    expect(bad.status).toBe(400);
    expect((await api.call('GET', '/api/v1/notifications/stream')).status).toBe(401);
    const key = await api.call('POST', '/api/v1/api-keys', {
      token: a.token,
      body: { name: api.unique('k'), scopes: ['leads:read'] },
    });
    const byKey = await api.call('GET', '/api/v1/notifications/stream', { token: key.data.key });
    expect(byKey.status).toBe(403);
    expect(byKey.data.error.code).toBe('forbidden');
  });
});
