import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealStageChanges, deals } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  type Api,
  auditOf,
  createPipeline,
  defaultPipeline,
  eventsOf,
  insertCompany,
  insertContact,
  onShard,
  type Session,
  stageNamed,
} from '../pipelines/fixtures.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

type Deal = Record<string, any> & { id: string; version: number };

async function createDeal(session: Session, body: Record<string, unknown> = {}): Promise<Deal> {
  const made = await api.call('POST', '/api/v1/deals', { token: session.token, body: { name: 'Deal', ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data;
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

async function stored(session: Session) {
  return onShard(stack, session, async (tx) => ({
    deals: (await tx.select({ n: count() }).from(deals))[0]!.n,
    changes: (await tx.select({ n: count() }).from(dealStageChanges))[0]!.n,
  }));
}

describe('deals', () => {
  it('creates a deal in the default pipeline’s first open stage, with defaults, history, audit and events', async () => {
    const org = await api.signup('deal-crud');
    const sales = await defaultPipeline(api, org.token);
    const made = await api.call('POST', '/api/v1/deals', { token: org.token, body: { name: '  Forty seats ' } });
    expect(made.status, JSON.stringify(made.data)).toBe(201);
    expect(made.headers.get('etag')).toBe('"v1"');
    expect(made.headers.get('location')).toBe(`/api/v1/deals/${made.data.id}`);
    expect(made.data).toMatchObject({
      name: 'Forty seats',
      amount: '0.00',
      currency: 'USD',
      expectedCloseDate: null,
      pipelineId: sales.id,
      stageId: stageNamed(sales, 'Qualification').id,
      status: 'open',
      closedAt: null,
      closeReason: null,
      ownerId: null,
      contactId: null,
      companyId: null,
      tags: [],
      version: 1,
    });
    expect(made.data.stageEnteredAt).toBe(made.data.createdAt);
    const id = made.data.id as string;

    const read = await api.call('GET', `/api/v1/deals/${id}`, { token: org.token });
    expect(read.data).toEqual(made.data);
    expect(read.headers.get('etag')).toBe('"v1"');
    expect(
      (await api.call('GET', `/api/v1/deals/${id}`, { token: org.token, headers: { 'if-none-match': '"v1"' } })).status,
    ).toBe(304);
    expect(ids((await api.call('GET', '/api/v1/deals', { token: org.token })).data.data)).toEqual([id]);

    const edited = await api.call('PATCH', `/api/v1/deals/${id}`, {
      token: org.token,
      body: { amount: '12500.5', currency: 'EUR', expectedCloseDate: '2026-12-31', tags: [' Q4 ', 'q4', 'Enterprise'] },
      headers: { 'if-match': '"v1"' },
    });
    expect(edited.status, JSON.stringify(edited.data)).toBe(200);
    expect(edited.headers.get('etag')).toBe('"v2"');
    expect(edited.data).toMatchObject({
      amount: '12500.50',
      currency: 'EUR',
      expectedCloseDate: '2026-12-31',
      tags: ['q4', 'enterprise'],
      version: 2,
      stageId: made.data.stageId,
      stageEnteredAt: made.data.stageEnteredAt,
    });
    // The same value written another way is no change.
    const same = await api.call('PATCH', `/api/v1/deals/${id}`, {
      token: org.token,
      body: { amount: '12500.50', tags: ['Q4', 'enterprise'] },
    });
    expect(same.data.version).toBe(2);
    const cleared = await api.call('PATCH', `/api/v1/deals/${id}`, {
      token: org.token,
      body: { expectedCloseDate: null },
    });
    expect(cleared.data).toMatchObject({ expectedCloseDate: null, version: 3 });

    expect((await api.call('DELETE', `/api/v1/deals/${id}`, { token: org.token })).status).toBe(204);
    expectError(await api.call('GET', `/api/v1/deals/${id}`, { token: org.token }), 404, 'not_found');
    expectError(await api.call('GET', `/api/v1/deals/${id}/stage-changes`, { token: org.token }), 404, 'not_found');
    expect(await stored(org)).toEqual({ deals: 0, changes: 0 });

    expect((await eventsOf(stack, org, id)).map((e) => e.type)).toEqual([
      'deal.created',
      'deal.stage_changed',
      'deal.updated',
      'deal.updated',
      'deal.deleted',
    ]);
    const audit = await auditOf(stack, org, id);
    expect(audit.map((a) => a.action)).toEqual([
      'deal.created',
      'deal.stage_changed',
      'deal.updated',
      'deal.updated',
      'deal.deleted',
    ]);
    expect(audit[2]!.changes).toMatchObject({ amount: ['0.00', '12500.50'], currency: ['USD', 'EUR'] });
  });

  it('places a deal in a named pipeline and stage, and links an owner, contact and company of the organization', async () => {
    const org = await api.signup('deal-links');
    const rep = await api.member(org.token, 'sales_rep');
    const pipeline = await createPipeline(api, org.token);
    const contactId = await insertContact(stack, org);
    const companyId = await insertCompany(stack, org);
    const deal = await createDeal(org, {
      name: 'Linked',
      amount: '99.99',
      currency: 'JPY',
      pipelineId: pipeline.id,
      stageId: stageNamed(pipeline, 'Proposal').id,
      ownerId: rep.user.id,
      contactId,
      companyId,
    });
    expect(deal).toMatchObject({
      pipelineId: pipeline.id,
      stageId: stageNamed(pipeline, 'Proposal').id,
      ownerId: rep.user.id,
      contactId,
      companyId,
      amount: '99.99',
      currency: 'JPY',
    });
    // Without a stage, a named pipeline's first open stage.
    const first = await createDeal(org, { pipelineId: pipeline.id });
    expect(first.stageId).toBe(stageNamed(pipeline, 'Discovery').id);
    const unlinked = await api.call('PATCH', `/api/v1/deals/${deal.id}`, {
      token: org.token,
      body: { contactId: null, companyId: null, ownerId: null },
    });
    expect(unlinked.data).toMatchObject({ contactId: null, companyId: null, ownerId: null });
  });

  it('refuses unknown or mismatched references with 400 naming the field, and writes nothing', async () => {
    const org = await api.signup('deal-refs');
    const sales = await defaultPipeline(api, org.token);
    const other = await createPipeline(api, org.token);
    const stranger = '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e';
    const cases: [Record<string, unknown>, string, string][] = [
      [{ pipelineId: stranger }, 'unknown_pipeline', 'pipelineId'],
      [{ stageId: stranger }, 'stage_not_in_pipeline', 'stageId'],
      [{ stageId: other.stages[0]!.id }, 'stage_not_in_pipeline', 'stageId'],
      [{ pipelineId: other.id, stageId: sales.stages[0]!.id }, 'stage_not_in_pipeline', 'stageId'],
      [{ contactId: stranger }, 'unknown_contact', 'contactId'],
      [{ companyId: stranger }, 'unknown_company', 'companyId'],
      [{ ownerId: stranger }, 'unknown_owner', 'ownerId'],
    ];
    for (const [body, code, path] of cases) {
      const reply = await api.call('POST', '/api/v1/deals', { token: org.token, body: { name: 'Bad ref', ...body } });
      expectError(reply, 400, code, JSON.stringify(body));
      expect(reply.data.error.details.map((d: { path: string }) => d.path)).toEqual([path]);
    }
    expect(await stored(org)).toEqual({ deals: 0, changes: 0 });

    const deal = await createDeal(org);
    for (const [body, code] of cases) {
      expectError(
        await api.call('PATCH', `/api/v1/deals/${deal.id}`, { token: org.token, body }),
        400,
        code,
        JSON.stringify(body),
      );
    }
    const after = await api.call('GET', `/api/v1/deals/${deal.id}`, { token: org.token });
    expect(after.data).toEqual(deal);
    expect(await stored(org)).toEqual({ deals: 1, changes: 1 });
  });

  it('refuses bad field values with 400 validation_failed naming the field', async () => {
    const org = await api.signup('deal-bad');
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'name'],
      [{ name: '  ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 'A', amount: 12500 }, 'amount'],
      [{ name: 'A', amount: '-1.00' }, 'amount'],
      [{ name: 'A', amount: '1.234' }, 'amount'],
      [{ name: 'A', amount: '1e5' }, 'amount'],
      [{ name: 'A', amount: '' }, 'amount'],
      [{ name: 'A', amount: '12345678901234567.00' }, 'amount'],
      [{ name: 'A', amount: ' 5' }, 'amount'],
      [{ name: 'A', currency: 'usd' }, 'currency'],
      [{ name: 'A', currency: 'US' }, 'currency'],
      [{ name: 'A', currency: 'ZZZ' }, 'currency'],
      [{ name: 'A', expectedCloseDate: '2026-02-30' }, 'expectedCloseDate'],
      [{ name: 'A', expectedCloseDate: '31/12/2026' }, 'expectedCloseDate'],
      [{ name: 'A', expectedCloseDate: '0000-01-01' }, 'expectedCloseDate'],
      [{ name: 'A', expectedCloseDate: '2026-12-31T00:00:00Z' }, 'expectedCloseDate'],
      [{ name: 'A', pipelineId: 'sales' }, 'pipelineId'],
      [{ name: 'A', stageId: 42 }, 'stageId'],
      [{ name: 'A', contactId: 'x' }, 'contactId'],
      [{ name: 'A', tags: 'vip' }, 'tags'],
      [{ name: 'A', tags: [''] }, 'tags.0'],
      [{ name: 'A', tags: ['ok', 'x'.repeat(51)] }, 'tags.1'],
      [{ name: 'A', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags'],
      [{ name: 'A', tags: ['\u0000'] }, 'tags.0'],
      [{ name: 'A', status: 'won' }, 'status'],
      [{ name: 'A', closedAt: '2026-01-01T00:00:00Z' }, 'closedAt'],
      [{ name: 'A', customFields: { tier: 'gold' } }, 'customFields.tier'],
    ];
    for (const [body, path] of cases) {
      const reply = await api.call('POST', '/api/v1/deals', { token: org.token, body });
      expectError(reply, 400, 'validation_failed', JSON.stringify(body).slice(0, 80));
      expect(reply.data.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const deal = await createDeal(org);
    for (const [body] of cases.slice(1)) {
      const { name: _name, ...patch } = body;
      const reply = await api.call('PATCH', `/api/v1/deals/${deal.id}`, {
        token: org.token,
        body: Object.keys(patch).length ? patch : body,
      });
      expectError(reply, 400, 'validation_failed', JSON.stringify(patch).slice(0, 80));
    }
    expectError(await api.call('PATCH', `/api/v1/deals/${deal.id}`, { token: org.token, body: {} }), 400);
    expect(await stored(org)).toEqual({ deals: 1, changes: 1 });
    // The largest amount numeric(18, 2) holds goes through and back unchanged.
    expect((await createDeal(org, { amount: '9999999999999999.99' })).amount).toBe('9999999999999999.99');
  });

  it('honours If-Match on PATCH and DELETE: 412 and nothing changed', async () => {
    const org = await api.signup('deal-if-match');
    const deal = await createDeal(org, { name: 'Conditional' });
    const path = `/api/v1/deals/${deal.id}`;
    const sales = await defaultPipeline(api, org.token);
    expect(
      (await api.call('PATCH', path, { token: org.token, body: { name: 'Now' }, headers: { 'if-match': '"v1"' } }))
        .status,
    ).toBe(200);
    expectError(
      await api.call('PATCH', path, {
        token: org.token,
        body: { stageId: stageNamed(sales, 'Proposal').id },
        headers: { 'if-match': '"v1"' },
      }),
      412,
      'precondition_failed',
    );
    expectError(
      await api.call('POST', `${path}/won`, { token: org.token, headers: { 'if-match': '"v1"' } }),
      412,
      'precondition_failed',
    );
    expectError(await api.call('DELETE', path, { token: org.token, headers: { 'if-match': '"v1"' } }), 412);
    const read = await api.call('GET', path, { token: org.token });
    expect(read.data).toMatchObject({ name: 'Now', version: 2, stageId: deal.stageId, status: 'open' });
    expect(await stored(org)).toEqual({ deals: 1, changes: 1 });
    expect(
      (await api.call('PATCH', path, { token: org.token, body: { name: 'Any' }, headers: { 'if-match': '*' } })).status,
    ).toBe(200);
    expect((await api.call('DELETE', path, { token: org.token, headers: { 'if-match': '"v3"' } })).status).toBe(204);
  });

  it('creates one deal, with one history row, for retries with the same Idempotency-Key', async () => {
    const org = await api.signup('deal-idem');
    const key = api.unique('deal-key');
    const body = { name: 'Once', amount: '10.00', tags: ['a'] };
    const send = (b: Record<string, unknown>, token = org.token) =>
      api.call('POST', '/api/v1/deals', { token, body: b, headers: { 'idempotency-key': key } });
    const replies = await Promise.all([send(body), send(body), send(body)]);
    for (const reply of replies) expect(reply.status, JSON.stringify(reply.data)).toBe(201);
    for (const reply of replies) expect(reply.data).toEqual(replies[0]!.data);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    expectError(await send({ ...body, amount: '11.00' }), 422, 'idempotency_key_reused');
    // Another member with the same key and body is another request, never a replay of this deal.
    const manager = await api.member(org.token, 'manager');
    expectError(await send(body, manager.token), 422, 'idempotency_key_reused');
    expect(await stored(org)).toEqual({ deals: 1, changes: 1 });
    const created = (await eventsOf(stack, org, replies[0]!.data.id)).filter((e) => e.type === 'deal.created');
    expect(created).toHaveLength(1);
  });

  it('answers 404 for deals that do not exist and 400 for ids that are not UUIDs', async () => {
    const org = await api.signup('deal-404');
    const missing = '0193a5f8-7a81-7b2c-9d3e-4f5a6b7c8d9e';
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'X' }],
      ['DELETE', '', undefined],
      ['POST', '/won', {}],
      ['POST', '/lost', { reason: 'X' }],
      ['GET', '/stage-changes', undefined],
    ] as const) {
      expectError(
        await api.call(method, `/api/v1/deals/${missing}${suffix}`, { token: org.token, body }),
        404,
        'not_found',
      );
      expectError(
        await api.call(method, `/api/v1/deals/not-a-uuid${suffix}`, { token: org.token, body }),
        400,
        'validation_failed',
      );
    }
  });

  it('refuses a patch whole: a stage move is not applied when another field of it is refused', async () => {
    const org = await api.signup('deal-atomic');
    const deal = await createDeal(org);
    const member = await api.member(org.token, 'sales_rep');
    expect(
      (await api.call('PATCH', `/api/v1/users/${member.user.id}`, { token: org.token, body: { status: 'disabled' } }))
        .status,
    ).toBe(200);
    const sales = await defaultPipeline(api, org.token);
    expectError(
      await api.call('PATCH', `/api/v1/deals/${deal.id}`, {
        token: org.token,
        body: { stageId: stageNamed(sales, 'Closed won').id, ownerId: member.user.id },
      }),
      400,
      'unknown_owner',
    );
    const [row] = await onShard(stack, org, (tx) =>
      tx
        .select()
        .from(deals)
        .where(and(eq(deals.organizationId, org.organization.id), eq(deals.id, deal.id))),
    );
    expect(row).toMatchObject({ version: 1, status: 'open', stageId: deal.stageId });
    expect(await stored(org)).toEqual({ deals: 1, changes: 1 });
    expect((await eventsOf(stack, org, deal.id)).map((e) => e.type)).toEqual(['deal.created', 'deal.stage_changed']);
  });
});
