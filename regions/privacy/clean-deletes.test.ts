import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, attachments, contacts, deals } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { attach, make } from './test-helpers.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
const orgId = () => admin.organization.id;
const ctx = () => stack.regions.us!.ctx;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('cleandel');
});
afterAll(() => stack?.stop());

async function storageKeyOf(attachmentId: string) {
  return ctx().shards.withTenant(orgId(), async (tx) => {
    const [row] = await tx
      .select()
      .from(attachments)
      .where(and(eq(attachments.organizationId, orgId()), eq(attachments.id, attachmentId)));
    return row?.storageKey ?? null;
  });
}

async function expectGone(attachmentId: string, key: string) {
  expect(await storageKeyOf(attachmentId)).toBeNull();
  expect(await ctx().storage.size(key)).toBeNull();
}

async function del(path: string) {
  const gone = await api.call('DELETE', path, { token: admin.token });
  expect(gone.status, JSON.stringify(gone.data)).toBe(204);
}

describe('deleting a record cleans up after it', () => {
  it("a lead: unlinks activities and deals (new version), keeps its converted contact's origin, deletes its files", async () => {
    const leadId = await make(api, admin.token, '/api/v1/leads', { firstName: 'Gone' });
    const contactId = await make(api, admin.token, '/api/v1/contacts', { firstName: 'Kept' });
    const dealId = await make(api, admin.token, '/api/v1/deals', { name: 'Kept deal' });
    const activityId = await make(api, admin.token, '/api/v1/activities', { type: 'note', body: 'x', leadId });
    // Conversion is the only way contacts and deals point at a lead; set the links directly.
    await ctx().shards.withTenant(orgId(), async (tx) => {
      await tx
        .update(contacts)
        .set({ leadId })
        .where(and(eq(contacts.organizationId, orgId()), eq(contacts.id, contactId)));
      await tx
        .update(deals)
        .set({ leadId })
        .where(and(eq(deals.organizationId, orgId()), eq(deals.id, dealId)));
    });
    const file = await attach(stack, admin.token, `/api/v1/leads/${leadId}`);
    const key = (await storageKeyOf(file.id))!;
    expect(await ctx().storage.size(key)).toBe(5);

    await del(`/api/v1/leads/${leadId}`);

    await expectGone(file.id, key);
    const state = await ctx().shards.withTenant(orgId(), async (tx) => ({
      contact: (await tx.select().from(contacts).where(eq(contacts.id, contactId)))[0]!,
      deal: (await tx.select().from(deals).where(eq(deals.id, dealId)))[0]!,
      activity: (await tx.select().from(activities).where(eq(activities.id, activityId)))[0]!,
    }));
    expect(state.contact).toMatchObject({ leadId });
    expect(state.deal).toMatchObject({ leadId: null });
    expect(state.activity).toMatchObject({ leadId: null, version: 2 });
    expect(state.deal.version).toBeGreaterThan(1);
    const activity = await api.call('GET', `/api/v1/activities/${activityId}`, { token: admin.token });
    expect(activity.status).toBe(200);
    expect(activity.data.leadId).toBeNull();
  });

  it('a deal: unlinks its activities and deletes its attachments and files', async () => {
    const dealId = await make(api, admin.token, '/api/v1/deals', { name: 'Gone deal' });
    const activityId = await make(api, admin.token, '/api/v1/activities', { type: 'note', body: 'x', dealId });
    const file = await attach(stack, admin.token, `/api/v1/deals/${dealId}`);
    const key = (await storageKeyOf(file.id))!;

    await del(`/api/v1/deals/${dealId}`);

    await expectGone(file.id, key);
    const activity = await api.call('GET', `/api/v1/activities/${activityId}`, { token: admin.token });
    expect(activity.data).toMatchObject({ dealId: null, version: 2 });
  });

  it('a contact and a company: delete their attachments and files', async () => {
    const contactId = await make(api, admin.token, '/api/v1/contacts', { firstName: 'Gone' });
    const companyId = await make(api, admin.token, '/api/v1/companies', { name: `Gone ${api.unique('co')}` });
    const contactFile = await attach(stack, admin.token, `/api/v1/contacts/${contactId}`);
    const companyFile = await attach(stack, admin.token, `/api/v1/companies/${companyId}`);
    const contactKey = (await storageKeyOf(contactFile.id))!;
    const companyKey = (await storageKeyOf(companyFile.id))!;

    await del(`/api/v1/contacts/${contactId}`);
    await del(`/api/v1/companies/${companyId}`);

    await expectGone(contactFile.id, contactKey);
    await expectGone(companyFile.id, companyKey);
  });

  it('a refused delete (stale If-Match) keeps the attachments and links', async () => {
    const leadId = await make(api, admin.token, '/api/v1/leads', { firstName: 'Stays' });
    const file = await attach(stack, admin.token, `/api/v1/leads/${leadId}`);
    const stale = await api.call('DELETE', `/api/v1/leads/${leadId}`, {
      token: admin.token,
      headers: { 'if-match': '"v99"' },
    });
    expect(stale.status).toBe(412);
    const key = await storageKeyOf(file.id);
    expect(key).not.toBeNull();
    expect(await ctx().storage.size(key!)).toBe(5);
  });
});
