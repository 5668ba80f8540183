import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { trailOf } from '../companies/testing.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let org: Session;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  org = await api.signup('consent');
});
afterAll(() => stack?.stop());

const consentRows = async (contactId: string) =>
  (await trailOf(stack, org, contactId)).audit.filter((a) => a.action.startsWith('contact.consent_'));

const patch = (id: string, body: Record<string, unknown>, token = org.token) =>
  api.call('PATCH', `/api/v1/contacts/${id}`, { token, body });

describe('marketing email consent', () => {
  it('records when and how consent was given, on the server clock, and audits it with its source', async () => {
    const before = Date.now();
    const made = await api.call('POST', '/api/v1/contacts', {
      token: org.token,
      body: { firstName: 'Ada', email: 'ada@example.com', marketingEmailConsent: true, consentSource: 'web_form' },
      headers: { 'user-agent': 'consent-suite' },
    });
    const after = Date.now();
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.data).toMatchObject({ marketingEmailConsent: true, consentSource: 'web_form' });
    const givenAt = Date.parse(made.data.consentGivenAt);
    expect(givenAt).toBeGreaterThanOrEqual(before - 1000);
    expect(givenAt).toBeLessThanOrEqual(after + 1000);

    const [row] = await consentRows(made.data.id);
    expect(row).toMatchObject({
      action: 'contact.consent_given',
      actorType: 'user',
      actorId: org.user.id,
      targetType: 'contact',
      userAgent: 'consent-suite',
      changes: { marketingEmailConsent: [false, true], consentSource: 'web_form', at: made.data.consentGivenAt },
    });
  });

  it('clears consent and its time when withdrawn, auditing the withdrawal with its source; giving it again re-stamps it', async () => {
    const made = await api.call('POST', '/api/v1/contacts', {
      token: org.token,
      body: { firstName: 'Grace', marketingEmailConsent: true, consentSource: 'import' },
    });
    const { id } = made.data;
    const withdrawn = await patch(id, { marketingEmailConsent: false, consentSource: 'unsubscribe_link' });
    expect(withdrawn.status, JSON.stringify(withdrawn.data)).toBe(200);
    expect(withdrawn.data).toMatchObject({
      marketingEmailConsent: false,
      consentSource: null,
      consentGivenAt: null,
      version: 2,
    });

    // Asking for the state it is already in is no change at all: no version, no audit row.
    expect((await patch(id, { marketingEmailConsent: false })).data.version).toBe(2);

    const regiven = await patch(id, { marketingEmailConsent: true, consentSource: 'verbal' });
    expect(regiven.data).toMatchObject({ marketingEmailConsent: true, consentSource: 'verbal', version: 3 });
    expect(Date.parse(regiven.data.consentGivenAt)).toBeGreaterThan(Date.parse(made.data.consentGivenAt));
    // Re-sending consent keeps the date of the original agreement.
    expect((await patch(id, { marketingEmailConsent: true, consentSource: 'web_form' })).data).toMatchObject({
      consentSource: 'verbal',
      consentGivenAt: regiven.data.consentGivenAt,
      version: 3,
    });

    const withdrawnWithoutSource = await patch(id, { marketingEmailConsent: false });
    expect(withdrawnWithoutSource.data).toMatchObject({ marketingEmailConsent: false, version: 4 });

    const rows = await consentRows(id);
    expect(rows.map((r) => [r.action, (r.changes as { consentSource: string | null }).consentSource])).toEqual([
      ['contact.consent_given', 'import'],
      ['contact.consent_withdrawn', 'unsubscribe_link'],
      ['contact.consent_given', 'verbal'],
      ['contact.consent_withdrawn', null],
    ]);
    // The contact's own update rows carry the consent columns too, so the history reads either way.
    const updates = (await trailOf(stack, org, id)).audit.filter((a) => a.action === 'contact.updated');
    expect(updates[0]!.changes).toMatchObject({
      marketingEmailConsent: [true, false],
      consentSource: ['import', null],
      consentGivenAt: [made.data.consentGivenAt, null],
    });
  });

  it('refuses consent without a source, a source without consent, and a client-set timestamp', async () => {
    const contact = await api.call('POST', '/api/v1/contacts', { token: org.token, body: { firstName: 'Alan' } });
    const { id } = contact.data;
    for (const body of [
      { marketingEmailConsent: true },
      { marketingEmailConsent: true, consentSource: '' },
      { marketingEmailConsent: true, consentSource: null },
      { consentSource: 'verbal' },
      { marketingEmailConsent: true, consentSource: 'web_form', consentGivenAt: '2020-01-01T00:00:00.000Z' },
      { marketingEmailConsent: 'true', consentSource: 'web_form' },
      { marketingEmailConsent: true, consentSource: 'x'.repeat(101) },
    ]) {
      const reply = await patch(id, body);
      expectError(reply, 400, 'validation_failed', JSON.stringify(body));
    }
    expect(await consentRows(id)).toEqual([]);
    expect((await api.call('GET', `/api/v1/contacts/${id}`, { token: org.token })).data).toMatchObject({
      marketingEmailConsent: false,
      version: 1,
    });
  });

  it('audits consent a sales rep records on their own contact, as them', async () => {
    const rep = await api.member(org.token, 'sales_rep');
    const made = await api.call('POST', '/api/v1/contacts', { token: rep.token, body: { firstName: 'Barbara' } });
    const given = await patch(made.data.id, { marketingEmailConsent: true, consentSource: 'verbal' }, rep.token);
    expect(given.status).toBe(200);
    expect(await consentRows(made.data.id)).toEqual([
      expect.objectContaining({ action: 'contact.consent_given', actorId: rep.user.id }),
    ]);
  });
});
