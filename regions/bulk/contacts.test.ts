import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts } from '../../db/schema/index.ts';
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

const bulk = (token: string, body: unknown) => api.call('POST', '/api/v1/contacts/bulk', { token, body });

async function contact(token: string, body: Record<string, unknown>) {
  const made = await api.call('POST', '/api/v1/contacts', { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data.id as string;
}

const onShard = <T>(
  session: Session,
  work: Parameters<TestStack['regions'][string]['ctx']['shards']['withTenant']>[1],
) => stack.regions[session.organization.homeRegion]!.ctx.shards.withTenant(session.organization.id, work) as Promise<T>;

describe('POST /api/v1/contacts/bulk', () => {
  it('sets the lifecycle stage by filter and by ids, audited, never touching another organization', async () => {
    const [org, other] = await Promise.all([api.signup('bulk-contacts'), api.signup('bulk-contacts-other')]);
    const a = await contact(org.token, { firstName: 'A', lifecycleStage: 'lead' });
    const b = await contact(org.token, { firstName: 'B', lifecycleStage: 'lead' });
    const c = await contact(org.token, { firstName: 'C', lifecycleStage: 'customer' });
    const foreign = await contact(other.token, { firstName: 'X', lifecycleStage: 'lead' });
    const byFilter = await bulk(org.token, {
      action: 'set_lifecycle_stage',
      value: 'opportunity',
      select: { filter: { lifecycleStage: 'lead' } },
    });
    expect(byFilter.status, JSON.stringify(byFilter.data)).toBe(200);
    expect(byFilter.data).toMatchObject({ updated: 2, notFound: 0 });
    const byIds = await bulk(org.token, { action: 'add_tags', value: ['Vip'], select: { ids: [a, c, foreign] } });
    expect(byIds.data.results).toEqual([
      { id: a, status: 'updated' },
      { id: c, status: 'updated' },
      { id: foreign, status: 'not_found' },
    ]);
    const rows = await onShard<(typeof contacts.$inferSelect)[]>(org, (tx) => tx.select().from(contacts));
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[a]).toMatchObject({ lifecycleStage: 'opportunity', tags: ['vip'], version: 3 });
    expect(byId[b]).toMatchObject({ lifecycleStage: 'opportunity', tags: [], version: 2 });
    expect(byId[c]).toMatchObject({ lifecycleStage: 'customer', tags: ['vip'] });
    const audits = await onShard<unknown[]>(org, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'contact.updated')),
    );
    expect(audits).toHaveLength(4);
    const theirs = await onShard<(typeof contacts.$inferSelect)[]>(other, (tx) => tx.select().from(contacts));
    expect(theirs[0]).toMatchObject({ lifecycleStage: 'lead', version: 1 });
  });

  it('refuses viewers and bad values; reps only reach their own', async () => {
    const admin = await api.signup('bulk-contacts-roles');
    const [viewer, rep] = await Promise.all([api.member(admin.token, 'viewer'), api.member(admin.token, 'sales_rep')]);
    const admins = await contact(admin.token, { firstName: 'Admin’s' });
    const mine = await contact(rep.token, { firstName: 'Rep’s' });
    const select = { ids: [admins, mine] };
    expectError(await bulk(viewer.token, { action: 'add_tags', value: ['x'], select }), 403, 'forbidden');
    expectError(
      await bulk(admin.token, { action: 'set_lifecycle_stage', value: 'bogus', select }),
      400,
      'validation_failed',
    );
    expectError(await bulk(admin.token, { action: 'delete', select }), 400, 'validation_failed');
    const byRep = await bulk(rep.token, { action: 'set_lifecycle_stage', value: 'customer', select });
    expect(byRep.data.results).toEqual([
      { id: admins, status: 'not_found' },
      { id: mine, status: 'updated' },
    ]);
  });
});
