import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { activities, auditLog, contacts, deals } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { attachFile, auditRows, defineField, eventRows, make, onShard } from './testing.ts';

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
    const rows = await onShard(stack, org, (tx) => tx.select().from(contacts));
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[a]).toMatchObject({ lifecycleStage: 'opportunity', tags: ['vip'], version: 3 });
    expect(byId[b]).toMatchObject({ lifecycleStage: 'opportunity', tags: [], version: 2 });
    expect(byId[c]).toMatchObject({ lifecycleStage: 'customer', tags: ['vip'] });
    const audits = await onShard(stack, org, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'contact.updated')),
    );
    expect(audits).toHaveLength(4);
    const theirs = await onShard(stack, other, (tx) => tx.select().from(contacts));
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
    expectError(await bulk(rep.token, { action: 'delete', select }), 403, 'forbidden');
    expectError(await bulk(viewer.token, { action: 'delete', select }), 403, 'forbidden');
    expectError(await bulk(admin.token, { action: 'delete', value: 'x', select }), 400, 'validation_failed');
    const byRep = await bulk(rep.token, { action: 'set_lifecycle_stage', value: 'customer', select });
    expect(byRep.data.results).toEqual([
      { id: admins, status: 'not_found' },
      { id: mine, status: 'updated' },
    ]);
  });

  it('deletes like a single DELETE, by ids and by filter: unlinks deals and activities, deletes attachments', async () => {
    const [admin, other] = await Promise.all([api.signup('bulk-contacts-delete'), api.signup('bulk-contacts-del-o')]);
    const [manager, rep] = await Promise.all([
      api.member(admin.token, 'manager'),
      api.member(admin.token, 'sales_rep'),
    ]);
    await defineField(api, admin.token, 'contact', 'source');
    const gone = await contact(admin.token, { firstName: 'Gone' });
    const repsOwn = await contact(rep.token, { firstName: 'Rep’s' });
    const bounced = await contact(admin.token, {
      firstName: 'Bounced',
      tags: ['bounced'],
      customFields: { source: 'fair' },
    });
    const keptToo = await contact(admin.token, {
      firstName: 'Kept',
      tags: ['bounced'],
      customFields: { source: 'web' },
    });
    const foreign = await contact(other.token, { firstName: 'Theirs' });
    const deal = await make(api, admin.token, '/api/v1/deals', { name: 'Linked', contactId: gone });
    const activity = await make(api, admin.token, '/api/v1/activities', { type: 'note', body: 'x', contactId: gone });
    const file = await attachFile(stack, admin, `/api/v1/contacts/${gone}`);
    const missing = newId();

    const byIds = await bulk(manager.token, { action: 'delete', select: { ids: [gone, repsOwn, missing, foreign] } });
    expect(byIds.status, JSON.stringify(byIds.data)).toBe(200);
    expect(byIds.data).toEqual({
      results: [
        { id: gone, status: 'updated' },
        { id: repsOwn, status: 'updated' },
        { id: missing, status: 'not_found' },
        { id: foreign, status: 'not_found' },
      ],
      updated: 2,
      unchanged: 0,
      failed: 0,
      notFound: 2,
    });
    expect(await file.exists()).toBe(false);
    const linked = await onShard(stack, admin, async (tx) => ({
      deal: (await tx.select().from(deals).where(eq(deals.id, deal)))[0],
      activity: (await tx.select().from(activities).where(eq(activities.id, activity)))[0],
    }));
    expect(linked.deal).toMatchObject({ contactId: null, version: 2 });
    expect(linked.activity).toMatchObject({ contactId: null, version: 2 });
    const audits = await auditRows(stack, admin, 'contact.deleted', [gone, repsOwn]);
    expect(Object.fromEntries(audits.map((a) => [a.targetId, a.changes]))).toEqual({
      [gone]: { unlinked: { dealIds: [deal], activityIds: [activity] }, attachmentsDeleted: 1 },
      [repsOwn]: { unlinked: { dealIds: [], activityIds: [] }, attachmentsDeleted: 0 },
    });
    const [event] = await eventRows(stack, admin, 'contact.deleted', [gone]);
    expect(event!.payload).toEqual({ contactId: gone, unlinked: { dealIds: [deal], activityIds: [activity] } });

    const byFilter = await bulk(admin.token, {
      action: 'delete',
      select: { filter: { tag: 'bounced', 'cf.source': 'fair' } },
    });
    expect(byFilter.data.results).toEqual([{ id: bounced, status: 'updated' }]);
    const left = await onShard(stack, admin, (tx) => tx.select({ id: contacts.id }).from(contacts));
    expect(left.map((c) => c.id)).toEqual([keptToo]);
    expect(await onShard(stack, other, (tx) => tx.select().from(contacts))).toMatchObject([
      { id: foreign, version: 1 },
    ]);
    expectError(
      await bulk(admin.token, { action: 'delete', select: { ids: Array.from({ length: 10_001 }, () => newId()) } }),
      400,
      'validation_failed',
    );
  });
});
