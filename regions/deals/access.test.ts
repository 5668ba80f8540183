import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type Reply } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  type Api,
  createPipeline,
  defaultPipeline,
  eventsOf,
  insertCompany,
  insertContact,
  type Pipeline,
  type Session,
  stageNamed,
} from '../pipelines/fixtures.ts';

type Member = { token: string; user: { id: string } };
type Deal = Record<string, any> & { id: string };

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const ids = (reply: Reply) => (reply.data.data as { id: string }[]).map((d) => d.id);

async function newDeal(token: string, body: Record<string, unknown> = {}): Promise<Deal> {
  const made = await api.call('POST', '/api/v1/deals', { token, body: { name: api.unique('deal'), ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data;
}

/** Every way to touch one deal by id; each must answer `status` to a caller who may not see it. */
function touchDeal(token: string, id: string, stageId: string) {
  const path = `/api/v1/deals/${id}`;
  return Promise.all([
    api.call('GET', path, { token }),
    api.call('PATCH', path, { token, body: { name: 'Taken' } }),
    api.call('PATCH', path, { token, body: { stageId }, headers: { 'if-match': '"v1"' } }),
    api.call('DELETE', path, { token }),
    api.call('POST', `${path}/won`, { token, body: { reason: 'Mine' } }),
    api.call('POST', `${path}/lost`, { token, body: { reason: 'Mine' } }),
    api.call('GET', `${path}/stage-changes`, { token }),
  ]);
}

describe('deals by role', () => {
  let admin: Session;
  let manager: Member;
  let rep: Member;
  let colleague: Member;
  let viewer: Member;
  let sales: Pipeline;

  beforeAll(async () => {
    admin = await api.signup('deal-roles');
    [manager, rep, colleague, viewer] = await Promise.all([
      api.member(admin.token, 'manager'),
      api.member(admin.token, 'sales_rep', 'rep'),
      api.member(admin.token, 'sales_rep', 'colleague'),
      api.member(admin.token, 'viewer'),
    ]);
    sales = await defaultPipeline(api, admin.token);
  });

  it('lets admins and managers create, list, read, move and delete any deal', async () => {
    for (const actor of [admin, manager]) {
      const byRep = await newDeal(rep.token);
      expect(ids(await api.call('GET', '/api/v1/deals?limit=200', { token: actor.token }))).toContain(byRep.id);
      const moved = await api.call('PATCH', `/api/v1/deals/${byRep.id}`, {
        token: actor.token,
        body: { stageId: stageNamed(sales, 'Proposal').id },
      });
      expect(moved.status).toBe(200);
      expect((await api.call('POST', `/api/v1/deals/${byRep.id}/won`, { token: actor.token })).status).toBe(200);
      expect((await api.call('DELETE', `/api/v1/deals/${byRep.id}`, { token: actor.token })).status).toBe(204);
    }
  });

  it("gives a sales rep their own deals only: others' answer 404 everywhere and never list", async () => {
    const own = await newDeal(rep.token);
    expect(own.ownerId).toBe(rep.user.id);
    const theirs = await newDeal(colleague.token);
    const unowned = await newDeal(admin.token);
    expect(unowned.ownerId).toBeNull();

    for (const other of [theirs, unowned]) {
      for (const reply of await touchDeal(rep.token, other.id, stageNamed(sales, 'Proposal').id)) {
        // DELETE needs deals:delete, which a rep lacks: refused before anything is looked up.
        if (reply.status === 403) expect(reply.data.error.code).toBe('forbidden');
        else expectError(reply, 404, 'not_found');
      }
    }
    const listed = ids(await api.call('GET', '/api/v1/deals?limit=200', { token: rep.token }));
    expect(listed).toContain(own.id);
    expect(listed).not.toContain(theirs.id);
    expect(listed).not.toContain(unowned.id);
    expect(ids(await api.call('GET', `/api/v1/deals?ownerId=${colleague.user.id}`, { token: rep.token }))).toEqual([]);

    // Their own deal they move, close and read the history of; deleting needs deals:delete.
    const path = `/api/v1/deals/${own.id}`;
    expect((await api.call('PATCH', path, { token: rep.token, body: { amount: '5.00' } })).status).toBe(200);
    expect((await api.call('POST', `${path}/lost`, { token: rep.token, body: { reason: 'Gone quiet' } })).status).toBe(
      200,
    );
    expect((await api.call('GET', `${path}/stage-changes`, { token: rep.token })).data.data).toHaveLength(2);
    expectError(await api.call('DELETE', path, { token: rep.token }), 403, 'forbidden');
    expect((await api.call('GET', path, { token: rep.token })).data).toMatchObject({ status: 'lost', amount: '5.00' });
    const unchanged = await api.call('GET', `/api/v1/deals/${theirs.id}`, { token: admin.token });
    expect(unchanged.data).toEqual(theirs);
  });

  it('lets a sales rep own deals only themself, and link only contacts they own', async () => {
    expectError(
      await api.call('POST', '/api/v1/deals', {
        token: rep.token,
        body: { name: 'For you', ownerId: colleague.user.id },
      }),
      403,
      'forbidden',
    );
    expectError(
      await api.call('POST', '/api/v1/deals', { token: rep.token, body: { name: 'Nobody', ownerId: null } }),
      403,
      'forbidden',
    );
    const own = await newDeal(rep.token, { ownerId: rep.user.id });
    expectError(
      await api.call('PATCH', `/api/v1/deals/${own.id}`, { token: rep.token, body: { ownerId: colleague.user.id } }),
      403,
      'forbidden',
    );
    const mine = await insertContact(stack, admin, rep.user.id);
    const notMine = await insertContact(stack, admin, colleague.user.id);
    const nobodys = await insertContact(stack, admin, null);
    const companyId = await insertCompany(stack, admin);
    for (const contactId of [notMine, nobodys]) {
      expectError(
        await api.call('POST', '/api/v1/deals', { token: rep.token, body: { name: 'Linked', contactId } }),
        400,
        'unknown_contact',
      );
      expectError(
        await api.call('PATCH', `/api/v1/deals/${own.id}`, { token: rep.token, body: { contactId } }),
        400,
        'unknown_contact',
      );
    }
    // Companies are shared: any of the organization's will do.
    const linked = await newDeal(rep.token, { contactId: mine, companyId });
    expect(linked).toMatchObject({ contactId: mine, companyId });
    // Managers may link any contact.
    expect((await newDeal(manager.token, { contactId: notMine })).contactId).toBe(notMine);
  });

  it('moves a deal into and out of a rep’s view as a manager reassigns it', async () => {
    const deal = await newDeal(manager.token);
    expectError(await api.call('GET', `/api/v1/deals/${deal.id}`, { token: rep.token }), 404, 'not_found');
    const assigned = await api.call('PATCH', `/api/v1/deals/${deal.id}`, {
      token: manager.token,
      body: { ownerId: rep.user.id },
    });
    expect(assigned.data.ownerId).toBe(rep.user.id);
    expect((await api.call('GET', `/api/v1/deals/${deal.id}`, { token: rep.token })).status).toBe(200);
    expect(ids(await api.call('GET', '/api/v1/deals?limit=200', { token: rep.token }))).toContain(deal.id);
    await api.call('PATCH', `/api/v1/deals/${deal.id}`, { token: manager.token, body: { ownerId: colleague.user.id } });
    expectError(await api.call('GET', `/api/v1/deals/${deal.id}`, { token: rep.token }), 404, 'not_found');
  });

  it('lets a viewer read every deal and its history but change nothing', async () => {
    const deal = await newDeal(rep.token);
    expect((await api.call('GET', `/api/v1/deals/${deal.id}`, { token: viewer.token })).status).toBe(200);
    expect((await api.call('GET', `/api/v1/deals/${deal.id}/stage-changes`, { token: viewer.token })).status).toBe(200);
    expect(ids(await api.call('GET', '/api/v1/deals?limit=200', { token: viewer.token }))).toContain(deal.id);
    expectError(
      await api.call('POST', '/api/v1/deals', { token: viewer.token, body: { name: 'No' } }),
      403,
      'forbidden',
    );
    for (const reply of await touchDeal(viewer.token, deal.id, stageNamed(sales, 'Proposal').id)) {
      if (reply.status !== 200) expectError(reply, 403, 'forbidden');
    }
    const after = await api.call('GET', `/api/v1/deals/${deal.id}`, { token: admin.token });
    expect(after.data).toEqual(deal);
  });

  it('holds API keys to their scopes', async () => {
    const key = async (scopes: string[]) => {
      const made = await api.call('POST', '/api/v1/api-keys', {
        token: admin.token,
        body: { name: api.unique('k'), scopes },
      });
      expect(made.status, JSON.stringify(made.data)).toBe(201);
      return made.data as { key: string; apiKey: { id: string } };
    };
    const reader = await key(['deals:read']);
    const writer = await key(['deals:create', 'deals:update', 'deals:read']);
    expectError(await api.call('POST', '/api/v1/deals', { token: reader.key, body: { name: 'No' } }), 403, 'forbidden');
    const made = await api.call('POST', '/api/v1/deals', { token: writer.key, body: { name: 'Keyed' } });
    expect(made.status).toBe(201);
    expect(made.data.ownerId).toBeNull();
    expect((await api.call('GET', `/api/v1/deals/${made.data.id}`, { token: reader.key })).status).toBe(200);
    expectError(await api.call('DELETE', `/api/v1/deals/${made.data.id}`, { token: writer.key }), 403, 'forbidden');
    const history = await api.call('GET', `/api/v1/deals/${made.data.id}/stage-changes`, { token: reader.key });
    expect(history.data.data[0].changedBy).toBe(writer.apiKey.id);
  });
});

describe("another organization and A's deals", () => {
  let a: Session;
  let intruders: Session[];
  let pipelineA: Pipeline;
  let dealA: Deal;
  let contactA: string;
  let companyA: string;

  beforeAll(async () => {
    a = await api.signup('deal-iso-a');
    // One intruder on A's own shard if one turns up, one in the same region, one in the other region: isolation
    // must not rest on the data living apart.
    const { shards } = stack.regions.us!.ctx;
    const home = shards.forOrganization(a.organization.id).id;
    let sameShard: Session | null = null;
    const sameRegion: Session[] = [];
    for (let i = 0; i < 8 && !sameShard; i++) {
      const candidate = await api.signup(`deal-iso-b${i}`);
      if (shards.forOrganization(candidate.organization.id).id === home) sameShard = candidate;
      else sameRegion.push(candidate);
    }
    const otherRegion = await api.signup('deal-iso-eu', { region: 'eu' });
    intruders = [...(sameShard ? [sameShard] : []), ...sameRegion.slice(0, 1), otherRegion];
    pipelineA = await createPipeline(api, a.token, { name: 'A only' });
    contactA = await insertContact(stack, a);
    companyA = await insertCompany(stack, a);
    dealA = await newDeal(a.token, {
      name: 'Secret deal',
      pipelineId: pipelineA.id,
      stageId: stageNamed(pipelineA, 'Proposal').id,
      ownerId: a.user.id,
      contactId: contactA,
      companyId: companyA,
      tags: ['isolation-probe'],
    });
  });

  it('answers 404 to every request on A’s deal by id, and changes nothing', async () => {
    for (const intruder of intruders) {
      for (const reply of await touchDeal(intruder.token, dealA.id, stageNamed(pipelineA, 'Won').id)) {
        expectError(reply, 404, 'not_found');
      }
    }
    const after = await api.call('GET', `/api/v1/deals/${dealA.id}`, { token: a.token });
    expect(after.data).toEqual(dealA);
    expect((await eventsOf(stack, a, dealA.id)).map((e) => e.type)).toEqual(['deal.created', 'deal.stage_changed']);
  });

  it("never lists A's deals, whatever A's ids the filters name", async () => {
    const queries = [
      '',
      `pipelineId=${pipelineA.id}`,
      `stageId=${dealA.stageId}`,
      `ownerId=${a.user.id}`,
      `contactId=${contactA}`,
      `companyId=${companyA}`,
      'tag=isolation-probe',
      'status=open&limit=200',
    ];
    for (const intruder of intruders) {
      await newDeal(intruder.token, { tags: ['mine'] });
      for (const query of queries) {
        const list = await api.call('GET', `/api/v1/deals?${query}`, { token: intruder.token });
        expect(list.status, query).toBe(200);
        expect(ids(list), query).not.toContain(dealA.id);
        if (query && !query.startsWith('status')) expect(ids(list), query).toEqual([]);
      }
    }
  });

  it("refuses A's pipeline, stage, contact, company and owner as unknown, on create and on change, linking none", async () => {
    const stageA = stageNamed(pipelineA, 'Discovery').id;
    for (const intruder of intruders) {
      const own = await defaultPipeline(api, intruder.token);
      const cases: [Record<string, unknown>, string][] = [
        [{ pipelineId: pipelineA.id }, 'unknown_pipeline'],
        [{ pipelineId: pipelineA.id, stageId: stageA }, 'unknown_pipeline'],
        [{ stageId: stageA }, 'stage_not_in_pipeline'],
        [{ pipelineId: own.id, stageId: stageA }, 'stage_not_in_pipeline'],
        [{ contactId: contactA }, 'unknown_contact'],
        [{ companyId: companyA }, 'unknown_company'],
        [{ ownerId: a.user.id }, 'unknown_owner'],
      ];
      const before = ids(await api.call('GET', '/api/v1/deals?limit=200', { token: intruder.token }));
      for (const [body, code] of cases) {
        expectError(
          await api.call('POST', '/api/v1/deals', { token: intruder.token, body: { name: 'Poach', ...body } }),
          400,
          code,
          JSON.stringify(body),
        );
      }
      expect(ids(await api.call('GET', '/api/v1/deals?limit=200', { token: intruder.token }))).toEqual(before);

      const theirs = await newDeal(intruder.token);
      for (const [body, code] of cases) {
        expectError(
          await api.call('PATCH', `/api/v1/deals/${theirs.id}`, { token: intruder.token, body }),
          400,
          code,
          JSON.stringify(body),
        );
      }
      const after = await api.call('GET', `/api/v1/deals/${theirs.id}`, { token: intruder.token });
      expect(after.data).toEqual(theirs);
      expect(
        (await api.call('GET', `/api/v1/deals/${theirs.id}/stage-changes`, { token: intruder.token })).data.data,
      ).toHaveLength(1);
    }
    // No intruder's deal landed in A's stage: it is still empty, so A may delete it.
    const removed = await api.call('DELETE', `/api/v1/pipelines/${pipelineA.id}/stages/${stageA}`, { token: a.token });
    expect(removed.status, JSON.stringify(removed.data)).toBe(200);
  });
});
