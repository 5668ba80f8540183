import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { defaultPipeline, type Pipeline, stageNamed } from '../pipelines/fixtures.ts';
import { eventTypes, recordEventTypes } from './types.ts';

// Every single-record path of the API, and the events it leaves in the outbox: exactly these types, in this order,
// with the ids and payloads consumers rely on. No workers run, so nothing but the requests writes events.

const SITE = 'https://shop.example';
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let org: Session;
let other: Session;
let repId: string;
let pipeline: Pipeline;

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'], edge: { cacheTtlSeconds: 0 } });
  api = apiClient(stack.edgeUrl);
  [org, other] = await Promise.all([api.signup('events', { region: 'us' }), api.signup('events-b', { region: 'us' })]);
  repId = (await api.member(org.token, 'sales_rep', 'rep')).user.id;
  pipeline = await defaultPipeline(api, org.token);
}, 600_000);
afterAll(() => stack?.stop());

type Row = { type: string; aggregateType: string; aggregateId: string; payload: Record<string, any> };

async function outboxOf(session: Session, ids: string[]): Promise<Row[]> {
  const rows = await stack.regions.us!.ctx.shards.withTenant(session.organization.id, (tx) =>
    tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.organizationId, session.organization.id), inArray(outbox.aggregateId, ids)))
      .orderBy(asc(outbox.id)),
  );
  return rows.map((r) => ({
    type: r.eventType,
    aggregateType: r.aggregateType,
    aggregateId: r.aggregateId,
    payload: r.payload as Record<string, any>,
  }));
}
const typesOf = async (id: string) => (await outboxOf(org, [id])).map((e) => e.type);
const lastOf = async (id: string) => (await outboxOf(org, [id])).at(-1)!;

async function call(method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200) {
  const reply = await api.call(method, path, { token: org.token, body });
  expect(reply.status, `${method} ${path}: ${JSON.stringify(reply.data)}`).toBe(status);
  return reply.data as Record<string, any>;
}
const newLead = (body: Record<string, unknown> = {}) =>
  call('POST', '/api/v1/leads', {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: `${api.unique('l')}@example.com`,
    ...body,
  });
const newContact = (body: Record<string, unknown> = {}) =>
  call('POST', '/api/v1/contacts', {
    firstName: 'Grace',
    lastName: 'Hopper',
    email: `${api.unique('c')}@example.com`,
    ...body,
  });

describe('the one list of event types', () => {
  it('names every type once, the record events among them', () => {
    expect(new Set(eventTypes).size).toBe(eventTypes.length);
    expect(eventTypes).toEqual(expect.arrayContaining([...recordEventTypes]));
  });
});

describe('events of every single-record path', () => {
  it('leads: created, updated, assigned on an owner change, converted, merged and deleted', async () => {
    const lead = await newLead();
    expect(await typesOf(lead.id)).toEqual(['lead.created']);
    expect((await lastOf(lead.id)).payload).toMatchObject({ id: lead.id, email: lead.email, ownerId: null });

    await call('PATCH', `/api/v1/leads/${lead.id}`, { title: 'Countess' });
    expect((await lastOf(lead.id)).payload).toMatchObject({
      lead: { id: lead.id },
      changes: { title: [null, 'Countess'] },
    });
    await call('PATCH', `/api/v1/leads/${lead.id}`, { ownerId: repId });
    expect(await typesOf(lead.id)).toEqual(['lead.created', 'lead.updated', 'lead.updated', 'lead.assigned']);
    expect((await lastOf(lead.id)).payload).toEqual({ leadId: lead.id, from: null, to: repId });

    const converted = await call('POST', `/api/v1/leads/${lead.id}/convert`, {
      company: { name: api.unique('Engines'), domain: `${api.unique('engines')}.example.org` },
      deal: { name: 'First order', amount: '1200.00', currency: 'EUR' },
    });
    const { contact, company, deal } = converted;
    expect((await typesOf(lead.id)).at(-1)).toBe('lead.converted');
    expect((await lastOf(lead.id)).payload).toMatchObject({
      leadId: lead.id,
      contactId: contact.id,
      companyId: company.id,
      dealId: deal.id,
    });
    expect(await typesOf(contact.id)).toEqual(['contact.created']);
    expect(await typesOf(company.id)).toEqual(['company.created']);
    // As POST /deals: the conversion's deal enters its first stage with deal.stage_changed.
    expect(await typesOf(deal.id)).toEqual(['deal.created', 'deal.stage_changed']);
    expect((await lastOf(deal.id)).payload).toMatchObject({
      dealId: deal.id,
      fromStageId: null,
      toStageId: deal.stageId,
    });

    const [primary, duplicate, doomed] = [await newLead(), await newLead(), await newLead()];
    await call('POST', `/api/v1/leads/${primary.id}/merge`, { duplicateId: duplicate.id }, 200);
    expect(await typesOf(primary.id)).toEqual(['lead.created', 'lead.merged']);
    expect((await lastOf(primary.id)).payload).toMatchObject({ lead: { id: primary.id }, duplicateId: duplicate.id });
    expect(await typesOf(duplicate.id)).toEqual(['lead.created', 'lead.deleted']);
    expect((await lastOf(duplicate.id)).payload).toEqual({ leadId: duplicate.id, mergedInto: primary.id });
    await call('DELETE', `/api/v1/leads/${doomed.id}`, undefined, 204);
    expect(await typesOf(doomed.id)).toEqual(['lead.created', 'lead.deleted']);
    expect((await lastOf(doomed.id)).payload).toMatchObject({ leadId: doomed.id });
  }, 120_000);

  it('contacts and companies: created, updated, merged and deleted', async () => {
    const contact = await newContact();
    await call('PATCH', `/api/v1/contacts/${contact.id}`, { title: 'Rear Admiral' });
    expect((await lastOf(contact.id)).payload).toMatchObject({
      contact: { id: contact.id },
      changes: { title: [null, 'Rear Admiral'] },
    });
    await call('DELETE', `/api/v1/contacts/${contact.id}`, undefined, 204);
    expect(await typesOf(contact.id)).toEqual(['contact.created', 'contact.updated', 'contact.deleted']);
    expect((await lastOf(contact.id)).payload).toMatchObject({ contactId: contact.id });

    const [primary, duplicate] = [await newContact(), await newContact()];
    await call('POST', `/api/v1/contacts/${primary.id}/merge`, { duplicateId: duplicate.id }, 200);
    expect(await typesOf(primary.id)).toEqual(['contact.created', 'contact.merged']);
    expect(await typesOf(duplicate.id)).toEqual(['contact.created', 'contact.deleted']);
    expect((await lastOf(duplicate.id)).payload).toEqual({ contactId: duplicate.id, mergedInto: primary.id });

    const company = await call('POST', '/api/v1/companies', { name: api.unique('Analytical Engines') });
    expect((await lastOf(company.id)).payload).toMatchObject({ id: company.id, name: company.name });
    await call('PATCH', `/api/v1/companies/${company.id}`, { industry: 'Computing' });
    expect((await lastOf(company.id)).payload).toMatchObject({
      company: { id: company.id },
      changes: { industry: [null, 'Computing'] },
    });
    await call('DELETE', `/api/v1/companies/${company.id}`, undefined, 204);
    expect(await typesOf(company.id)).toEqual(['company.created', 'company.updated', 'company.deleted']);
    expect((await lastOf(company.id)).payload).toMatchObject({ companyId: company.id });
  }, 120_000);

  it('deals: a PATCH that moves the stage changes it, one into a won stage wins it; /lost loses; delete', async () => {
    const deal = await call('POST', '/api/v1/deals', { name: 'Engines', amount: '5000.00', currency: 'EUR' });
    expect(await typesOf(deal.id)).toEqual(['deal.created', 'deal.stage_changed']);
    await call('PATCH', `/api/v1/deals/${deal.id}`, { name: 'Difference engines' });
    expect((await lastOf(deal.id)).payload).toMatchObject({
      deal: { id: deal.id },
      changes: { name: ['Engines', 'Difference engines'] },
    });

    const [first, second] = pipeline.stages.filter((s) => s.kind === 'open');
    expect(deal.stageId).toBe(first!.id);
    await call('PATCH', `/api/v1/deals/${deal.id}`, { stageId: second!.id });
    expect((await typesOf(deal.id)).slice(3)).toEqual(['deal.updated', 'deal.stage_changed']);
    expect((await lastOf(deal.id)).payload).toMatchObject({
      dealId: deal.id,
      fromStageId: first!.id,
      toStageId: second!.id,
      status: 'open',
    });
    const won = stageNamed(pipeline, 'Closed won');
    await call('PATCH', `/api/v1/deals/${deal.id}`, { stageId: won.id });
    expect((await typesOf(deal.id)).slice(5)).toEqual(['deal.updated', 'deal.stage_changed', 'deal.won']);
    expect((await lastOf(deal.id)).payload).toMatchObject({ deal: { id: deal.id, status: 'won' }, reason: null });

    const lost = await call('POST', '/api/v1/deals', { name: 'Lost cause', amount: '10.00', currency: 'EUR' });
    await call('POST', `/api/v1/deals/${lost.id}/lost`, { reason: 'No budget' }, 200);
    expect(await typesOf(lost.id)).toEqual(['deal.created', 'deal.stage_changed', 'deal.stage_changed', 'deal.lost']);
    expect((await lastOf(lost.id)).payload).toMatchObject({
      deal: { id: lost.id, status: 'lost' },
      reason: 'No budget',
    });
    await call('DELETE', `/api/v1/deals/${lost.id}`, undefined, 204);
    expect((await typesOf(lost.id)).at(-1)).toBe('deal.deleted');
    expect((await lastOf(lost.id)).payload).toEqual({ dealId: lost.id });
  }, 120_000);

  it('activities: created, updated, completed when a PATCH marks a task done, deleted', async () => {
    const lead = await newLead();
    const task = await call('POST', '/api/v1/activities', { type: 'task', subject: 'Call back', leadId: lead.id });
    expect((await lastOf(task.id)).payload).toMatchObject({ id: task.id, type: 'task', leadId: lead.id, done: false });
    await call('PATCH', `/api/v1/activities/${task.id}`, { subject: 'Call back today' });
    await call('PATCH', `/api/v1/activities/${task.id}`, { done: true });
    expect(await typesOf(task.id)).toEqual([
      'activity.created',
      'activity.updated',
      'activity.updated',
      'activity.completed',
    ]);
    expect((await lastOf(task.id)).payload).toMatchObject({
      activityId: task.id,
      leadId: lead.id,
      completedAt: expect.any(String),
    });
    await call('DELETE', `/api/v1/activities/${task.id}`, undefined, 204);
    expect((await typesOf(task.id)).at(-1)).toBe('activity.deleted');
    expect((await lastOf(task.id)).payload).toEqual({ activityId: task.id, type: 'task' });
  }, 120_000);

  it('forms: a submission writes lead.created for its lead and form.submitted for itself', async () => {
    const form = await call('POST', '/api/v1/forms', {
      name: 'Contact us',
      fields: [
        { name: 'name', label: 'Your name', type: 'text', required: true, leadField: 'firstName' },
        { name: 'email', label: 'Work email', type: 'email', required: true, leadField: 'email' },
      ],
      allowedOrigins: [SITE],
    });
    const email = `${api.unique('form')}@example.com`;
    const reply = await api.call('POST', `/forms/${form.publicId}/submissions`, {
      body: { name: 'Ada', email },
      headers: { origin: SITE },
    });
    expect(reply.status, JSON.stringify(reply.data)).toBe(201);
    const submissionId = reply.data.submission.id as string;
    const [submitted] = await outboxOf(org, [submissionId]);
    expect(submitted).toMatchObject({
      type: 'form.submitted',
      aggregateType: 'form_submission',
      payload: { id: submissionId, formId: form.id, values: { email } },
    });
    const leadId = submitted!.payload.leadId as string;
    expect(await typesOf(leadId)).toEqual(['lead.created']);
    expect((await lastOf(leadId)).payload).toMatchObject({ id: leadId, email });
    // Another organization sees none of it.
    expect(await outboxOf(other, [submissionId, leadId, form.id])).toEqual([]);
  }, 120_000);
});
