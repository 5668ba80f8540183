import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  type Activity,
  type Api,
  ids,
  insertRecord,
  newActivity,
  newLead,
  type Session,
  storedActivities,
} from './fixtures.ts';

type Member = { token: string; user: { id: string } };
type Records = { leadId: string; contactId: string; companyId: string; dealId: string };

let stack: TestStack;
let api: Api;
let orgA: Session;
let orgB: Session;
let orgEu: Session;
let rep: Member;
let colleague: Member;
/** Records of A: the rep's own, and the colleague's. */
let repOwn: Records;
let colleagues: Records;
/** Records of B and of the organization in the other region. */
let foreignB: Records;
let foreignEu: Records;

async function recordsOf(org: Session, ownerId: string, token: string): Promise<Records> {
  return {
    leadId: await newLead(api, token, { ownerId }),
    contactId: await insertRecord(stack, org, 'contact', ownerId),
    companyId: await insertRecord(stack, org, 'company', ownerId),
    dealId: await insertRecord(stack, org, 'deal', ownerId),
  };
}

const things = ['lead', 'contact', 'company', 'deal'] as const;
const field = (thing: (typeof things)[number]) => `${thing}Id` as keyof Records;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  [orgA, orgB, orgEu] = await Promise.all([
    api.signup('links-a'),
    api.signup('links-b'),
    api.signup('links-eu', { region: 'eu' }),
  ]);
  [rep, colleague] = await Promise.all([
    api.member(orgA.token, 'sales_rep', 'rep'),
    api.member(orgA.token, 'sales_rep', 'colleague'),
  ]);
  repOwn = await recordsOf(orgA, rep.user.id, orgA.token);
  colleagues = await recordsOf(orgA, colleague.user.id, orgA.token);
  foreignB = await recordsOf(orgB, orgB.user.id, orgB.token);
  foreignEu = await recordsOf(orgEu, orgEu.user.id, orgEu.token);
});
afterAll(() => stack?.stop());

const create = (token: string, body: Record<string, unknown>) =>
  api.call('POST', '/api/v1/activities', { token, body: { type: 'note', body: 'Linked note', ...body } });

describe('links to leads, contacts, companies and deals', () => {
  it('accepts any record of the organization from an admin, all four at once', async () => {
    const all = await newActivity(api, orgA.token, { type: 'task', subject: 'Everything', ...colleagues });
    expect(all).toMatchObject(colleagues);
    for (const thing of things) {
      const one = await newActivity(api, orgA.token, {
        type: 'call',
        subject: thing,
        [field(thing)]: repOwn[field(thing)],
      });
      expect(one[field(thing)]).toBe(repOwn[field(thing)]);
    }
  });

  it("refuses another organization's records, in either region, as unknown — and stores nothing", async () => {
    const before = (await storedActivities(stack, orgA)).length;
    for (const foreign of [foreignB, foreignEu]) {
      for (const thing of things) {
        const reply = await create(orgA.token, { [field(thing)]: foreign[field(thing)] });
        expectError(reply, 400, `unknown_${thing}`, thing);
        expect(reply.data.error.details).toEqual([{ path: field(thing), message: `No such ${thing} visible to you` }]);
        // Alongside a valid link it is refused all the same.
        expectError(
          await create(orgA.token, { leadId: colleagues.leadId, [field(thing)]: foreign[field(thing)] }),
          400,
          `unknown_${thing}`,
        );
      }
    }
    expect((await storedActivities(stack, orgA)).length).toBe(before);
  });

  it('answers the same to an id that exists nowhere', async () => {
    for (const thing of things) {
      expectError(
        await create(orgA.token, { [field(thing)]: '0193a5f4-0000-7000-8000-00000000abcd' }),
        400,
        `unknown_${thing}`,
      );
    }
  });

  it("lets a sales rep link their own leads, contacts and deals and any company, never a colleague's", async () => {
    const own = await newActivity(api, rep.token, { type: 'task', subject: 'Mine', ...repOwn });
    expect(own).toMatchObject({ ...repOwn, ownerId: rep.user.id });
    const sharedCompany = await newActivity(api, rep.token, {
      type: 'task',
      subject: 'Shared company',
      companyId: colleagues.companyId,
    });
    expect(sharedCompany.companyId).toBe(colleagues.companyId);
    for (const thing of ['lead', 'contact', 'deal'] as const) {
      expectError(await create(rep.token, { [field(thing)]: colleagues[field(thing)] }), 400, `unknown_${thing}`);
    }
    for (const thing of things) {
      expectError(await create(rep.token, { [field(thing)]: foreignB[field(thing)] }), 400, `unknown_${thing}`);
    }
  });

  it('checks a changed link the same way, and leaves the activity as it was when refusing', async () => {
    const own = await newActivity(api, rep.token, { type: 'task', subject: 'Relink', leadId: repOwn.leadId });
    const path = `/api/v1/activities/${own.id}`;
    for (const [body, code] of [
      [{ leadId: colleagues.leadId }, 'unknown_lead'],
      [{ contactId: colleagues.contactId }, 'unknown_contact'],
      [{ dealId: foreignB.dealId }, 'unknown_deal'],
      [{ companyId: foreignEu.companyId }, 'unknown_company'],
    ] as const) {
      expectError(await api.call('PATCH', path, { token: rep.token, body }), 400, code, JSON.stringify(body));
    }
    const reread = await api.call('GET', path, { token: rep.token });
    expect(reread.data).toMatchObject({ leadId: repOwn.leadId, contactId: null, dealId: null, version: 1 });
    const relinked = await api.call('PATCH', path, {
      token: rep.token,
      body: { dealId: repOwn.dealId, companyId: colleagues.companyId },
    });
    expect(relinked.data).toMatchObject({ dealId: repOwn.dealId, companyId: colleagues.companyId, version: 2 });
    // A link kept as it was is not checked again, even once its record moved to a colleague.
    const lead = await newLead(api, orgA.token, { ownerId: rep.user.id });
    const kept = await newActivity(api, rep.token, { type: 'task', subject: 'Kept', leadId: lead });
    await api.call('PATCH', `/api/v1/leads/${lead}`, { token: orgA.token, body: { ownerId: colleague.user.id } });
    const edited = await api.call('PATCH', `/api/v1/activities/${kept.id}`, {
      token: rep.token,
      body: { subject: 'Still mine', leadId: lead },
    });
    expect(edited.status, JSON.stringify(edited.data)).toBe(200);
  });

  it('treats a record an API key may not read as unknown to it', async () => {
    const keyOf = async (scopes: string[]) => {
      const made = await api.call('POST', '/api/v1/api-keys', {
        token: orgA.token,
        body: { name: api.unique('key'), scopes },
      });
      expect(made.status, JSON.stringify(made.data)).toBe(201);
      return made.data.key as string;
    };
    const narrow = await keyOf(['activities:create', 'activities:read']);
    for (const thing of things) {
      expectError(await create(narrow, { [field(thing)]: colleagues[field(thing)] }), 400, `unknown_${thing}`);
    }
    const wide = await keyOf(['activities:create', 'activities:read', 'leads:read', 'companies:read']);
    const made = await newActivity(api, wide, { type: 'task', subject: 'By key', leadId: colleagues.leadId });
    // An API key is nobody: what it creates starts unowned unless it names an owner.
    expect(made).toMatchObject({ ownerId: null, createdBy: expect.any(String) });
    expect((await create(wide, { companyId: colleagues.companyId })).status).toBe(201);
    expectError(await create(wide, { contactId: colleagues.contactId }), 400, 'unknown_contact');
  });
});

describe("another organization and A's activity", () => {
  let activity: Activity;

  beforeAll(async () => {
    activity = await newActivity(api, orgA.token, {
      type: 'task',
      subject: 'Isolation probe',
      dueAt: '2030-01-01T00:00:00Z',
      ...colleagues,
    });
  });

  it('answers 404 to GET, PATCH and DELETE by id, from either region', async () => {
    const path = `/api/v1/activities/${activity.id}`;
    for (const other of [orgB, orgEu]) {
      expectError(await api.call('GET', path, { token: other.token }), 404, 'not_found');
      expectError(await api.call('PATCH', path, { token: other.token, body: { done: true } }), 404, 'not_found');
      expectError(
        await api.call('PATCH', path, {
          token: other.token,
          body: { subject: 'Mine' },
          headers: { 'if-match': '"v1"' },
        }),
        404,
        'not_found',
      );
      expectError(await api.call('DELETE', path, { token: other.token }), 404, 'not_found');
    }
    const reread = await api.call('GET', path, { token: orgA.token });
    expect(reread.data).toEqual(activity);
  });

  it('never lists it, whatever the filters name', async () => {
    const queries = [
      '',
      '?type=task',
      `?ownerId=${orgA.user.id}`,
      `?leadId=${colleagues.leadId}`,
      `?contactId=${colleagues.contactId}`,
      `?companyId=${colleagues.companyId}`,
      `?dealId=${colleagues.dealId}`,
      '?done=false&dueBefore=2031-01-01T00:00:00Z',
      '?limit=200',
    ];
    for (const other of [orgB, orgEu]) {
      for (const query of queries) {
        const list = await api.call('GET', `/api/v1/activities${query}`, { token: other.token });
        expect(list.status, query).toBe(200);
        expect(ids(list.data.data), query).not.toContain(activity.id);
        if (query.includes('Id=')) expect(list.data.data, query).toEqual([]);
      }
      const tasks = await api.call('GET', '/api/v1/me/tasks?view=overdue', { token: other.token });
      expect(ids(tasks.data.data)).not.toContain(activity.id);
    }
  });
});
