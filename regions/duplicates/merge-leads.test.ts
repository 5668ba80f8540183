import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, contacts, deals, leads } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  auditOf,
  eventsOf,
  insertContact,
  insertRelated,
  newLead,
  relatedTo,
  type Session,
  shardOf,
  stored,
  storedLead,
} from '../conversion/fixtures.ts';

type Member = { token: string; user: { id: string } };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Session;
let manager: Member;
let rep: Member;
let viewer: Member;
let orgB: Session;
let orgEu: Session;

beforeAll(async () => {
  stack = await startTestStack({ edge: { apiKeyCacheSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
  [admin, orgB, orgEu] = await Promise.all([
    api.signup('merge'),
    api.signup('merge-b'),
    api.signup('merge-eu', { region: 'eu' }),
  ]);
  [manager, rep, viewer] = await Promise.all([
    api.member(admin.token, 'manager'),
    api.member(admin.token, 'sales_rep', 'rep'),
    api.member(admin.token, 'viewer'),
  ]);
});
afterAll(() => stack?.stop());

const mergeLeads = (token: string, id: string, body: unknown, headers: Record<string, string> = {}) =>
  api.call('POST', `/api/v1/leads/${id}/merge`, { token, body, headers });

async function tagLead(session: Session, id: string, tags: string[]) {
  await shardOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx.update(leads).set({ tags }).where(eq(leads.id, id)),
  );
}

async function storedContact(session: Session, id: string) {
  const [row] = await shardOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx.select().from(contacts).where(eq(contacts.id, id)),
  );
  return row;
}

describe('POST /api/v1/leads/{id}/merge', () => {
  it('keeps the primary, takes the chosen values, unions tags, moves every related record and deletes the duplicate', async () => {
    const primary = await newLead(api, admin.token, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example',
      title: 'Engineer',
    });
    const duplicate = await newLead(api, admin.token, {
      firstName: 'Grace M.',
      lastName: 'Hopper',
      phone: '+1 202 555 0147',
      title: 'Rear Admiral',
      company: 'US Navy',
      email: 'grace.hopper@navy.example',
      ownerId: manager.user.id,
    });
    await tagLead(admin, primary.id, ['vip', 'emea']);
    await tagLead(admin, duplicate.id, ['emea', 'navy']);
    const onPrimary = await insertRelated(stack, admin, { leadId: primary.id });
    const onDuplicate = await insertRelated(stack, admin, { leadId: duplicate.id });
    const second = await insertRelated(stack, admin, { leadId: duplicate.id });
    const convertedFrom = await insertContact(stack, admin, { firstName: 'Made from duplicate', leadId: duplicate.id });
    const before = await stored(stack, admin);

    const reply = await mergeLeads(
      admin.token,
      primary.id,
      { duplicateId: duplicate.id, fields: { title: 'duplicate', firstName: 'primary' } },
      { 'if-match': '"v1"' },
    );
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    expect(reply.headers.get('etag')).toBe('"v2"');
    expect(reply.data).toMatchObject({
      id: primary.id,
      firstName: 'Grace',
      email: 'grace@navy.example',
      title: 'Rear Admiral',
      // Empty on the primary, so filled from the duplicate without being asked.
      phone: '+1 202 555 0147',
      company: 'US Navy',
      ownerId: manager.user.id,
      version: 2,
    });
    // Rescored on the merged values.
    expect(reply.data.score).toBeGreaterThan(primary.score as number);
    expect((await storedLead(stack, admin, primary.id))!.tags).toEqual(['vip', 'emea', 'navy']);

    // The duplicate is gone; every record that pointed at it now points at the primary (counted by id).
    expect(await storedLead(stack, admin, duplicate.id)).toBeUndefined();
    expectError(await api.call('GET', `/api/v1/leads/${duplicate.id}`, { token: admin.token }), 404);
    expect(await relatedTo(stack, admin, { leadId: duplicate.id })).toEqual({
      activities: [],
      deals: [],
      attachments: [],
    });
    expect(await relatedTo(stack, admin, { leadId: primary.id })).toEqual({
      activities: [onPrimary.activityId, onDuplicate.activityId, second.activityId].sort(),
      deals: [onPrimary.dealId, onDuplicate.dealId, second.dealId].sort(),
      attachments: [onPrimary.attachmentId, onDuplicate.attachmentId, second.attachmentId].sort(),
    });
    expect((await storedContact(admin, convertedFrom.id))!).toMatchObject({ leadId: primary.id, version: 2 });
    const after = await stored(stack, admin);
    expect(after).toMatchObject({
      leads: before.leads - 1,
      contacts: before.contacts,
      deals: before.deals,
      activities: before.activities,
      audit: before.audit + 2,
      outbox: before.outbox + 2, // merged on the primary, deleted for the duplicate
    });
    // A moved record changed: its version went up.
    const movedVersions = await shardOf(stack, admin).withTenant(admin.organization.id, async (tx) => ({
      activity: (await tx.select().from(activities).where(eq(activities.id, onDuplicate.activityId)))[0]!.version,
      deal: (await tx.select().from(deals).where(eq(deals.id, onDuplicate.dealId)))[0]!.version,
    }));
    expect(movedVersions).toEqual({ activity: 2, deal: 2 });

    // An audit row for each; one lead.merged event naming everything that moved.
    const primaryAudit = (await auditOf(stack, admin, primary.id)).filter((a) => a.action === 'lead.merged');
    expect(primaryAudit).toHaveLength(1);
    expect(primaryAudit[0]!.changes).toMatchObject({ mergedFrom: duplicate.id, title: ['Engineer', 'Rear Admiral'] });
    const duplicateAudit = (await auditOf(stack, admin, duplicate.id)).filter((a) => a.action === 'lead.merged');
    expect(duplicateAudit).toHaveLength(1);
    expect(duplicateAudit[0]!.changes).toMatchObject({ mergedInto: primary.id, deleted: { id: duplicate.id } });
    const [event] = (await eventsOf(stack, admin, primary.id)).filter((e) => e.eventType === 'lead.merged');
    expect(event!.payload).toMatchObject({
      duplicateId: duplicate.id,
      lead: { id: primary.id, version: 2 },
      moved: {
        activities: expect.arrayContaining([onDuplicate.activityId, second.activityId]),
        deals: expect.arrayContaining([onDuplicate.dealId, second.dealId]),
        contacts: [convertedFrom.id],
        attachments: expect.arrayContaining([onDuplicate.attachmentId, second.attachmentId]),
      },
    });
  });

  it('carries over the conversion when only the duplicate was converted', async () => {
    const primary = await newLead(api, admin.token, { firstName: 'Open' });
    const duplicate = await newLead(api, admin.token, { firstName: 'Converted', company: 'Conv Co' });
    const converted = await api.call('POST', `/api/v1/leads/${duplicate.id}/convert`, {
      token: admin.token,
      body: { deal: { name: 'D', amount: '1', currency: 'USD' } },
    });
    expect(converted.status).toBe(201);
    const { contact, company, deal } = converted.data;

    const reply = await mergeLeads(admin.token, primary.id, {
      duplicateId: duplicate.id,
      fields: { status: 'primary' },
    });
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    expect(reply.data).toMatchObject({
      status: 'converted',
      convertedContactId: contact.id,
      convertedCompanyId: company.id,
      convertedDealId: deal.id,
    });
    expect(reply.data.convertedAt).toBe(converted.data.lead.convertedAt);
    expect((await storedContact(admin, contact.id))!.leadId).toBe(primary.id);
    const [dealRow] = await shardOf(stack, admin).withTenant(admin.organization.id, (tx) =>
      tx.select().from(deals).where(eq(deals.id, deal.id)),
    );
    expect(dealRow!.leadId).toBe(primary.id);
    // Converted now, so converting it again is refused.
    expectError(await api.call('POST', `/api/v1/leads/${primary.id}/convert`, { token: admin.token }), 409);
  });

  it('refuses a stale If-Match with 412 and changes nothing', async () => {
    const primary = await newLead(api, admin.token);
    const duplicate = await newLead(api, admin.token);
    const related = await insertRelated(stack, admin, { leadId: duplicate.id });
    const before = await stored(stack, admin);
    expectError(
      await mergeLeads(admin.token, primary.id, { duplicateId: duplicate.id }, { 'if-match': '"v9"' }),
      412,
      'precondition_failed',
    );
    expect(await stored(stack, admin)).toEqual(before);
    expect((await relatedTo(stack, admin, { leadId: duplicate.id })).activities).toEqual([related.activityId]);
  });

  it('refuses bad input with 400 and the field named', async () => {
    const primary = await newLead(api, admin.token);
    const duplicate = await newLead(api, admin.token);
    const cases: [unknown, string][] = [
      [{}, 'duplicateId'],
      [{ duplicateId: 'nope' }, 'duplicateId'],
      [{ duplicateId: duplicate.id, extra: 1 }, 'extra'],
      [{ duplicateId: duplicate.id, fields: { score: 'duplicate' } }, 'fields.score'],
      [{ duplicateId: duplicate.id, fields: { email: 'both' } }, 'fields.email'],
      [{ duplicateId: duplicate.id, fields: [] }, 'fields'],
    ];
    for (const [body, path] of cases) {
      const reply = await mergeLeads(admin.token, primary.id, body);
      expectError(reply, 400, 'validation_failed', JSON.stringify(body));
      expect(reply.data.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const self = await mergeLeads(admin.token, primary.id, { duplicateId: primary.id });
    expectError(self, 400, 'merge_with_itself');
    expect(self.data.error.details[0].path).toBe('duplicateId');
    expectError(await mergeLeads(admin.token, 'nope', { duplicateId: duplicate.id }), 400, 'validation_failed');
    expectError(await api.call('POST', `/api/v1/leads/${primary.id}/merge`, { token: admin.token }), 400);
    const unknown = '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e';
    expectError(await mergeLeads(admin.token, primary.id, { duplicateId: unknown }), 404, 'not_found');
    expectError(await mergeLeads(admin.token, unknown, { duplicateId: primary.id }), 404, 'not_found');
  });

  it('needs leads:update and leads:delete: managers and admins merge, reps and viewers get 403', async () => {
    for (const who of [rep, viewer]) {
      const primary = await newLead(api, rep.token);
      const duplicate = await newLead(api, rep.token);
      expectError(await mergeLeads(who.token, primary.id, { duplicateId: duplicate.id }), 403, 'forbidden');
      expect(await storedLead(stack, admin, duplicate.id)).toBeDefined();
    }
    const primary = await newLead(api, rep.token);
    const duplicate = await newLead(api, rep.token);
    expect((await mergeLeads(manager.token, primary.id, { duplicateId: duplicate.id })).status).toBe(200);

    const key = async (scopes: string[]) =>
      (await api.call('POST', '/api/v1/api-keys', { token: admin.token, body: { name: api.unique('k'), scopes } })).data
        .key as string;
    const updateOnly = await key(['leads:update']);
    const both = await key(['leads:update', 'leads:delete']);
    const [a, b] = [await newLead(api, admin.token), await newLead(api, admin.token)];
    expectError(await mergeLeads(updateOnly, a.id, { duplicateId: b.id }), 403, 'forbidden');
    expect((await mergeLeads(both, a.id, { duplicateId: b.id })).status).toBe(200);
  });

  it("answers 404 for another organization's duplicate or primary, and leaves both alone", async () => {
    const mine = await newLead(api, admin.token, { email: 'same@iso.example' });
    for (const foreigner of [orgB, orgEu]) {
      const theirs = await newLead(api, foreigner.token, { email: 'same@iso.example' });
      const theirsBefore = await storedLead(stack, foreigner, theirs.id);
      expectError(await mergeLeads(admin.token, mine.id, { duplicateId: theirs.id }), 404, 'not_found');
      expectError(await mergeLeads(foreigner.token, theirs.id, { duplicateId: mine.id }), 404, 'not_found');
      expectError(await mergeLeads(foreigner.token, mine.id, { duplicateId: theirs.id }), 404, 'not_found');
      expect(await storedLead(stack, foreigner, theirs.id)).toEqual(theirsBefore);
    }
    expect((await storedLead(stack, admin, mine.id))!.version).toBe(1);
  });

  it('merges a pair once when it is merged both ways at the same time', async () => {
    const a = await newLead(api, admin.token);
    const b = await newLead(api, admin.token);
    const replies = await Promise.all([
      mergeLeads(admin.token, a.id, { duplicateId: b.id }),
      mergeLeads(admin.token, b.id, { duplicateId: a.id }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 404]);
    const left = await shardOf(stack, admin).withTenant(admin.organization.id, (tx) =>
      tx
        .select({ id: leads.id })
        .from(leads)
        .where(inArray(leads.id, [a.id, b.id])),
    );
    expect(left).toHaveLength(1);
  });
});
