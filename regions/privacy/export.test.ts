import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { attach, make } from './test-helpers.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('pexport');
});
afterAll(() => stack?.stop());

const exportOf = (type: string, id: string, token = admin.token) =>
  api.call('GET', `/api/v1/privacy/people/${type}/${id}/export`, { token });

describe('exporting a person', () => {
  it('returns the record, activities, consent, deals, attachments and audit entries, and audits the export', async () => {
    const contactId = await make(api, admin.token, '/api/v1/contacts', {
      firstName: 'Ada',
      email: `${api.unique('ada')}@mail.example`,
      marketingEmailConsent: true,
      consentSource: 'web_form',
    });
    const withdrawn = await api.call('PATCH', `/api/v1/contacts/${contactId}`, {
      token: admin.token,
      body: { marketingEmailConsent: false, consentSource: 'phone' },
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.data)).toBe(200);
    const emailId = await make(api, admin.token, '/api/v1/activities', {
      type: 'email',
      subject: 'Hello',
      body: 'Dear Ada',
      emailDirection: 'outbound',
      emailFrom: 'rep@org.example',
      emailTo: ['ada@mail.example'],
      contactId,
    });
    const dealId = await make(api, admin.token, '/api/v1/deals', { name: 'Ada deal', contactId });
    const file = await attach(stack, admin.token, `/api/v1/contacts/${contactId}`);

    const reply = await exportOf('contact', contactId);
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    const doc = reply.data;
    expect(doc).toMatchObject({ type: 'contact', id: contactId, leads: [] });
    expect(doc.contacts.map((c: { id: string }) => c.id)).toEqual([contactId]);
    expect(doc.activities).toEqual([
      expect.objectContaining({ id: emailId, body: 'Dear Ada', emailTo: ['ada@mail.example'] }),
    ]);
    expect(doc.deals.map((d: { id: string }) => d.id)).toEqual([dealId]);
    expect(doc.attachments.map((a: { id: string }) => a.id)).toEqual([file.id]);
    expect(doc.consents.current).toEqual([
      { contactId, marketingEmailConsent: false, consentGivenAt: null, consentSource: null },
    ]);
    expect(doc.consents.history.length).toBeGreaterThanOrEqual(1);
    const actions = doc.audit.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['contact.created', 'contact.updated', 'activity.created']));

    const audit = await api.call('GET', `/api/v1/audit-log?targetId=${contactId}`, { token: admin.token });
    expect(audit.status).toBe(200);
    expect(audit.data.data.map((e: { action: string }) => e.action)).toContain('privacy.exported');
  });

  it('a lead export includes the contact it was converted into', async () => {
    const leadId = await make(api, admin.token, '/api/v1/leads', {
      firstName: 'Grace',
      company: `Navy ${api.unique('co')}`,
    });
    const converted = await api.call('POST', `/api/v1/leads/${leadId}/convert`, { token: admin.token, body: {} });
    expect(converted.status, JSON.stringify(converted.data)).toBe(201);
    const doc = (await exportOf('lead', leadId)).data;
    expect(doc.leads.map((l: { id: string }) => l.id)).toEqual([leadId]);
    expect(doc.contacts).toHaveLength(1);
    expect(doc.contacts[0].leadId).toBe(leadId);
  });

  it('needs data:export; sales reps and viewers are refused; other organizations and wrong types get 404', async () => {
    const leadId = await make(api, admin.token, '/api/v1/leads', { firstName: 'Kept' });
    const manager = await api.member(admin.token, 'manager');
    expect((await exportOf('lead', leadId, manager.token)).status).toBe(200);
    for (const role of ['sales_rep', 'viewer']) {
      const member = await api.member(admin.token, role);
      expectError(await exportOf('lead', leadId, member.token), 403, 'forbidden');
    }
    const other = await api.signup('pexport-other');
    expectError(await exportOf('lead', leadId, other.token), 404, 'not_found');
    expectError(await exportOf('contact', leadId), 404, 'not_found');
    expectError(await exportOf('deal', leadId), 400);
    expectError(await exportOf('lead', 'not-a-uuid'), 400);
  });
});
