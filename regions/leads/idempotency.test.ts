import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys, leads } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

/** What the organization's shard holds, read around the edge's response cache. */
async function stored(session: Session) {
  const { shards } = stack.regions[session.organization.homeRegion]!.ctx;
  return shards.withTenant(session.organization.id, async (tx) => ({
    leads: (await tx.select({ n: count() }).from(leads))[0]!.n,
    keys: (await tx.select({ n: count() }).from(idempotencyKeys))[0]!.n,
  }));
}

async function storedKey(session: Session, key: string) {
  const { shards } = stack.regions[session.organization.homeRegion]!.ctx;
  const [row] = await shards.withTenant(session.organization.id, (tx) =>
    tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.organizationId, session.organization.id), eq(idempotencyKeys.key, key))),
  );
  return row;
}

const create = (session: Session, body: Record<string, unknown>, key?: string) =>
  api.call('POST', '/api/v1/leads', {
    token: session.token,
    body,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

describe('Idempotency-Key on POST /api/v1/leads', () => {
  it('replays the first response for a retry with the same key and body, and creates one lead', async () => {
    const org = await api.signup('idem-replay');
    const key = api.unique('key');
    const body = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@analytical.example', status: 'contacted' };
    const first = await create(org, body, key);
    expect(first.status, JSON.stringify(first.data)).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const again = await create(org, body, key);
    expect(again.status).toBe(first.status);
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('location')).toBe(`/api/v1/leads/${first.data.id}`);

    // The same fields in another order are the same request.
    const reordered = await create(
      org,
      { status: 'contacted', email: 'ada@analytical.example', lastName: 'Lovelace', firstName: 'Ada' },
      key,
    );
    expect(reordered.status).toBe(201);
    expect(reordered.data.id).toBe(first.data.id);

    expect(await stored(org)).toEqual({ leads: 1, keys: 1 });
    const list = await api.call('GET', '/api/v1/leads', { token: org.token });
    expect(list.data.data.map((l: { id: string }) => l.id)).toEqual([first.data.id]);
  });

  it('answers 422 idempotency_key_reused to the same key with another body, and changes nothing', async () => {
    const org = await api.signup('idem-reuse');
    const key = api.unique('key');
    const first = await create(org, { firstName: 'Ada' }, key);
    expect(first.status).toBe(201);

    for (const other of [
      { firstName: 'Grace' },
      { firstName: 'Ada', lastName: 'Lovelace' },
      { firstName: 'Ada', status: 'new' },
    ]) {
      expectError(await create(org, other, key), 422, 'idempotency_key_reused', JSON.stringify(other));
    }
    // The key is bound to the request as validated: padding the same name is the same lead, so a replay.
    const padded = await create(org, { firstName: ' Ada ' }, key);
    expect(padded.status).toBe(201);
    expect(padded.data.id).toBe(first.data.id);
    expect(await stored(org)).toEqual({ leads: 1, keys: 1 });
    const lead = await api.call('GET', `/api/v1/leads/${first.data.id}`, { token: org.token });
    expect(lead.data).toMatchObject({ firstName: 'Ada', lastName: '' });
  });

  it('leaves no key behind when the first attempt fails, so a corrected retry goes through', async () => {
    const org = await api.signup('idem-failed');
    const key = api.unique('key');
    const refused = await create(org, { firstName: 'Ada', ownerId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }, key);
    expectError(refused, 400, 'unknown_owner');
    expect(await stored(org)).toEqual({ leads: 0, keys: 0 });

    const corrected = await create(org, { firstName: 'Ada', ownerId: org.user.id }, key);
    expect(corrected.status, JSON.stringify(corrected.data)).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
    expect(await stored(org)).toEqual({ leads: 1, keys: 1 });
    expect(await storedKey(org, key)).toMatchObject({ statusCode: 201 });
  });

  it('creates exactly one lead when the same key arrives several times at once', async () => {
    const org = await api.signup('idem-race');
    const key = api.unique('key');
    const body = { firstName: 'Race', company: 'Concurrent Ltd' };
    const replies = await Promise.all(Array.from({ length: 5 }, () => create(org, body, key)));
    for (const reply of replies) expect(reply.status, JSON.stringify(reply.data)).toBe(201);
    const ids = new Set(replies.map((r) => r.data.id));
    expect(ids.size).toBe(1);
    const fresh = replies.filter((r) => r.headers.get('idempotent-replayed') !== 'true');
    expect(fresh).toHaveLength(1);
    for (const reply of replies) expect(reply.data).toEqual(fresh[0]!.data);
    expect(await stored(org)).toEqual({ leads: 1, keys: 1 });
  });

  it('creates one lead per distinct key fired at once, and one per request without a key', async () => {
    const org = await api.signup('idem-many');
    const keys = Array.from({ length: 4 }, () => api.unique('key'));
    const keyed = await Promise.all(keys.map((key) => create(org, { firstName: 'Same body' }, key)));
    const unkeyed = await Promise.all([
      create(org, { firstName: 'Same body' }),
      create(org, { firstName: 'Same body' }),
    ]);
    for (const reply of [...keyed, ...unkeyed]) expect(reply.status).toBe(201);
    expect(new Set([...keyed, ...unkeyed].map((r) => r.data.id)).size).toBe(6);
    expect(await stored(org)).toEqual({ leads: 6, keys: 4 });
  });

  it('scopes keys to the organization: another organization may use the same key', async () => {
    const [a, b] = await Promise.all([api.signup('idem-org-a'), api.signup('idem-org-b')]);
    const key = api.unique('shared-key');
    const madeA = await create(a, { firstName: 'Of A' }, key);
    expect(madeA.status).toBe(201);

    // Another body under the same key: for B it is simply a first use, neither a conflict nor A's lead.
    const madeB = await create(b, { firstName: 'Of B' }, key);
    expect(madeB.status, JSON.stringify(madeB.data)).toBe(201);
    expect(madeB.headers.get('idempotent-replayed')).toBeNull();
    expect(madeB.data.id).not.toBe(madeA.data.id);
    expect(madeB.data.firstName).toBe('Of B');

    // The very same body too: B still gets its own lead.
    const sameBody = api.unique('key');
    const [sameA, sameB] = [
      await create(a, { firstName: 'Twin' }, sameBody),
      await create(b, { firstName: 'Twin' }, sameBody),
    ];
    expect(sameA.data.id).not.toBe(sameB.data.id);
    expect(sameB.headers.get('idempotent-replayed')).toBeNull();

    expect(await stored(a)).toEqual({ leads: 2, keys: 2 });
    expect(await stored(b)).toEqual({ leads: 2, keys: 2 });
    expect((await create(a, { firstName: 'Of A' }, key)).data.id).toBe(madeA.data.id);
  });
});

describe('conditional requests on a lead', () => {
  async function leadOf(tag: string) {
    const org = await api.signup(tag);
    const made = await create(org, { firstName: 'Ada', title: 'Analyst' });
    expect(made.status).toBe(201);
    expect(made.headers.get('etag')).toBe('"v1"');
    return { org, id: made.data.id as string };
  }

  /** The lead as stored, not as the edge may have cached it. */
  async function storedLead(org: Session, id: string) {
    const { shards } = stack.regions[org.organization.homeRegion]!.ctx;
    const [row] = await shards.withTenant(org.organization.id, (tx) =>
      tx
        .select()
        .from(leads)
        .where(and(eq(leads.organizationId, org.organization.id), eq(leads.id, id))),
    );
    return row;
  }

  it('PATCH with the current ETag applies; with a stale one answers 412 and changes nothing', async () => {
    const { org, id } = await leadOf('if-match-patch');
    const path = `/api/v1/leads/${id}`;
    const applied = await api.call('PATCH', path, {
      token: org.token,
      body: { title: 'CEO' },
      headers: { 'if-match': '"v1"' },
    });
    expect(applied.status, JSON.stringify(applied.data)).toBe(200);
    expect(applied.headers.get('etag')).toBe('"v2"');
    expect(applied.data).toMatchObject({ title: 'CEO', version: 2 });

    const stale = await api.call('PATCH', path, {
      token: org.token,
      body: { title: 'Intern', status: 'unqualified' },
      headers: { 'if-match': '"v1"' },
    });
    expectError(stale, 412, 'precondition_failed');
    expect(await storedLead(org, id)).toMatchObject({ title: 'CEO', status: 'new', version: 2 });
    const read = await api.call('GET', path, { token: org.token });
    expect(read.data).toMatchObject({ title: 'CEO', version: 2 });
    expect(read.headers.get('etag')).toBe('"v2"');

    for (const condition of [(v: number) => `"v${v}"`, (v: number) => `"v90", "v${v}"`, () => '*']) {
      const { version } = (await storedLead(org, id))!;
      const reply = await api.call('PATCH', path, {
        token: org.token,
        body: { title: `CEO ${version}` },
        headers: { 'if-match': condition(version) },
      });
      expect(reply.status, condition(version)).toBe(200);
      expect(reply.data.version).toBe(version + 1);
    }
    // A weak validator never matches a strong comparison.
    const current = (await storedLead(org, id))!.version;
    const weak = await api.call('PATCH', path, {
      token: org.token,
      body: { title: 'Weak' },
      headers: { 'if-match': `W/"v${current}"` },
    });
    expectError(weak, 412, 'precondition_failed');
    expect((await storedLead(org, id))!.version).toBe(current);
  });

  it('DELETE with a stale ETag answers 412 and keeps the lead; with the current one deletes it', async () => {
    const { org, id } = await leadOf('if-match-delete');
    const path = `/api/v1/leads/${id}`;
    expect(
      (
        await api.call('PATCH', path, {
          token: org.token,
          body: { status: 'contacted' },
          headers: { 'if-match': '"v1"' },
        })
      ).status,
    ).toBe(200);
    const stale = await api.call('DELETE', path, { token: org.token, headers: { 'if-match': '"v1"' } });
    expectError(stale, 412, 'precondition_failed');
    expect(await storedLead(org, id)).toMatchObject({ status: 'contacted', version: 2 });

    const deleted = await api.call('DELETE', path, { token: org.token, headers: { 'if-match': '"v2"' } });
    expect(deleted.status).toBe(204);
    expect(await storedLead(org, id)).toBeUndefined();
    expectError(await api.call('GET', path, { token: org.token }), 404, 'not_found');
  });

  it('GET with If-None-Match of the current ETag answers 304, and 200 once the lead changed', async () => {
    const { org, id } = await leadOf('if-none-match');
    const path = `/api/v1/leads/${id}`;
    // Twice: first past the edge's cache to the region, then from the cached copy.
    const uncached = await api.call('GET', path, { token: org.token, headers: { 'if-none-match': '"v1"' } });
    expect(uncached.status).toBe(304);
    expect(uncached.data).toBeNull();
    const full = await api.call('GET', path, { token: org.token });
    expect(full.status).toBe(200);
    const cached = await api.call('GET', path, { token: org.token, headers: { 'if-none-match': '"v1"' } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe('"v1"');

    const other = await api.call('GET', path, { token: org.token, headers: { 'if-none-match': '"v7"' } });
    expect(other.status).toBe(200);

    await api.call('PATCH', path, { token: org.token, body: { title: 'CTO' } });
    const changed = await api.call('GET', path, { token: org.token, headers: { 'if-none-match': '"v1"' } });
    expect(changed.status).toBe(200);
    expect(changed.data).toMatchObject({ title: 'CTO', version: 2 });
    expect(changed.headers.get('etag')).toBe('"v2"');
  });
});
