import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { type Org, seedActivity, seedDeal } from '../companies/testing.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = { token: string; user: { id: string }; email: string };
type Activity = Awaited<ReturnType<typeof seedActivity>>;

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Session;
let manager: Member;
let rep: Member;
let otherRep: Member;
let viewer: Member;

beforeAll(async () => {
  // Deals, activities and lead links are written straight to the shard here, which the edge's cache would not see.
  stack = await startTestStack({ edge: { cacheTtlSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('c360');
  [manager, rep, otherRep, viewer] = await Promise.all([
    api.member(admin.token, 'manager'),
    api.member(admin.token, 'sales_rep', 'rep'),
    api.member(admin.token, 'sales_rep', 'other-rep'),
    api.member(admin.token, 'viewer'),
  ]);
});
afterAll(() => stack?.stop());

const view = (id: string, token: string) => api.call('GET', `/api/v1/contacts/${id}/360`, { token });

async function post(token: string, path: string, body: Record<string, unknown>) {
  const made = await api.call('POST', path, { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data;
}

/** Links a contact to the lead it "came from", as lead conversion does. */
async function linkLead(org: Org, contactId: string, leadId: string) {
  await stack.regions[org.organization.homeRegion]!.ctx.shards.withTenant(org.organization.id, (tx) =>
    tx
      .update(contacts)
      .set({ leadId })
      .where(and(eq(contacts.organizationId, org.organization.id), eq(contacts.id, contactId))),
  );
}

describe("a contact's 360° view", () => {
  it('brings the contact, its company, open deals, last 20 activities, lead history and owner in one call', async () => {
    const company = await post(admin.token, '/api/v1/companies', { name: 'Analytical Engines', domain: 'ae.example' });
    const lead = await post(rep.token, '/api/v1/leads', { firstName: 'Ada', email: 'ada@ae.example' });
    const edited = await api.call('PATCH', `/api/v1/leads/${lead.id}`, {
      token: rep.token,
      body: { status: 'qualified' },
    });
    expect(edited.status).toBe(200);
    const contact = await post(rep.token, '/api/v1/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      companyId: company.id,
    });
    const bystander = await post(rep.token, '/api/v1/contacts', { firstName: 'Other' });
    await linkLead(admin, contact.id, lead.id);

    const repOpen = await seedDeal(stack, admin, {
      name: 'Rep open',
      contactId: contact.id,
      ownerId: rep.user.id,
      amount: '12000.00',
      currency: 'EUR',
      expectedCloseDate: '2027-01-31',
      stage: 2,
    });
    const adminOpen = await seedDeal(stack, admin, {
      name: 'Admin open',
      contactId: contact.id,
      ownerId: admin.user.id,
    });
    await seedDeal(stack, admin, { name: 'Won', contactId: contact.id, ownerId: rep.user.id, status: 'won', stage: 4 });
    await seedDeal(stack, admin, {
      name: 'Lost',
      contactId: contact.id,
      ownerId: rep.user.id,
      status: 'lost',
      stage: 5,
    });
    await seedDeal(stack, admin, { name: 'Not theirs', contactId: bystander.id, ownerId: rep.user.id });
    const repActivities: Activity[] = [];
    for (let i = 0; i < 22; i++) {
      repActivities.push(
        await seedActivity(stack, admin, {
          subject: `Rep ${i}`,
          contactId: contact.id,
          ownerId: rep.user.id,
          type: i % 2 ? 'email' : 'task',
          dueAt: i === 21 ? new Date('2026-12-02T10:00:00.000Z') : null,
          done: i === 0,
        }),
      );
    }
    const adminActivities: Activity[] = [];
    for (let i = 0; i < 3; i++) {
      adminActivities.push(
        await seedActivity(stack, admin, { subject: `Admin ${i}`, contactId: contact.id, ownerId: admin.user.id }),
      );
    }
    await seedActivity(stack, admin, { contactId: bystander.id, ownerId: rep.user.id });

    const full = await view(contact.id, admin.token);
    expect(full.status, JSON.stringify(full.data)).toBe(200);
    const contactNow = (await api.call('GET', `/api/v1/contacts/${contact.id}`, { token: admin.token })).data;
    expect(full.data.contact).toEqual(contactNow);
    expect(full.data.contact.leadId).toBe(lead.id);
    expect(full.data.company).toEqual(company);
    expect(full.data.openDeals.map((d: { id: string }) => d.id)).toEqual([adminOpen.id, repOpen.id]);
    expect(full.data.openDeals[1]).toEqual({
      id: repOpen.id,
      name: 'Rep open',
      amount: '12000.00',
      currency: 'EUR',
      stage: { id: repOpen.stage.id, name: 'Proposal', probability: 50 },
      status: 'open',
      expectedCloseDate: '2027-01-31',
    });
    const newest20 = [...repActivities, ...adminActivities].reverse().slice(0, 20);
    expect(full.data.recentActivities.map((a: { id: string }) => a.id)).toEqual(newest20.map((a) => a.id));
    expect(full.data.recentActivities.find((a: { id: string }) => a.id === repActivities[21]!.id)).toEqual({
      id: repActivities[21]!.id,
      type: 'email',
      subject: 'Rep 21',
      dueAt: '2026-12-02T10:00:00.000Z',
      done: false,
      createdAt: repActivities[21]!.createdAt.toISOString(),
    });
    const leadNow = (await api.call('GET', `/api/v1/leads/${lead.id}`, { token: admin.token })).data;
    expect(full.data.leadHistory.lead).toEqual(leadNow);
    expect(full.data.leadHistory.auditEntries.map((e: { action: string }) => e.action)).toEqual([
      'lead.created',
      'lead.updated',
    ]);
    expect(full.data.leadHistory.auditEntries[1]).toEqual({
      id: expect.any(String),
      action: 'lead.updated',
      actorType: 'user',
      actorId: rep.user.id,
      changes: { status: ['new', 'qualified'] },
      createdAt: expect.any(String),
    });
    expect(full.data.owner).toEqual({ id: rep.user.id, name: expect.any(String), email: rep.email });

    // Managers and viewers see the same; the rep who owns the contact sees only their own deals and activities.
    for (const member of [manager, viewer]) expect((await view(contact.id, member.token)).data).toEqual(full.data);
    const own = await view(contact.id, rep.token);
    expect(own.status).toBe(200);
    expect(own.data.openDeals.map((d: { id: string }) => d.id)).toEqual([repOpen.id]);
    expect(own.data.recentActivities.map((a: { id: string }) => a.id)).toEqual(
      [...repActivities]
        .reverse()
        .slice(0, 20)
        .map((a) => a.id),
    );
    expect(own.data.leadHistory.lead.id).toBe(lead.id);
    expect(own.data.company).toEqual(company);
    expectError(await view(contact.id, otherRep.token), 404, 'not_found');
  });

  it('shows nulls and empty lists for a contact with no company, lead, owner, deals or activities', async () => {
    const contact = await post(admin.token, '/api/v1/contacts', { email: 'alone@example.com' });
    const reply = await view(contact.id, admin.token);
    expect(reply.data).toEqual({
      contact,
      company: null,
      openDeals: [],
      recentActivities: [],
      leadHistory: { lead: null, auditEntries: [] },
      owner: null,
    });
  });

  it("hides a lead the sales rep does not own, and keeps a deleted lead's trail for those who see every lead", async () => {
    const contact = await post(rep.token, '/api/v1/contacts', { firstName: 'Grace' });
    const othersLead = await post(admin.token, '/api/v1/leads', { firstName: 'Grace', ownerId: otherRep.user.id });
    await linkLead(admin, contact.id, othersLead.id);
    expect((await view(contact.id, rep.token)).data.leadHistory).toEqual({ lead: null, auditEntries: [] });
    expect((await view(contact.id, admin.token)).data.leadHistory.lead.id).toBe(othersLead.id);

    expect((await api.call('DELETE', `/api/v1/leads/${othersLead.id}`, { token: admin.token })).status).toBe(204);
    const afterDelete = (await view(contact.id, admin.token)).data.leadHistory;
    expect(afterDelete.lead).toBeNull();
    expect(afterDelete.auditEntries.map((e: { action: string }) => e.action)).toEqual(['lead.created', 'lead.deleted']);
    expect((await view(contact.id, rep.token)).data.leadHistory).toEqual({ lead: null, auditEntries: [] });
  });

  it('needs read access to every part, and refuses bad and unknown ids', async () => {
    const contact = await post(admin.token, '/api/v1/contacts', { firstName: 'Scoped' });
    const reads = ['contacts:read', 'companies:read', 'deals:read', 'activities:read', 'leads:read'];
    for (const missing of reads) {
      const key = await post(admin.token, '/api/v1/api-keys', {
        name: api.unique('k'),
        scopes: reads.filter((s) => s !== missing),
      });
      expectError(await view(contact.id, key.key), 403, 'forbidden', missing);
    }
    const all = await post(admin.token, '/api/v1/api-keys', { name: api.unique('k'), scopes: reads });
    expect((await view(contact.id, all.key)).status).toBe(200);
    expectError(await view('not-a-uuid', admin.token), 400, 'validation_failed');
    expectError(await view('0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e', admin.token), 404, 'not_found');
  });
});

describe('the 360° view across organizations', () => {
  it("answers 404 to other organizations and never mixes another organization's records in", async () => {
    const [b, eu] = await Promise.all([api.signup('c360-b'), api.signup('c360-eu', { region: 'eu' })]);
    const contact = await post(admin.token, '/api/v1/contacts', { firstName: 'Private' });
    const keyB = await post(b.token, '/api/v1/api-keys', {
      name: api.unique('k'),
      scopes: ['contacts:read', 'companies:read', 'deals:read', 'activities:read', 'leads:read'],
    });
    for (const token of [b.token, eu.token, keyB.key as string]) {
      expectError(await view(contact.id, token), 404, 'not_found');
    }

    // B's own records that claim A's contact (as a bug or an attacker might write them) stay B's.
    const bCompany = await post(b.token, '/api/v1/companies', { name: 'B company' });
    const bLead = await post(b.token, '/api/v1/leads', { firstName: 'B lead' });
    await seedDeal(stack, b, { name: 'B deal', contactId: contact.id });
    await seedActivity(stack, b, { subject: 'B activity', contactId: contact.id });
    await stack.regions.us!.ctx.shards.withTenant(admin.organization.id, (tx) =>
      tx
        .update(contacts)
        .set({ companyId: bCompany.id, leadId: bLead.id, ownerId: b.user.id })
        .where(and(eq(contacts.organizationId, admin.organization.id), eq(contacts.id, contact.id))),
    );
    const reply = await view(contact.id, admin.token);
    expect(reply.status).toBe(200);
    expect(reply.data).toMatchObject({
      company: null,
      openDeals: [],
      recentActivities: [],
      leadHistory: { lead: null, auditEntries: [] },
      owner: null,
    });
    const bContact = await post(b.token, '/api/v1/contacts', { firstName: 'B contact' });
    expectError(await view(bContact.id, admin.token), 404, 'not_found');
    expect((await view(bContact.id, b.token)).data.openDeals).toEqual([]);
  });
});
