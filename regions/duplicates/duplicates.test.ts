import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { insertCompany, insertContact, newLead, type Session } from '../conversion/fixtures.ts';

type Member = { token: string; user: { id: string } };
type Candidate = { type: string; id: string; score: number; reasons: { code: string; message: string }[] };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ edge: { apiKeyCacheSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const leadDuplicates = (token: string, id: string) => api.call('GET', `/api/v1/leads/${id}/duplicates`, { token });
const contactDuplicates = (token: string, id: string) =>
  api.call('GET', `/api/v1/contacts/${id}/duplicates`, { token });
const candidates = (reply: Reply): Candidate[] => {
  expect(reply.status, JSON.stringify(reply.data)).toBe(200);
  return reply.data.data;
};
const ids = (reply: Reply) => candidates(reply).map((c) => c.id);
const codes = (reply: Reply, id: string) =>
  candidates(reply)
    .find((c) => c.id === id)
    ?.reasons.map((r) => r.code);

describe('GET /api/v1/leads/{id}/duplicates', () => {
  it('finds leads and contacts with the same email, the same phone or a similar name at a similar company', async () => {
    const org = await api.signup('dupes');
    const domain = `${api.unique('navy')}.example`;
    const subject = await newLead(api, org.token, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: `grace@${domain}`,
      phone: '+1 202 555 0147',
      company: 'US Navy',
    });
    const sameEmail = await newLead(api, org.token, { firstName: 'G', lastName: 'H', email: `GRACE@${domain}` });
    const samePhone = await newLead(api, org.token, { firstName: 'Amazing', phone: '+1 (202) 555-0147' });
    const similar = await newLead(api, org.token, { firstName: 'Grace', lastName: 'Hoper', company: 'US Navy Inc' });
    const everything = await newLead(api, org.token, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: `grace@${domain}`,
      phone: '+1-202-555-0147',
      company: 'US Navy',
    });
    // Not duplicates: the same name elsewhere, a local number without the +, another person at the same company.
    const otherCompany = await newLead(api, org.token, { firstName: 'Grace', lastName: 'Hopper', company: 'Acme' });
    const noPlus = await newLead(api, org.token, { firstName: 'Local', phone: '1 202 555 0147' });
    const colleague = await newLead(api, org.token, { firstName: 'Alan', lastName: 'Turing', company: 'US Navy' });
    const nameOnly = await newLead(api, org.token, { firstName: 'Grace', lastName: 'Hopper' });

    const navy = await insertCompany(stack, org, 'US Navy');
    const contactByEmail = await insertContact(stack, org, {
      firstName: 'Contact',
      email: ` Grace@${domain.toUpperCase()} `,
    });
    const contactByName = await insertContact(stack, org, {
      firstName: 'Grace',
      lastName: 'Hopper',
      companyId: navy.id,
    });
    const contactByPhone = await insertContact(stack, org, { firstName: 'Phone', phone: '+12025550147' });
    const contactUnrelated = await insertContact(stack, org, { firstName: 'Grace', lastName: 'Hopper' });

    const reply = await leadDuplicates(org.token, subject.id);
    const found = candidates(reply);
    expect(found.map((c) => c.id).sort()).toEqual(
      [
        sameEmail.id,
        samePhone.id,
        similar.id,
        everything.id,
        contactByEmail.id,
        contactByName.id,
        contactByPhone.id,
      ].sort(),
    );
    for (const absent of [subject.id, otherCompany.id, noPlus.id, colleague.id, nameOnly.id, contactUnrelated.id]) {
      expect(found.map((c) => c.id)).not.toContain(absent);
    }
    expect(codes(reply, sameEmail.id)).toEqual(['same_email']);
    expect(codes(reply, samePhone.id)).toEqual(['same_phone']);
    expect(codes(reply, similar.id)).toEqual(['similar_name_and_company']);
    expect(codes(reply, everything.id)).toEqual(['same_email', 'same_phone', 'similar_name_and_company']);
    expect(codes(reply, contactByEmail.id)).toEqual(['same_email']);
    expect(codes(reply, contactByName.id)).toEqual(['similar_name_and_company']);
    expect(codes(reply, contactByPhone.id)).toEqual(['same_phone']);
    expect(found.find((c) => c.id === contactByName.id)).toMatchObject({
      type: 'contact',
      firstName: 'Grace',
      lastName: 'Hopper',
      company: 'US Navy',
    });
    expect(found.find((c) => c.id === samePhone.id)).toMatchObject({ type: 'lead', phone: '+1 (202) 555-0147' });

    // Best first: all the evidence, then an email, then similar names, then a phone alone.
    expect(found[0]!.id).toBe(everything.id);
    expect(found[0]!.score).toBe(99);
    for (let i = 1; i < found.length; i++) expect(found[i - 1]!.score).toBeGreaterThanOrEqual(found[i]!.score);
    expect(found.find((c) => c.id === sameEmail.id)!.score).toBe(90);
    expect(found.find((c) => c.id === samePhone.id)!.score).toBe(70);
    const similarScore = found.find((c) => c.id === similar.id)!.score;
    expect(similarScore).toBeGreaterThan(36);
    expect(similarScore).toBeLessThan(80);
  });

  it('returns at most 20, the best ones', async () => {
    const org = await api.signup('dupes-many');
    const subject = await newLead(api, org.token, { firstName: 'Many', email: 'many@many.example', phone: '555 0100' });
    for (let i = 0; i < 22; i++) await newLead(api, org.token, { firstName: `Copy ${i}`, email: 'many@many.example' });
    const both = await newLead(api, org.token, { firstName: 'Both', email: 'many@many.example', phone: '5550100' });
    const found = candidates(await leadDuplicates(org.token, subject.id));
    expect(found).toHaveLength(20);
    expect(found[0]!.id).toBe(both.id);
    // Equal scores: newest first.
    const rest = found.slice(1).map((c) => c.id);
    expect(rest).toEqual([...rest].sort().reverse());
  });

  it('finds nothing for a lead with nothing to compare, and never matches a name alone', async () => {
    const org = await api.signup('dupes-none');
    const bare = await newLead(api, org.token, { firstName: 'Bare' });
    await newLead(api, org.token, { firstName: 'Bare' });
    expect(candidates(await leadDuplicates(org.token, bare.id))).toEqual([]);
  });

  it("leaves out the lead's own conversion: its contact is what it became, not a duplicate", async () => {
    const org = await api.signup('dupes-converted');
    const lead = await newLead(api, org.token, { firstName: 'Turned', email: 'turned@conv.example' });
    const converted = await api.call('POST', `/api/v1/leads/${lead.id}/convert`, { token: org.token });
    expect(converted.status).toBe(201);
    const contactId = converted.data.contact.id;
    const twin = await newLead(api, org.token, { firstName: 'Twin', email: 'turned@conv.example' });

    expect(ids(await leadDuplicates(org.token, lead.id))).toEqual([twin.id]);
    expect(ids(await contactDuplicates(org.token, contactId))).toEqual([twin.id]);
    expect(ids(await leadDuplicates(org.token, twin.id)).sort()).toEqual([lead.id, contactId].sort());
  });

  it('shows a new duplicate on the next read: creating a lead invalidates the cached answer', async () => {
    const org = await api.signup('dupes-cache');
    const lead = await newLead(api, org.token, { email: 'cached@cache.example' });
    expect(ids(await leadDuplicates(org.token, lead.id))).toEqual([]);
    expect(ids(await leadDuplicates(org.token, lead.id))).toEqual([]);
    const twin = await newLead(api, org.token, { email: 'cached@cache.example' });
    expect(ids(await leadDuplicates(org.token, lead.id))).toEqual([twin.id]);
  });

  it('refuses a malformed id with 400 and an unknown one with 404', async () => {
    const org = await api.signup('dupes-bad');
    expectError(await leadDuplicates(org.token, 'nope'), 400, 'validation_failed');
    expectError(await contactDuplicates(org.token, 'nope'), 400, 'validation_failed');
    expectError(await leadDuplicates(org.token, '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e'), 404, 'not_found');
    expectError(await contactDuplicates(org.token, '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e'), 404, 'not_found');
    expectError(await api.call('GET', '/api/v1/leads/0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e/duplicates'), 401);
  });
});

describe('GET /api/v1/contacts/{id}/duplicates', () => {
  it("compares a contact's name with its company's name, and its email and phone, against leads and contacts", async () => {
    const org = await api.signup('contact-dupes');
    const company = await insertCompany(stack, org, 'Analytical Engines');
    const subject = await insertContact(stack, org, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@engines.example',
      phone: '+44 20 7946 0958',
      companyId: company.id,
    });
    const lead = await newLead(api, org.token, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines Ltd',
    });
    const contact = await insertContact(stack, org, { firstName: 'A.', email: 'ADA@engines.example' });
    const byPhone = await newLead(api, org.token, { firstName: 'Phone', phone: '+44 (0)20 7946 0958' });
    const reply = await contactDuplicates(org.token, subject.id);
    expect(ids(reply).sort()).toEqual([lead.id, contact.id].sort());
    expect(codes(reply, lead.id)).toEqual(['similar_name_and_company']);
    expect(codes(reply, contact.id)).toEqual(['same_email']);
    // "+44 (0)20…" keeps the 0 of the trunk prefix: a different number as digits go.
    expect(ids(reply)).not.toContain(byPhone.id);
  });
});

describe('duplicates and who may see them', () => {
  let admin: Session;
  let rep: Member;
  let colleague: Member;
  let viewer: Member;

  beforeAll(async () => {
    admin = await api.signup('dupes-roles');
    [rep, colleague, viewer] = await Promise.all([
      api.member(admin.token, 'sales_rep', 'rep'),
      api.member(admin.token, 'sales_rep', 'colleague'),
      api.member(admin.token, 'viewer'),
    ]);
  });

  it("shows a sales rep only their own leads and contacts as duplicates, and 404 for another's record", async () => {
    const email = `${api.unique('shared')}@roles.example`;
    const mine = await newLead(api, rep.token, { email });
    const myOther = await newLead(api, rep.token, { email });
    const theirs = await newLead(api, colleague.token, { email });
    const unassigned = await newLead(api, admin.token, { email });
    const myContact = await insertContact(stack, admin, { email, ownerId: rep.user.id });
    const theirContact = await insertContact(stack, admin, { email, ownerId: colleague.user.id });

    expect(ids(await leadDuplicates(rep.token, mine.id)).sort()).toEqual([myOther.id, myContact.id].sort());
    expect(ids(await contactDuplicates(rep.token, myContact.id)).sort()).toEqual([mine.id, myOther.id].sort());
    expectError(await leadDuplicates(rep.token, theirs.id), 404, 'not_found');
    expectError(await leadDuplicates(rep.token, unassigned.id), 404, 'not_found');
    expectError(await contactDuplicates(rep.token, theirContact.id), 404, 'not_found');

    // Everyone else sees the whole organization.
    for (const reader of [admin, viewer]) {
      expect(ids(await leadDuplicates(reader.token, mine.id)).sort()).toEqual(
        [myOther.id, theirs.id, unassigned.id, myContact.id, theirContact.id].sort(),
      );
    }
  });

  it('shows an API key only the kinds of record it may read', async () => {
    const email = `${api.unique('keyed')}@roles.example`;
    const lead = await newLead(api, admin.token, { email });
    const twin = await newLead(api, admin.token, { email });
    const contact = await insertContact(stack, admin, { email });
    const key = async (scopes: string[]) => {
      const made = await api.call('POST', '/api/v1/api-keys', {
        token: admin.token,
        body: { name: api.unique('k'), scopes },
      });
      return made.data.key as string;
    };
    const leadsOnly = await key(['leads:read']);
    const contactsOnly = await key(['contacts:read']);
    expect(ids(await leadDuplicates(leadsOnly, lead.id))).toEqual([twin.id]);
    expect(ids(await contactDuplicates(contactsOnly, contact.id))).toEqual([]);
    expectError(await contactDuplicates(leadsOnly, contact.id), 403, 'forbidden');
    expectError(await leadDuplicates(contactsOnly, lead.id), 403, 'forbidden');
  });
});

describe('duplicates across organizations', () => {
  it("never offers another organization's record, nor answers for one", async () => {
    const [orgA, orgB, orgEu] = await Promise.all([
      api.signup('dupes-iso-a'),
      api.signup('dupes-iso-b'),
      api.signup('dupes-iso-eu', { region: 'eu' }),
    ]);
    const person = {
      firstName: 'Isolated',
      lastName: 'Person',
      email: `${api.unique('iso')}@iso.example`,
      phone: '+1 555 0199',
      company: 'Same Co',
    };
    const leadA = await newLead(api, orgA.token, person);
    const contactA = await insertContact(stack, orgA, { email: person.email });
    const leadB = await newLead(api, orgB.token, person);
    const contactB = await insertContact(stack, orgB, { email: person.email, phone: person.phone });
    const leadEu = await newLead(api, orgEu.token, person);

    expect(ids(await leadDuplicates(orgA.token, leadA.id))).toEqual([contactA.id]);
    expect(ids(await leadDuplicates(orgB.token, leadB.id))).toEqual([contactB.id]);
    expect(ids(await leadDuplicates(orgEu.token, leadEu.id))).toEqual([]);
    for (const foreigner of [orgB, orgEu]) {
      expectError(await leadDuplicates(foreigner.token, leadA.id), 404, 'not_found');
      expectError(await contactDuplicates(foreigner.token, contactA.id), 404, 'not_found');
    }
  });
});

describe('Possible-Duplicates on POST /api/v1/leads', () => {
  it('counts the likely duplicates the creator can see, and repeats the count on an idempotent replay', async () => {
    const org = await api.signup('dupes-header');
    const rep = await api.member(org.token, 'sales_rep');
    const email = `${api.unique('header')}@header.example`;
    const create = (token: string, body: Record<string, unknown>, key?: string) =>
      api.call('POST', '/api/v1/leads', { token, body, headers: key ? { 'idempotency-key': key } : {} });

    const first = await create(org.token, { firstName: 'First', email });
    expect(first.status).toBe(201);
    expect(first.headers.get('possible-duplicates')).toBe('0');
    const second = await create(org.token, { firstName: 'Second', email: email.toUpperCase() });
    expect(second.headers.get('possible-duplicates')).toBe('1');
    await insertContact(stack, org, { email });
    const key = api.unique('key');
    const third = await create(org.token, { firstName: 'Third', phone: '+1 555 0100', email }, key);
    expect(third.headers.get('possible-duplicates')).toBe('3');
    const replay = await create(org.token, { firstName: 'Third', phone: '+1 555 0100', email }, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('possible-duplicates')).toBe('3');

    // A rep counts only what they can see: their own leads and contacts.
    const repLead = await create(rep.token, { firstName: 'Rep', email });
    expect(repLead.headers.get('possible-duplicates')).toBe('0');
    expect((await create(rep.token, { firstName: 'Rep again', email })).headers.get('possible-duplicates')).toBe('1');
  });
});
