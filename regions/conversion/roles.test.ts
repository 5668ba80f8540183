import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { insertCompany, newLead, type Session, stored, storedLead } from './fixtures.ts';

type Member = { token: string; user: { id: string } };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: Session;
let manager: Member;
let rep: Member;
let colleague: Member;
let viewer: Member;
let orgB: Session;
let orgEu: Session;

beforeAll(async () => {
  stack = await startTestStack({ edge: { apiKeyCacheSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
  [admin, orgB, orgEu] = await Promise.all([
    api.signup('convert-roles'),
    api.signup('convert-roles-b'),
    api.signup('convert-roles-eu', { region: 'eu' }),
  ]);
  [manager, rep, colleague, viewer] = await Promise.all([
    api.member(admin.token, 'manager'),
    api.member(admin.token, 'sales_rep', 'rep'),
    api.member(admin.token, 'sales_rep', 'colleague'),
    api.member(admin.token, 'viewer'),
  ]);
});
afterAll(() => stack?.stop());

const convert = (token: string, id: string, body?: unknown) =>
  api.call('POST', `/api/v1/leads/${id}/convert`, { token, body });
const deal = { name: 'Deal', amount: '10', currency: 'USD' };

async function newKey(scopes: string[]) {
  const made = await api.call('POST', '/api/v1/api-keys', {
    token: admin.token,
    body: { name: api.unique('k'), scopes },
  });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data.key as string;
}

describe('converting leads by role', () => {
  it('lets admins and managers convert any lead, a rep’s included', async () => {
    for (const actor of [admin, manager]) {
      const byRep = await newLead(api, rep.token, { company: 'Rep Co' });
      const reply = await convert(actor.token, byRep.id, { deal });
      expect(reply.status, JSON.stringify(reply.data)).toBe(201);
      // The new records stay with the lead's owner unless told otherwise.
      expect(reply.data.contact.ownerId).toBe(rep.user.id);
      expect(reply.data.deal.ownerId).toBe(rep.user.id);
    }
  });

  it('lets a sales rep convert their own leads only: another’s or an unassigned one is 404', async () => {
    const own = await newLead(api, rep.token, { company: 'Own Co' });
    const reply = await convert(rep.token, own.id, { deal });
    expect(reply.status, JSON.stringify(reply.data)).toBe(201);
    expect(reply.data.contact.ownerId).toBe(rep.user.id);

    const theirs = await newLead(api, colleague.token, { company: 'Theirs Co' });
    const unassigned = await newLead(api, admin.token, { company: 'Nobody Co' });
    const before = await stored(stack, admin);
    for (const lead of [theirs, unassigned]) {
      expectError(await convert(rep.token, lead.id), 404, 'not_found');
      expectError(await convert(rep.token, lead.id, { deal }), 404, 'not_found');
    }
    expect(await stored(stack, admin)).toEqual(before);
    expect((await storedLead(stack, admin, theirs.id))!.status).toBe('new');
  });

  it('does not let a sales rep hand the new records to someone else', async () => {
    const own = await newLead(api, rep.token);
    expectError(await convert(rep.token, own.id, { ownerId: colleague.user.id }), 403, 'forbidden');
    expectError(await convert(rep.token, own.id, { ownerId: null }), 403, 'forbidden');
    expect((await convert(rep.token, own.id, { ownerId: rep.user.id })).status).toBe(201);
  });

  it('refuses viewers with 403 and makes nothing', async () => {
    const lead = await newLead(api, admin.token, { company: 'Viewed Co' });
    const before = await stored(stack, admin);
    expectError(await convert(viewer.token, lead.id), 403, 'forbidden');
    expectError(await convert(viewer.token, lead.id, { deal }), 403, 'forbidden');
    expect(await stored(stack, admin)).toEqual(before);
  });

  it('asks API keys for exactly the permissions the conversion uses', async () => {
    const base = ['leads:read', 'leads:update', 'contacts:create'];
    const contactsOnly = await newKey(base);
    const withDeals = await newKey([...base, 'deals:create']);
    const withCompanies = await newKey([...base, 'companies:create']);
    const leadsOnly = await newKey(['leads:read', 'leads:update']);

    expectError(await convert(leadsOnly, (await newLead(api, admin.token)).id), 403, 'forbidden');
    expect((await convert(contactsOnly, (await newLead(api, admin.token)).id)).status).toBe(201);
    expectError(await convert(contactsOnly, (await newLead(api, admin.token)).id, { deal }), 403, 'forbidden');
    expect((await convert(withDeals, (await newLead(api, admin.token)).id, { deal })).status).toBe(201);

    // Making a company needs companies:create; linking one that exists does not.
    const domain = `${api.unique('keyco')}.example`;
    const makes = await newLead(api, admin.token, { email: `a@${domain}`, company: 'Key Co' });
    const before = await stored(stack, admin);
    expectError(await convert(contactsOnly, makes.id), 403, 'forbidden');
    expect(await stored(stack, admin)).toEqual(before);
    expect((await convert(withCompanies, makes.id)).data.company).toMatchObject({ domain, name: 'Key Co' });
    const existing = await insertCompany(stack, admin, 'Linked Co', `${api.unique('linked')}.example`);
    const links = await newLead(api, admin.token, { email: `b@${existing.domain}`, company: 'Linked' });
    const linked = await convert(contactsOnly, links.id);
    expect(linked.status).toBe(201);
    expect(linked.data.company.id).toBe(existing.id);
  });
});

describe('conversion and other organizations', () => {
  it("answers 404 to another organization converting A's lead, in either region, and leaves it alone", async () => {
    const lead = await newLead(api, admin.token, { company: 'Private Co' });
    const before = await storedLead(stack, admin, lead.id);
    for (const foreigner of [orgB, orgEu]) {
      expectError(await convert(foreigner.token, lead.id), 404, 'not_found');
      expectError(await convert(foreigner.token, lead.id, { deal }), 404, 'not_found');
    }
    expect(await storedLead(stack, admin, lead.id)).toEqual(before);
  });

  it("never links another organization's company, pipeline or user", async () => {
    const domain = `${api.unique('shared')}.example`;
    const theirs = await insertCompany(stack, orgB, 'B Co', domain);
    const lead = await newLead(api, admin.token, { email: `x@${domain}`, company: 'A Co' });
    const reply = await convert(admin.token, lead.id);
    expect(reply.status).toBe(201);
    expect(reply.data.company.id).not.toBe(theirs.id);
    expect(reply.data.company).toMatchObject({ name: 'A Co', domain });

    const another = await newLead(api, admin.token);
    expectError(await convert(admin.token, another.id, { ownerId: orgB.user.id }), 400, 'unknown_owner');
  });
});
