import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, leads } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  auditOf,
  eventsOf,
  insertCompany,
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

const mergeContacts = (token: string, id: string, body: unknown, headers: Record<string, string> = {}) =>
  api.call('POST', `/api/v1/contacts/${id}/merge`, { token, body, headers });

async function storedContact(session: Session, id: string) {
  const [row] = await shardOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx.select().from(contacts).where(eq(contacts.id, id)),
  );
  return row;
}

describe('POST /api/v1/contacts/{id}/merge', () => {
  it('keeps the primary, takes chosen values and consent, moves every related record and lead link, deletes the duplicate', async () => {
    const company = await insertCompany(stack, admin, 'Merge Co');
    const primary = await insertContact(stack, admin, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@engines.example',
      tags: ['vip'],
    });
    const consentAt = new Date('2026-11-01T10:00:00.000Z');
    const duplicate = await insertContact(stack, admin, {
      firstName: 'Augusta Ada',
      lastName: 'King',
      email: 'ada.king@engines.example',
      phone: '+44 20 7946 0958',
      companyId: company.id,
      marketingEmailConsent: true,
      consentGivenAt: consentAt,
      consentSource: 'web_form',
      tags: ['emea', 'vip'],
    });
    const onDuplicate = await insertRelated(stack, admin, { contactId: duplicate.id });
    const sourceLead = await newLead(api, admin.token, { firstName: 'Source' });
    await shardOf(stack, admin).withTenant(admin.organization.id, (tx) =>
      tx.update(leads).set({ convertedContactId: duplicate.id }).where(eq(leads.id, sourceLead.id)),
    );
    const before = await stored(stack, admin);

    const reply = await mergeContacts(
      admin.token,
      primary.id,
      { duplicateId: duplicate.id, fields: { lastName: 'duplicate', marketingEmailConsent: 'duplicate' } },
      { 'if-match': '"v1"' },
    );
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    expect(reply.headers.get('etag')).toBe('"v2"');
    expect(reply.data).toMatchObject({
      id: primary.id,
      firstName: 'Ada',
      lastName: 'King',
      email: 'ada@engines.example',
      phone: '+44 20 7946 0958',
      companyId: company.id,
      marketingEmailConsent: true,
      consentGivenAt: consentAt.toISOString(),
      consentSource: 'web_form',
      tags: ['vip', 'emea'],
      version: 2,
    });

    expect(await storedContact(admin, duplicate.id)).toBeUndefined();
    expect(await relatedTo(stack, admin, { contactId: duplicate.id })).toEqual({
      activities: [],
      deals: [],
      attachments: [],
    });
    expect(await relatedTo(stack, admin, { contactId: primary.id })).toEqual({
      activities: [onDuplicate.activityId],
      deals: [onDuplicate.dealId],
      attachments: [onDuplicate.attachmentId],
    });
    expect((await storedLead(stack, admin, sourceLead.id))!.convertedContactId).toBe(primary.id);
    expect(await stored(stack, admin)).toMatchObject({
      contacts: before.contacts - 1,
      audit: before.audit + 2,
      outbox: before.outbox + 2, // merged on the primary, deleted for the duplicate
    });
    const primaryAudit = (await auditOf(stack, admin, primary.id)).map((a) => a.action);
    expect(primaryAudit).toEqual(['contact.merged']);
    expect((await auditOf(stack, admin, duplicate.id)).map((a) => a.action)).toEqual(['contact.merged']);
    const [event] = await eventsOf(stack, admin, primary.id);
    expect(event).toMatchObject({ eventType: 'contact.merged' });
    expect(event!.payload).toMatchObject({
      duplicateId: duplicate.id,
      moved: {
        activities: [onDuplicate.activityId],
        deals: [onDuplicate.dealId],
        leads: [sourceLead.id],
        attachments: [onDuplicate.attachmentId],
      },
    });
  });

  it('keeps consent as it was unless asked: a merge never opts someone in silently', async () => {
    const primary = await insertContact(stack, admin, { email: 'quiet@consent.example' });
    const duplicate = await insertContact(stack, admin, {
      email: 'loud@consent.example',
      marketingEmailConsent: true,
      consentGivenAt: new Date(),
      consentSource: 'import',
    });
    const reply = await mergeContacts(admin.token, primary.id, { duplicateId: duplicate.id });
    expect(reply.data).toMatchObject({ marketingEmailConsent: false, consentGivenAt: null, consentSource: null });
  });

  it('refuses stale If-Match, itself, bad input and other roles, changing nothing', async () => {
    const primary = await insertContact(stack, admin);
    const duplicate = await insertContact(stack, admin);
    const before = await stored(stack, admin);
    expectError(
      await mergeContacts(admin.token, primary.id, { duplicateId: duplicate.id }, { 'if-match': '"v2"' }),
      412,
      'precondition_failed',
    );
    expectError(await mergeContacts(admin.token, primary.id, { duplicateId: primary.id }), 400, 'merge_with_itself');
    expectError(
      await mergeContacts(admin.token, primary.id, { duplicateId: duplicate.id, fields: { score: 'duplicate' } }),
      400,
      'validation_failed',
    );
    for (const who of [rep, viewer]) {
      expectError(await mergeContacts(who.token, primary.id, { duplicateId: duplicate.id }), 403, 'forbidden');
    }
    expect(await stored(stack, admin)).toEqual(before);
    expect((await mergeContacts(manager.token, primary.id, { duplicateId: duplicate.id })).status).toBe(200);
  });

  it("answers 404 for another organization's contact on either side", async () => {
    const mine = await insertContact(stack, admin, { email: 'mine@iso.example' });
    for (const foreigner of [orgB, orgEu]) {
      const theirs = await insertContact(stack, foreigner, { email: 'mine@iso.example' });
      expectError(await mergeContacts(admin.token, mine.id, { duplicateId: theirs.id }), 404, 'not_found');
      expectError(await mergeContacts(foreigner.token, theirs.id, { duplicateId: mine.id }), 404, 'not_found');
      expect(await storedContact(foreigner, theirs.id)).toBeDefined();
    }
    const [row] = await shardOf(stack, admin).withTenant(admin.organization.id, (tx) =>
      tx
        .select()
        .from(contacts)
        .where(and(eq(contacts.organizationId, admin.organization.id), eq(contacts.id, mine.id))),
    );
    expect(row!.version).toBe(1);
  });
});
