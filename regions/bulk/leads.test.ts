import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { auditLog, contacts, leads, outbox } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { runJobToEnd, seedRows } from './testing.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const bulk = (token: string, body: unknown) => api.call('POST', '/api/v1/leads/bulk', { token, body });

async function makeLeads(token: string, records: Record<string, unknown>[]): Promise<string[]> {
  const reply = await api.call('POST', '/api/v1/leads/batch', { token, body: { mode: 'create', records } });
  expect(reply.data.failed, JSON.stringify(reply.data)).toBe(0);
  return reply.data.results.map((r: { id: string }) => r.id);
}

function shard(session: Session) {
  const { shards } = stack.regions[session.organization.homeRegion]!.ctx;
  return <T>(work: Parameters<typeof shards.withTenant<T>>[1]) => shards.withTenant(session.organization.id, work);
}

const storedLeads = (session: Session) => shard(session)((tx) => tx.select().from(leads));
const auditCount = (session: Session, action: string) =>
  shard(session)(
    async (tx) => (await tx.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0]!.n,
  );
const eventCount = (session: Session, type: string) =>
  shard(session)(async (tx) => (await tx.select({ n: count() }).from(outbox).where(eq(outbox.eventType, type)))[0]!.n);

describe('POST /api/v1/leads/bulk', () => {
  it('applies an action by ids, reporting ids it cannot see as not_found and repeats as unchanged', async () => {
    const [org, other] = await Promise.all([api.signup('bulk-ids'), api.signup('bulk-ids-other')]);
    const ids = await makeLeads(org.token, [{ firstName: 'A' }, { firstName: 'B' }, { firstName: 'C' }]);
    const [foreign] = await makeLeads(other.token, [{ firstName: 'Theirs' }]);
    const select = { ids: [...ids, foreign!] };
    const reply = await bulk(org.token, { action: 'set_status', value: 'qualified', select });
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    expect(reply.data).toMatchObject({ updated: 3, unchanged: 0, failed: 0, notFound: 1 });
    expect(reply.data.results).toEqual([
      ...ids.map((id) => ({ id, status: 'updated' })),
      { id: foreign, status: 'not_found' },
    ]);
    const again = await bulk(org.token, { action: 'set_status', value: 'qualified', select });
    expect(again.data).toMatchObject({ updated: 0, unchanged: 3, notFound: 1 });
    expect((await storedLeads(org)).map((l) => [l.status, l.version])).toEqual(ids.map(() => ['qualified', 2]));
    expect(await auditCount(org, 'lead.updated')).toBe(3);
    expect(await eventCount(org, 'lead.updated')).toBe(3);
    expect((await storedLeads(other))[0]).toMatchObject({ status: 'new', version: 1 });
    const tagged = await bulk(org.token, { action: 'add_tags', value: [' VIP ', 'emea', 'vip'], select: { ids } });
    expect(tagged.data.updated).toBe(3);
    await bulk(org.token, { action: 'remove_tags', value: ['emea'], select: { ids: [ids[0]] } });
    const tags = Object.fromEntries((await storedLeads(org)).map((l) => [l.id, l.tags]));
    expect(tags).toEqual({ [ids[0]!]: ['vip'], [ids[1]!]: ['vip', 'emea'], [ids[2]!]: ['vip', 'emea'] });
    const linked = await api.call('POST', '/api/v1/contacts', { token: org.token, body: { firstName: 'Linked' } });
    await shard(org)((tx) => tx.update(contacts).set({ leadId: ids[0] }).where(eq(contacts.id, linked.data.id)));
    const deleted = await bulk(org.token, { action: 'delete', select: { ids: [ids[0], foreign] } });
    expect(deleted.data).toMatchObject({ updated: 1, notFound: 1 });
    expect(await storedLeads(org)).toHaveLength(2);
    expect(await eventCount(org, 'lead.deleted')).toBe(1);
    // A converted contact keeps naming the lead it came from (its 360° view shows the deleted lead's trail).
    const [kept] = await shard(org)((tx) => tx.select().from(contacts).where(eq(contacts.id, linked.data.id)));
    expect(kept).toMatchObject({ leadId: ids[0], version: 1 });
    const [event] = await shard(org)((tx) => tx.select().from(outbox).where(eq(outbox.eventType, 'lead.deleted')));
    expect(event!.payload).toEqual({
      leadId: ids[0],
      unlinked: { activityIds: [], dealIds: [] },
    });
    expect(await storedLeads(other)).toHaveLength(1);
  });

  it('selects by the list filters, only among records the caller may see', async () => {
    const admin = await api.signup('bulk-filter');
    const rep = await api.member(admin.token, 'sales_rep');
    await makeLeads(admin.token, [
      { firstName: 'Web 1', source: 'web', ownerId: rep.user.id },
      { firstName: 'Web 2', source: 'web' },
      { firstName: 'Fair', source: 'fair', ownerId: rep.user.id },
    ]);
    const byRep = await bulk(rep.token, {
      action: 'set_status',
      value: 'contacted',
      select: { filter: { source: 'web' } },
    });
    expect(byRep.data).toMatchObject({ updated: 1, notFound: 0 });
    const assigned = await bulk(admin.token, {
      action: 'assign',
      value: rep.user.id,
      select: { filter: { source: 'web', status: 'new' } },
    });
    expect(assigned.data).toMatchObject({ updated: 1 });
    expect(await eventCount(admin, 'lead.assigned')).toBe(1);
    const all = await storedLeads(admin);
    expect(all.filter((l) => l.source === 'web').every((l) => l.ownerId === rep.user.id)).toBe(true);
    expect(all.find((l) => l.source === 'fair')).toMatchObject({ status: 'new', version: 1 });
    const none = await bulk(admin.token, { action: 'delete', select: { filter: { source: 'nowhere' } } });
    expect(none.data).toEqual({ results: [], updated: 0, unchanged: 0, failed: 0, notFound: 0 });
  });

  it('needs the single write’s permission, and keeps reps to themselves', async () => {
    const admin = await api.signup('bulk-roles');
    const [viewer, rep, colleague] = await Promise.all([
      api.member(admin.token, 'viewer'),
      api.member(admin.token, 'sales_rep'),
      api.member(admin.token, 'sales_rep', 'colleague'),
    ]);
    const [theirs] = await makeLeads(colleague.token, [{ firstName: 'Theirs' }]);
    const [mine] = await makeLeads(rep.token, [{ firstName: 'Mine' }]);
    for (const action of ['set_status', 'delete']) {
      const body = { action, value: action === 'delete' ? undefined : 'contacted', select: { ids: [mine] } };
      expectError(await bulk(viewer.token, body), 403, 'forbidden');
    }
    const reply = await bulk(rep.token, { action: 'set_status', value: 'contacted', select: { ids: [theirs, mine] } });
    expect(reply.data.results).toEqual([
      { id: theirs, status: 'not_found' },
      { id: mine, status: 'updated' },
    ]);
    expectError(
      await bulk(rep.token, { action: 'assign', value: colleague.user.id, select: { ids: [mine] } }),
      403,
      'forbidden',
    );
    const unknownOwner = await bulk(admin.token, {
      action: 'assign',
      value: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e',
      select: { ids: [mine] },
    });
    expectError(unknownOwner, 400, 'unknown_owner');
    const lead = (await storedLeads(admin)).find((l) => l.id === theirs)!;
    expect(lead).toMatchObject({ status: 'new', ownerId: colleague.user.id });
  });

  it('refuses bad values and selections with 400', async () => {
    const org = await api.signup('bulk-bad');
    const [id] = await makeLeads(org.token, [{ firstName: 'A' }]);
    const select = { ids: [id] };
    const bad = [
      { action: 'set_status', value: 'bogus', select },
      { action: 'set_stage', value: 'x', select },
      { action: 'assign', select },
      { action: 'add_tags', value: [], select },
      { action: 'delete', value: 'x', select },
      { action: 'delete', select: { ids: [] } },
      { action: 'delete', select: { ids: ['not-a-uuid'] } },
      { action: 'delete', select: { filter: { colour: 'red' } } },
      { action: 'delete', select: { ids: [id], filter: {} } },
    ];
    for (const body of bad) expectError(await bulk(org.token, body), 400, 'validation_failed', JSON.stringify(body));
    const details = (await bulk(org.token, { action: 'set_status', value: 'bogus', select })).data.error.details;
    expect(details[0].path).toBe('value');
    expect(await storedLeads(org)).toHaveLength(1);
  });

  it('applies to at most 10,000 records, in chunks of 500', async () => {
    const org = await api.signup('bulk-bound');
    const tooMany = Array.from({ length: 10_001 }, () => newId());
    expectError(await bulk(org.token, { action: 'delete', select: { ids: tooMany } }), 400, 'validation_failed');
    await seedRows(stack, org, 'leads', 9_301, { first_name: 'Bulk', source: 'many' });
    await seedRows(stack, org, 'leads', 700, { first_name: 'Bulk', source: 'chunk' });
    const over = await bulk(org.token, { action: 'add_tags', value: ['x'], select: { filter: { status: 'new' } } });
    expectError(over, 400, 'too_many_records');
    // Counted in the database: reading 10,000 rows back would stall the in-process stack the next request goes through.
    const tagged = await shard(org)((tx) => tx.select({ n: count() }).from(leads).where(sql`${leads.tags} <> '{}'`));
    expect(tagged[0]!.n).toBe(0);
    const chunked = await bulk(org.token, {
      action: 'add_tags',
      value: ['x'],
      select: { filter: { source: 'chunk' } },
    });
    // Above one chunk the action is a bulk job (202); this stack runs no worker, so the test runs it as one would.
    expect(chunked.status).toBe(202);
    expect(await runJobToEnd(stack, api, org, chunked.data.id)).toMatchObject({ updated: 700, failed: 0 });
    expect(await eventCount(org, 'lead.updated')).toBe(700);
  });
});
