import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts, formSubmissions, leads } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { findText } from './scan.ts';
import { attach, make } from './test-helpers.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;
const ctx = () => stack.regions.us!.ctx;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('erase');
});
afterAll(() => stack?.stop());

/** A lead converted into a contact, with distinctive values in every place personal data lives. */
async function seedPerson(session: Session) {
  const mark = `zq${Math.random().toString(36).slice(2, 10)}`;
  const email = `${mark}@mail.example`;
  const phone = `+1 555 ${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`;
  const token = session.token;
  const leadId = await make(api, token, '/api/v1/leads', {
    firstName: `${mark}first`,
    lastName: `${mark}last`,
    email,
    phone,
    company: `${mark} Corp`,
    title: `${mark} title`,
  });
  const patched = await api.call('PATCH', `/api/v1/leads/${leadId}`, { token, body: { title: `${mark} chief` } });
  expect(patched.status, JSON.stringify(patched.data)).toBe(200);
  const contactId = await make(api, token, '/api/v1/contacts', {
    firstName: `${mark}first`,
    lastName: `${mark}last`,
    email: `${mark}.c@mail.example`,
    title: `${mark} title`,
    marketingEmailConsent: true,
    consentSource: `${mark}form`,
  });
  const emailActivity = await make(api, token, '/api/v1/activities', {
    type: 'email',
    subject: `Re: ${mark} offer`,
    body: `Hello ${mark}first, thanks`,
    emailDirection: 'inbound',
    emailFrom: email,
    emailTo: [`${mark}.sales@mail.example`],
    leadId,
  });
  const note = await make(api, token, '/api/v1/activities', {
    type: 'note',
    body: `${mark} likes golf`,
    contactId,
  });
  const dealId = await make(api, token, '/api/v1/deals', { name: 'Renewal', contactId });
  const file = await attach(stack, token, `/api/v1/leads/${leadId}`, `${mark} passport`);
  await attach(stack, token, `/api/v1/activities/${note}`, 'minutes');
  const orgId = session.organization.id;
  // Conversion would also create a company from the lead's; link the pair directly. Tags and custom fields are set
  // here because the record APIs do not take them yet.
  await ctx().shards.withTenant(orgId, async (tx) => {
    await tx
      .update(leads)
      .set({ convertedContactId: contactId, tags: [`${mark}tag`], customFields: { hobby: `${mark}hobby` } })
      .where(and(eq(leads.organizationId, orgId), eq(leads.id, leadId)));
    await tx
      .update(contacts)
      .set({ leadId, customFields: { hobby: `${mark}hobby` } })
      .where(and(eq(contacts.organizationId, orgId), eq(contacts.id, contactId)));
  });
  return { mark, phone, leadId, contactId, emailActivity, note, dealId, file };
}

describe('erasing a person', () => {
  it('leaves no trace of their data in any text column of the shard, nor in search', async () => {
    const p = await seedPerson(admin);
    const orgId = admin.organization.id;
    const needles = [p.mark, p.phone.replace(/\D/g, '').slice(-7)];
    const before = await ctx().shards.withTenant(orgId, (tx) => findText(tx, [p.mark]));
    expect(before).toEqual(
      expect.arrayContaining(['leads.first_name', 'contacts.email', 'activities.body', 'audit_log.changes']),
    );
    const found = await api.call('GET', `/api/v1/search?q=${p.mark}first`, { token: admin.token });
    expect(found.status).toBe(200);
    expect(JSON.stringify(found.data)).toContain(p.leadId);

    const erased = await api.call('POST', `/api/v1/privacy/people/lead/${p.leadId}/erase`, { token: admin.token });
    expect(erased.status, JSON.stringify(erased.data)).toBe(200);
    expect(erased.data).toMatchObject({ type: 'lead', id: p.leadId, leadIds: [p.leadId], contactIds: [p.contactId] });
    expect(erased.data.activityIds.sort()).toEqual([p.emailActivity, p.note].sort());
    expect(erased.data.attachmentIds).toHaveLength(2);

    const left = await ctx().shards.withTenant(orgId, (tx) => findText(tx, needles));
    expect(left).toEqual([]);
    const after = await api.call('GET', `/api/v1/search?q=${p.mark}first`, { token: admin.token });
    expect(after.status).toBe(200);
    expect(JSON.stringify(after.data)).not.toContain(p.leadId);
    expect(JSON.stringify(after.data)).not.toContain(p.contactId);

    const lead = await api.call('GET', `/api/v1/leads/${p.leadId}`, { token: admin.token });
    expect(lead.data).toMatchObject({ firstName: 'Erased', lastName: 'Erased', email: null, phone: null });
    const contact = await api.call('GET', `/api/v1/contacts/${p.contactId}`, { token: admin.token });
    expect(contact.data).toMatchObject({ firstName: 'Erased', email: null, title: null });
    const deal = await api.call('GET', `/api/v1/deals/${p.dealId}`, { token: admin.token });
    expect(deal.data.contactId).toBe(p.contactId);
    const files = await api.call('GET', `/api/v1/leads/${p.leadId}/attachments`, { token: admin.token });
    expect(files.data.data).toEqual([]);

    const audit = await ctx().shards.withTenant(orgId, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, orgId), eq(auditLog.targetId, p.leadId))),
    );
    const tombstones = audit.filter((e) => e.action !== 'privacy.erased');
    expect(tombstones.map((e) => e.action)).toEqual(expect.arrayContaining(['lead.created', 'lead.updated']));
    for (const e of tombstones) expect(e).toMatchObject({ changes: null, ip: null, userAgent: null });
    const record = audit.find((e) => e.action === 'privacy.erased');
    expect(record?.changes).toMatchObject({ leadIds: [p.leadId], contactIds: [p.contactId] });
  });

  it('starting from the contact erases the lead it came from too', async () => {
    const p = await seedPerson(admin);
    const erased = await api.call('POST', `/api/v1/privacy/people/contact/${p.contactId}/erase`, {
      token: admin.token,
    });
    expect(erased.status, JSON.stringify(erased.data)).toBe(200);
    expect(erased.data).toMatchObject({ leadIds: [p.leadId], contactIds: [p.contactId] });
    const left = await ctx().shards.withTenant(admin.organization.id, (tx) => findText(tx, [p.mark]));
    expect(left).toEqual([]);
  });

  it('erases what a lead-capture form took from them, keeping only that consent was given and when', async () => {
    const site = 'https://shop.example';
    const form = await api.call('POST', '/api/v1/forms', {
      token: admin.token,
      body: {
        name: 'Newsletter',
        fields: [
          { name: 'name', label: 'Name', type: 'text', required: true, leadField: 'firstName' },
          { name: 'email', label: 'Email', type: 'email', required: true, leadField: 'email' },
          { name: 'note', label: 'Anything else?', type: 'text' },
        ],
        consentText: 'Send me the newsletter.',
        consentRequired: true,
        allowedOrigins: [site],
      },
    });
    expect(form.status, JSON.stringify(form.data)).toBe(201);
    const mark = `zf${Math.random().toString(36).slice(2, 10)}`;
    const sent = await api.call('POST', `/forms/${form.data.publicId}/submissions`, {
      body: { name: mark, email: `${mark}@mail.example`, note: `${mark} call me`, consent: true },
      headers: { origin: site, referer: `${site}/${mark}`, 'user-agent': `${mark}-browser` },
    });
    expect(sent.status, JSON.stringify(sent.data)).toBeLessThan(300);
    const orgId = admin.organization.id;
    const [submission] = await ctx().shards.withTenant(orgId, (tx) =>
      tx.select().from(formSubmissions).where(eq(formSubmissions.id, sent.data.submission.id)),
    );
    expect(submission).toBeDefined();
    const erased = await api.call('POST', `/api/v1/privacy/people/lead/${submission!.leadId}/erase`, {
      token: admin.token,
    });
    expect(erased.status, JSON.stringify(erased.data)).toBe(200);
    expect(await ctx().shards.withTenant(orgId, (tx) => findText(tx, [mark]))).toEqual([]);
    const [after] = await ctx().shards.withTenant(orgId, (tx) =>
      tx.select().from(formSubmissions).where(eq(formSubmissions.id, submission!.id)),
    );
    expect(after).toMatchObject({ values: {}, ip: null, userAgent: null, pageUrl: null, consentGiven: true });
    expect(after?.consentGivenAt).toBeInstanceOf(Date);
  });

  it('is for admins only; another organization gets 404; unknown type or bad id is 400', async () => {
    const leadId = await make(api, admin.token, '/api/v1/leads', { firstName: 'Keep' });
    for (const role of ['manager', 'sales_rep', 'viewer']) {
      const member = await api.member(admin.token, role);
      const refused = await api.call('POST', `/api/v1/privacy/people/lead/${leadId}/erase`, { token: member.token });
      expectError(refused, 403, 'forbidden');
    }
    const other = await api.signup('erase-other');
    const hidden = await api.call('POST', `/api/v1/privacy/people/lead/${leadId}/erase`, { token: other.token });
    expectError(hidden, 404, 'not_found');
    const wrongType = await api.call('POST', `/api/v1/privacy/people/contact/${leadId}/erase`, { token: admin.token });
    expectError(wrongType, 404, 'not_found');
    expectError(await api.call('POST', `/api/v1/privacy/people/company/${leadId}/erase`, { token: admin.token }), 400);
    expectError(await api.call('POST', '/api/v1/privacy/people/lead/nope/erase', { token: admin.token }), 400);
    const lead = await api.call('GET', `/api/v1/leads/${leadId}`, { token: admin.token });
    expect(lead.data.firstName).toBe('Keep');
  });
});
