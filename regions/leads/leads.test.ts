import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

describe('leads through the edge', () => {
  it('creates, lists, reads, edits and deletes a lead, scored on every write', async () => {
    const { token } = await api.signup('crud');
    const made = await api.call('POST', '/api/v1/leads', {
      token,
      body: { firstName: 'Ada', lastName: 'Lovelace', email: 'Ada@Analytical.example', company: 'Analytical Engines' },
    });
    expect(made.status).toBe(201);
    expect(made.data).toMatchObject({ email: 'ada@analytical.example', status: 'new', score: 35, version: 1 });
    expect(made.data.scoreReasons).toContainEqual({ points: 10, reason: 'Company known' });
    expect(made.headers.get('etag')).toBe('"v1"');
    const id = made.data.id;

    const list = await api.call('GET', '/api/v1/leads', { token });
    expect(list.status).toBe(200);
    expect(list.data.data.map((l: { id: string }) => l.id)).toContain(id);

    const one = await api.call('GET', `/api/v1/leads/${id}`, { token });
    expect(one.status).toBe(200);

    const edited = await api.call('PATCH', `/api/v1/leads/${id}`, {
      token,
      body: { title: 'CEO', status: 'qualified' },
      headers: { 'if-match': '"v1"' },
    });
    expect(edited.status).toBe(200);
    expect(edited.data).toMatchObject({ title: 'CEO', status: 'qualified', version: 2, score: 70 });

    const reread = await api.call('GET', `/api/v1/leads/${id}`, { token });
    expect(reread.data.version).toBe(2);

    expect((await api.call('DELETE', `/api/v1/leads/${id}`, { token })).status).toBe(204);
    expect((await api.call('GET', `/api/v1/leads/${id}`, { token })).status).toBe(404);
  });

  it('places each organization on the shard its id hashes to, in its chosen region', async () => {
    for (const region of Object.keys(stack.regions)) {
      const { organization, token } = await api.signup(`place-${region}`, { region });
      expect(organization.homeRegion).toBe(region);
      const lead = await api.call('POST', '/api/v1/leads', { token, body: { firstName: 'Placed' } });
      expect(lead.status).toBe(201);
      const { shards } = stack.regions[region]!.ctx;
      const home = shards.forOrganization(organization.id);
      for (const shard of shards.all()) {
        const [row] = await shards.withTenantOn(shard, organization.id, (tx) => tx.select({ n: count() }).from(leads));
        expect(row!.n).toBe(shard === home ? 1 : 0);
      }
    }
  });

  it('works the same on every shard: organizations are signed up until each shard holds one, then every operation runs for each', async () => {
    const { shards } = stack.regions.us!.ctx;
    const byShard = new Map<string, string>();
    for (let i = 0; i < 40 && byShard.size < shards.all().length; i++) {
      const org = await api.signup(`every-shard-${i}`, { region: 'us' });
      const shardId = shards.forOrganization(org.organization.id).id;
      if (!byShard.has(shardId)) byShard.set(shardId, org.token);
    }
    expect([...byShard.keys()].sort()).toEqual(
      shards
        .all()
        .map((s) => s.id)
        .sort(),
    );
    for (const token of byShard.values()) {
      const made = await api.call('POST', '/api/v1/leads', {
        token,
        body: { firstName: 'Everywhere', source: 'event' },
      });
      expect(made.status).toBe(201);
      const listed = await api.call('GET', '/api/v1/leads?source=event', { token });
      expect(listed.data.data.map((l: { id: string }) => l.id)).toEqual([made.data.id]);
      expect((await api.call('GET', `/api/v1/leads/${made.data.id}`, { token })).status).toBe(200);
      const patched = await api.call('PATCH', `/api/v1/leads/${made.data.id}`, {
        token,
        body: { status: 'contacted' },
        headers: { 'if-match': made.headers.get('etag')! },
      });
      expect(patched.data).toMatchObject({ status: 'contacted', version: 2 });
      expect((await api.call('DELETE', `/api/v1/leads/${made.data.id}`, { token })).status).toBe(204);
    }
  });
});
