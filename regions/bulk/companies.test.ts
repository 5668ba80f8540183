import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { activities, auditLog, companies, contacts, deals } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import {
  type Api,
  attachFile,
  auditRows,
  defineField,
  eventCount,
  eventRows,
  make,
  onShard,
  runJobToEnd,
  type Session,
  seedRows,
} from './testing.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const bulk = (token: string, body: unknown) => api.call('POST', '/api/v1/companies/bulk', { token, body });

const company = (token: string, body: Record<string, unknown> = {}) =>
  make(api, token, '/api/v1/companies', { name: api.unique('Co'), ...body });

const storedCompanies = async (session: Session) =>
  Object.fromEntries((await onShard(stack, session, (tx) => tx.select().from(companies))).map((row) => [row.id, row]));

describe('POST /api/v1/companies/bulk', () => {
  it('assigns and tags by ids and by the list’s filters, custom fields included, audited per company', async () => {
    const [org, other] = await Promise.all([api.signup('bulk-co'), api.signup('bulk-co-other')]);
    const rep = await api.member(org.token, 'sales_rep');
    await defineField(api, org.token, 'company', 'region');
    const a = await company(org.token, { industry: 'Computing', customFields: { region: 'emea' } });
    const b = await company(org.token, { industry: 'computing', customFields: { region: 'apac' } });
    const c = await company(org.token, { industry: 'Retail' });
    const foreign = await company(other.token, { industry: 'Computing' });
    const missing = newId();

    const assigned = await bulk(org.token, {
      action: 'assign',
      value: rep.user.id,
      select: { ids: [a, c, missing, foreign] },
    });
    expect(assigned.status, JSON.stringify(assigned.data)).toBe(200);
    expect(assigned.data).toEqual({
      results: [
        { id: a, status: 'updated' },
        { id: c, status: 'updated' },
        { id: missing, status: 'not_found' },
        { id: foreign, status: 'not_found' },
      ],
      updated: 2,
      unchanged: 0,
      failed: 0,
      notFound: 2,
    });
    const filter = { industry: 'COMPUTING', 'cf.region': 'emea' };
    const tagged = await bulk(org.token, { action: 'add_tags', value: [' Key '], select: { filter } });
    expect(tagged.data.results).toEqual([{ id: a, status: 'updated' }]);
    const again = await bulk(org.token, { action: 'add_tags', value: ['key'], select: { filter } });
    expect(again.data).toMatchObject({ updated: 0, unchanged: 1 });
    const byTag = await bulk(org.token, { action: 'remove_tags', value: ['key'], select: { filter: { tag: 'key' } } });
    expect(byTag.data.results).toEqual([{ id: a, status: 'updated' }]);

    const rows = await storedCompanies(org);
    expect(rows[a]).toMatchObject({ ownerId: rep.user.id, tags: [], version: 4 });
    expect(rows[b]).toMatchObject({ ownerId: null, tags: [], version: 1 });
    expect(rows[c]).toMatchObject({ ownerId: rep.user.id, version: 2 });
    expect(await auditRows(stack, org, 'company.updated', [a, b, c])).toHaveLength(4);
    const events = await eventRows(stack, org, 'company.updated', [a]);
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ changes: { ownerId: [null, rep.user.id] } }),
      expect.objectContaining({ changes: { tags: [[], ['key']] } }),
      expect.objectContaining({ changes: { tags: [['key'], []] } }),
    ]);
    expect(Object.values(await storedCompanies(other))[0]).toMatchObject({ ownerId: null, version: 1 });

    const unknownField = await bulk(org.token, { action: 'delete', select: { filter: { 'cf.nope': 'x' } } });
    expectError(unknownField, 400, 'validation_failed');
    expect(unknownField.data.error.details).toEqual([
      { path: 'select.filter.cf.nope', message: 'Unknown custom field' },
    ]);
    for (const select of [{ filter: { colour: 'red' } }, { filter: { size: 'huge' } }, { ids: [a], filter: {} }]) {
      expectError(
        await bulk(org.token, { action: 'delete', select }),
        400,
        'validation_failed',
        JSON.stringify(select),
      );
    }
    expectError(await bulk(org.token, { action: 'set_stage', value: 'x', select: { ids: [a] } }), 400);
    expect(Object.keys(await storedCompanies(org))).toHaveLength(3);
  });

  it('lets a sales rep change only the companies they own, record by record; viewers and reps may not delete', async () => {
    const admin = await api.signup('bulk-co-roles');
    const [rep, viewer] = await Promise.all([api.member(admin.token, 'sales_rep'), api.member(admin.token, 'viewer')]);
    const theirs = await company(admin.token);
    const mine = await company(rep.token);
    const missing = newId();
    const select = { ids: [theirs, mine, missing] };
    expectError(await bulk(viewer.token, { action: 'add_tags', value: ['x'], select }), 403, 'forbidden');
    expectError(await bulk(viewer.token, { action: 'delete', select }), 403, 'forbidden');
    expectError(await bulk(rep.token, { action: 'delete', select }), 403, 'forbidden');
    expectError(await bulk(rep.token, { action: 'assign', value: admin.user.id, select }), 403, 'forbidden');

    const byRep = await bulk(rep.token, { action: 'add_tags', value: ['mine'], select });
    expect(byRep.status, JSON.stringify(byRep.data)).toBe(200);
    expect(byRep.data).toEqual({
      results: [
        {
          id: theirs,
          status: 'failed',
          error: { code: 'forbidden', message: 'Sales reps may change only the companies they own' },
        },
        { id: mine, status: 'updated' },
        { id: missing, status: 'not_found' },
      ],
      updated: 1,
      unchanged: 0,
      failed: 1,
      notFound: 1,
    });
    // Companies are shared: a rep's filter reaches every company, and still changes only theirs.
    const byFilter = await bulk(rep.token, { action: 'remove_tags', value: ['mine'], select: { filter: {} } });
    expect(byFilter.data).toMatchObject({ updated: 1, failed: 1, notFound: 0 });
    const rows = await storedCompanies(admin);
    expect(rows[theirs]).toMatchObject({ tags: [], version: 1 });
    expect(rows[mine]).toMatchObject({ tags: [], version: 3 });
  });

  it('deletes like a single DELETE: unlinks contacts, deals and activities and deletes attachments', async () => {
    const [admin, other] = await Promise.all([api.signup('bulk-co-delete'), api.signup('bulk-co-delete-other')]);
    const manager = await api.member(admin.token, 'manager');
    const gone = await company(admin.token, { domain: 'gone.example' });
    const tagged = await company(admin.token, { tags: ['stale'] });
    const kept = await company(admin.token, { tags: ['fresh'] });
    const foreign = await company(other.token, { tags: ['stale'] });
    const contact = await make(api, admin.token, '/api/v1/contacts', { firstName: 'Linked', companyId: gone });
    const deal = await make(api, admin.token, '/api/v1/deals', { name: 'Linked', companyId: gone, contactId: contact });
    const activity = await make(api, admin.token, '/api/v1/activities', { type: 'note', body: 'x', companyId: gone });
    const taggedContact = await make(api, admin.token, '/api/v1/contacts', { firstName: 'T', companyId: tagged });
    const keptContact = await make(api, admin.token, '/api/v1/contacts', { firstName: 'K', companyId: kept });
    const file = await attachFile(stack, admin, `/api/v1/companies/${gone}`);
    const missing = newId();

    const byIds = await bulk(manager.token, { action: 'delete', select: { ids: [gone, missing, foreign] } });
    expect(byIds.status, JSON.stringify(byIds.data)).toBe(200);
    expect(byIds.data.results).toEqual([
      { id: gone, status: 'updated' },
      { id: missing, status: 'not_found' },
      { id: foreign, status: 'not_found' },
    ]);
    expect(await file.exists()).toBe(false);
    const linked = await onShard(stack, admin, async (tx) => ({
      contact: (await tx.select().from(contacts).where(eq(contacts.id, contact)))[0],
      deal: (await tx.select().from(deals).where(eq(deals.id, deal)))[0],
      activity: (await tx.select().from(activities).where(eq(activities.id, activity)))[0],
    }));
    expect(linked.contact).toMatchObject({ companyId: null, version: 2 });
    expect(linked.deal).toMatchObject({ companyId: null, contactId: contact, version: 2 });
    expect(linked.activity).toMatchObject({ companyId: null, version: 2 });
    const [audit] = await auditRows(stack, admin, 'company.deleted', [gone]);
    expect(audit!.changes).toEqual({
      name: expect.any(String),
      domain: 'gone.example',
      unlinked: { contactIds: [contact], dealIds: [deal], activityIds: [activity] },
      attachmentsDeleted: 1,
    });
    const [event] = await eventRows(stack, admin, 'company.deleted', [gone]);
    expect(event!.payload).toEqual({
      companyId: gone,
      unlinked: { contactIds: [contact], dealIds: [deal], activityIds: [activity] },
    });

    const byFilter = await bulk(admin.token, { action: 'delete', select: { filter: { tag: 'stale' } } });
    expect(byFilter.data.results).toEqual([{ id: tagged, status: 'updated' }]);
    const left = await storedCompanies(admin);
    expect(Object.keys(left)).toEqual([kept]);
    const contactsLeft = await onShard(stack, admin, (tx) => tx.select().from(contacts));
    expect(Object.fromEntries(contactsLeft.map((c) => [c.id, c.companyId]))).toEqual({
      [contact]: null,
      [taggedContact]: null,
      [keptContact]: kept,
    });
    expect(Object.keys(await storedCompanies(other))).toEqual([foreign]);
    expect(await eventCount(stack, other, 'company.deleted')).toBe(0);
  });

  it('applies to at most 10,000 companies, in chunks of 500', async () => {
    const org = await api.signup('bulk-co-bound');
    const tooMany = Array.from({ length: 10_001 }, () => newId());
    expectError(await bulk(org.token, { action: 'delete', select: { ids: tooMany } }), 400, 'validation_failed');
    await seedRows(stack, org, 'companies', 8_901, { name: 'Seeded' });
    await seedRows(stack, org, 'companies', 1_100, { name: 'Chunked', tags: ['chunk'] });
    const over = await bulk(org.token, { action: 'add_tags', value: ['x'], select: { filter: {} } });
    expectError(over, 400, 'too_many_records');
    expect(await eventCount(stack, org, 'company.updated')).toBe(0);
    const chunked = await bulk(org.token, { action: 'delete', select: { filter: { tag: 'chunk' } } });
    // Above one chunk the action is a bulk job (202); this stack runs no worker, so the test runs it as one would.
    expect(chunked.status).toBe(202);
    const done = await runJobToEnd(stack, api, org, chunked.data.id);
    expect(done).toMatchObject({ updated: 1_100, failed: 0, notFound: 0 });
    const left = await onShard(stack, org, (tx) => tx.select({ n: count() }).from(companies));
    expect(left[0]!.n).toBe(8_901);
    expect(await eventCount(stack, org, 'company.deleted')).toBe(1_100);
    const audits = await onShard(stack, org, (tx) =>
      tx.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, 'company.deleted')),
    );
    expect(audits).toHaveLength(1_100);
  });
});
