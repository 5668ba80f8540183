import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies, contacts, dealStageChanges, deals } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  auditOf,
  defaultPipelineOf,
  eventsOf,
  insertCompany,
  insertPipeline,
  newLead,
  type Session,
  shardOf,
  stored,
  storedLead,
} from './fixtures.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let org: Session;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
  org = await api.signup('convert');
});
afterAll(() => stack?.stop());

const convert = (token: string, id: string, body?: unknown, headers: Record<string, string> = {}) =>
  api.call('POST', `/api/v1/leads/${id}/convert`, { token, body, headers });

async function storedRows(
  session: Session,
  ids: { contactId: string; companyId?: string | null; dealId?: string | null },
) {
  return shardOf(stack, session).withTenant(session.organization.id, async (tx) => ({
    contact: (await tx.select().from(contacts).where(eq(contacts.id, ids.contactId)))[0],
    company: ids.companyId ? (await tx.select().from(companies).where(eq(companies.id, ids.companyId)))[0] : undefined,
    deal: ids.dealId ? (await tx.select().from(deals).where(eq(deals.id, ids.dealId)))[0] : undefined,
    stageChanges: ids.dealId
      ? await tx.select().from(dealStageChanges).where(eq(dealStageChanges.dealId, ids.dealId))
      : [],
  }));
}

describe('POST /api/v1/leads/{id}/convert', () => {
  it('makes a contact, a company from the work email domain and a deal in the default pipeline, in one go', async () => {
    const domain = `${api.unique('navy')}.example`;
    const lead = await newLead(api, org.token, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: `grace@${domain}`,
      phone: '+1 202 555 0147',
      company: 'US Navy',
      title: 'Director of Computing',
      ownerId: org.user.id,
    });
    const before = await stored(stack, org);
    const reply = await convert(org.token, lead.id, {
      deal: { name: 'Compiler licences', amount: '48000.50', currency: 'EUR', expectedCloseDate: '2027-03-31' },
    });
    expect(reply.status, JSON.stringify(reply.data)).toBe(201);
    const { lead: converted, contact, company, deal } = reply.data;
    expect(reply.headers.get('location')).toBe(`/api/v1/contacts/${contact.id}`);

    expect(converted).toMatchObject({
      id: lead.id,
      status: 'converted',
      version: 2,
      convertedContactId: contact.id,
      convertedCompanyId: company.id,
      convertedDealId: deal.id,
    });
    expect(Date.parse(converted.convertedAt)).toBeGreaterThan(0);
    expect(contact).toMatchObject({
      firstName: 'Grace',
      lastName: 'Hopper',
      email: `grace@${domain}`,
      phone: '+1 202 555 0147',
      title: 'Director of Computing',
      lifecycleStage: 'opportunity',
      companyId: company.id,
      ownerId: org.user.id,
      leadId: lead.id,
      version: 1,
    });
    expect(company).toMatchObject({ name: 'US Navy', domain, ownerId: org.user.id, version: 1 });
    const { pipeline, stages } = await defaultPipelineOf(stack, org);
    expect(deal).toMatchObject({
      name: 'Compiler licences',
      amount: '48000.50',
      currency: 'EUR',
      expectedCloseDate: '2027-03-31',
      pipelineId: pipeline.id,
      stageId: stages.find((s) => s.kind === 'open')!.id,
      status: 'open',
      contactId: contact.id,
      companyId: company.id,
      ownerId: org.user.id,
    });

    // What the shard holds: exactly one of each, the stage history started, an audit row and an event per record
    // (the deal two: created, and its first stage as a stage change, as POST /deals writes them).
    const after = await stored(stack, org);
    expect(after).toMatchObject({
      leads: before.leads,
      contacts: before.contacts + 1,
      companies: before.companies + 1,
      deals: before.deals + 1,
      dealStageChanges: before.dealStageChanges + 1,
      audit: before.audit + 5,
      outbox: before.outbox + 5,
    });
    const rows = await storedRows(org, { contactId: contact.id, companyId: company.id, dealId: deal.id });
    expect(rows.contact).toMatchObject({ leadId: lead.id, companyId: company.id, lifecycleStage: 'opportunity' });
    expect(rows.company).toMatchObject({ domain, name: 'US Navy' });
    expect(rows.deal).toMatchObject({ stageId: deal.stageId, contactId: contact.id, leadId: lead.id });
    expect(rows.stageChanges).toEqual([
      expect.objectContaining({ fromStageId: null, toStageId: deal.stageId, changedBy: org.user.id }),
    ]);
    expect(await storedLead(stack, org, lead.id)).toMatchObject({
      status: 'converted',
      convertedContactId: contact.id,
      convertedCompanyId: company.id,
      convertedDealId: deal.id,
      version: 2,
    });

    const [leadEvent] = (await eventsOf(stack, org, lead.id)).filter((e) => e.eventType === 'lead.converted');
    expect(leadEvent!.payload).toMatchObject({
      leadId: lead.id,
      contactId: contact.id,
      companyId: company.id,
      dealId: deal.id,
    });
    expect((await eventsOf(stack, org, contact.id)).map((e) => e.eventType)).toEqual(['contact.created']);
    expect((await eventsOf(stack, org, company.id)).map((e) => e.eventType)).toEqual(['company.created']);
    expect((await eventsOf(stack, org, deal.id)).map((e) => e.eventType)).toEqual([
      'deal.created',
      'deal.stage_changed',
    ]);
    expect((await auditOf(stack, org, lead.id)).map((a) => a.action)).toContain('lead.converted');
    for (const [id, ...actions] of [
      [contact.id, 'contact.created'],
      [company.id, 'company.created'],
      [deal.id, 'deal.created', 'deal.stage_changed'],
    ]) {
      const audit = await auditOf(stack, org, id!);
      expect(audit.map((a) => a.action)).toEqual(actions);
      expect(audit[0]).toMatchObject({ actorType: 'user', actorId: org.user.id });
    }

    // The lead reads back converted, pointing at what it became.
    const reread = await api.call('GET', `/api/v1/leads/${lead.id}`, { token: org.token });
    expect(reread.data).toEqual(converted);
    expect(reread.headers.get('etag')).toBe('"v2"');
  });

  it('answers 409 already_converted the second time, and makes nothing more', async () => {
    const lead = await newLead(api, org.token, { company: 'Twice Ltd' });
    expect((await convert(org.token, lead.id)).status).toBe(201);
    const before = await stored(stack, org);
    expectError(await convert(org.token, lead.id), 409, 'already_converted');
    expectError(await convert(org.token, lead.id, { deal: { name: 'X', amount: '1', currency: 'USD' } }), 409);
    expect(await stored(stack, org)).toEqual(before);
  });

  it('treats a lead marked converted by hand as converted', async () => {
    const lead = await newLead(api, org.token, { status: 'converted' });
    expectError(await convert(org.token, lead.id), 409, 'already_converted');
  });

  it('converts without a body into a contact at the lead stage and no deal', async () => {
    const before = await stored(stack, org);
    const lead = await newLead(api, org.token, { firstName: 'Solo', email: 'solo@gmail.com' });
    const reply = await convert(org.token, lead.id);
    expect(reply.status, JSON.stringify(reply.data)).toBe(201);
    expect(reply.data.contact).toMatchObject({ lifecycleStage: 'lead', companyId: null, ownerId: null });
    expect(reply.data.company).toBeNull();
    expect(reply.data.deal).toBeNull();
    expect(reply.data.lead).toMatchObject({ convertedCompanyId: null, convertedDealId: null });
    const after = await stored(stack, org);
    expect(after.contacts).toBe(before.contacts + 1);
    expect(after.companies).toBe(before.companies);
    expect(after.deals).toBe(before.deals);

    const empty = await convert(org.token, (await newLead(api, org.token)).id, {});
    expect(empty.status).toBe(201);
    const nulls = await convert(org.token, (await newLead(api, org.token, { company: 'Skip' })).id, {
      company: null,
      deal: null,
    });
    expect(nulls.status).toBe(201);
    expect(nulls.data.company).toBeNull();
  });

  it('links the company that already has the domain instead of making another', async () => {
    const domain = `${api.unique('acme')}.example`;
    const existing = await insertCompany(stack, org, 'Acme Existing', domain);
    const first = await convert(
      org.token,
      (await newLead(api, org.token, { email: `a@${domain}`, company: 'Acme' })).id,
    );
    expect(first.status).toBe(201);
    expect(first.data.company).toMatchObject({ id: existing.id, name: 'Acme Existing' });
    expect(first.data.contact.companyId).toBe(existing.id);
    expect(await eventsOf(stack, org, existing.id)).toEqual([]);

    // By a domain given in the body, however it is written, even for a lead with a webmail address.
    const second = await convert(org.token, (await newLead(api, org.token, { email: 'b@gmail.com' })).id, {
      company: { domain: `https://www.${domain.toUpperCase()}/about` },
    });
    expect(second.data.company.id).toBe(existing.id);
  });

  it("creates the company under the lead's company name or the one given, without a domain for webmail", async () => {
    const fromLead = await convert(
      org.token,
      (await newLead(api, org.token, { email: 'c@gmail.com', company: 'Webmail Co' })).id,
    );
    expect(fromLead.data.company).toMatchObject({ name: 'Webmail Co', domain: null });

    const domain = `${api.unique('given')}.example`;
    const named = await convert(org.token, (await newLead(api, org.token, { company: 'Lead Co' })).id, {
      company: { name: 'Given Name Co', domain },
    });
    expect(named.data.company).toMatchObject({ name: 'Given Name Co', domain });

    // A work domain with nobody's company name to go by: nothing to create, nothing found.
    const noName = await convert(
      org.token,
      (await newLead(api, org.token, { email: `d@${api.unique('x')}.example` })).id,
    );
    expect(noName.data.company).toBeNull();
  });

  it('opens the deal in the pipeline and stage asked for, and closes it at once in a won stage', async () => {
    const other = await insertPipeline(stack, org);
    const inPipeline = await convert(org.token, (await newLead(api, org.token)).id, {
      deal: { name: 'Other pipeline', amount: '10', currency: 'USD', pipelineId: other.pipelineId },
    });
    expect(inPipeline.status, JSON.stringify(inPipeline.data)).toBe(201);
    expect(inPipeline.data.deal).toMatchObject({
      pipelineId: other.pipelineId,
      stageId: other.openStageId,
      status: 'open',
    });
    expect(inPipeline.data.contact.lifecycleStage).toBe('opportunity');

    const won = await convert(org.token, (await newLead(api, org.token)).id, {
      deal: {
        name: 'Signed on the call',
        amount: '99.99',
        currency: 'GBP',
        pipelineId: other.pipelineId,
        stageId: other.wonStageId,
      },
    });
    expect(won.data.deal).toMatchObject({ stageId: other.wonStageId, status: 'won', amount: '99.99' });
    expect(won.data.deal.closedAt).not.toBeNull();

    const { stages } = await defaultPipelineOf(stack, org);
    const third = await convert(org.token, (await newLead(api, org.token)).id, {
      deal: { name: 'Third stage', amount: '0', currency: 'USD', stageId: stages[2]!.id },
    });
    expect(third.data.deal).toMatchObject({ stageId: stages[2]!.id, amount: '0.00' });
  });

  it('refuses a pipeline or stage that is not there, naming the field', async () => {
    const lead = await newLead(api, org.token);
    const unknown = '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e';
    const noPipeline = await convert(org.token, lead.id, {
      deal: { name: 'X', amount: '1', currency: 'USD', pipelineId: unknown },
    });
    expectError(noPipeline, 400, 'unknown_pipeline');
    expect(noPipeline.data.error.details).toEqual([{ path: 'deal.pipelineId', message: 'No such pipeline' }]);
    const noStage = await convert(org.token, lead.id, {
      deal: { name: 'X', amount: '1', currency: 'USD', stageId: unknown },
    });
    expectError(noStage, 400, 'invalid_stage');
    expect(noStage.data.error.details[0].path).toBe('deal.stageId');
    expect((await storedLead(stack, org, lead.id))!.version).toBe(1);
  });

  it('gives the new records the owner asked for, and refuses one who is not a member', async () => {
    const manager = await api.member(org.token, 'manager');
    const lead = await newLead(api, org.token, { company: 'Owned Co', ownerId: org.user.id });
    const unknown = await convert(org.token, lead.id, { ownerId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' });
    expectError(unknown, 400, 'unknown_owner');
    const reply = await convert(org.token, lead.id, {
      ownerId: manager.user.id,
      deal: { name: 'Handed over', amount: '5', currency: 'USD' },
    });
    expect(reply.status).toBe(201);
    expect(reply.data.contact.ownerId).toBe(manager.user.id);
    expect(reply.data.company.ownerId).toBe(manager.user.id);
    expect(reply.data.deal.ownerId).toBe(manager.user.id);
    // The lead keeps its own owner: it is history now.
    expect(reply.data.lead.ownerId).toBe(org.user.id);
  });

  it('honours If-Match: a stale ETag is 412 and changes nothing, the current one converts', async () => {
    const lead = await newLead(api, org.token, { company: 'Etag Co' });
    const patched = await api.call('PATCH', `/api/v1/leads/${lead.id}`, { token: org.token, body: { title: 'CTO' } });
    expect(patched.headers.get('etag')).toBe('"v2"');
    const before = await stored(stack, org);
    expectError(await convert(org.token, lead.id, undefined, { 'if-match': '"v1"' }), 412, 'precondition_failed');
    expect(await stored(stack, org)).toEqual(before);
    const ok = await convert(org.token, lead.id, undefined, { 'if-match': '"v2"' });
    expect(ok.status).toBe(201);
    expect(ok.data.lead.version).toBe(3);
  });

  it('converts one lead once when the same conversion arrives several times at once', async () => {
    const lead = await newLead(api, org.token, { company: 'Race Co', email: `r@${api.unique('race')}.example` });
    const before = await stored(stack, org);
    const replies = await Promise.all(Array.from({ length: 4 }, () => convert(org.token, lead.id)));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const after = await stored(stack, org);
    expect(after.contacts).toBe(before.contacts + 1);
    expect(after.companies).toBe(before.companies + 1);
  });

  it('links one company when two leads of a new domain convert at once', async () => {
    const domain = `${api.unique('together')}.example`;
    const [a, b] = await Promise.all([
      newLead(api, org.token, { email: `a@${domain}`, company: 'Together' }),
      newLead(api, org.token, { email: `b@${domain}`, company: 'Together' }),
    ]);
    const [ra, rb] = await Promise.all([convert(org.token, a.id), convert(org.token, b.id)]);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(ra.data.company.id).toBe(rb.data.company.id);
    const rows = await shardOf(stack, org).withTenant(org.organization.id, (tx) =>
      tx
        .select()
        .from(companies)
        .where(and(eq(companies.organizationId, org.organization.id), eq(companies.domain, domain))),
    );
    expect(rows).toHaveLength(1);
    expect(await eventsOf(stack, org, rows[0]!.id)).toHaveLength(1);
  });
});
