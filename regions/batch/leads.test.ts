import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, leads, outbox } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';

type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const batch = (token: string, body: unknown, key?: string) =>
  api.call('POST', '/api/v1/leads/batch', {
    token,
    body,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

/** What the organization's shard holds, read around the edge's response cache. */
async function stored(session: Session) {
  const { shards } = stack.regions[session.organization.homeRegion]!.ctx;
  const org = session.organization.id;
  return shards.withTenant(org, async (tx) => ({
    leads: await tx.select().from(leads).where(eq(leads.organizationId, org)),
    audits: (await tx.select({ n: count() }).from(auditLog).where(eq(auditLog.targetType, 'lead')))[0]!.n,
    events: (
      await tx
        .select({ n: count() })
        .from(outbox)
        .where(and(eq(outbox.aggregateType, 'lead')))
    )[0]!.n,
  }));
}

describe('POST /api/v1/leads/batch', () => {
  it('writes 1,000 records past the 1 MiB limit, reporting the bad ones by index', async () => {
    const org = await api.signup('batch-big');
    const pad = (s: string, n: number) => s.padEnd(n, 'x');
    const records = Array.from({ length: 1000 }, (_, i) => ({
      externalId: pad(`ext-${i}-`, 200),
      firstName: pad(`First${i}`, 100),
      lastName: pad('Last', 100),
      email: `${pad(`person${i}.`, 60)}@acme.example`,
      company: pad('Acme', 200),
      title: pad('Engineer', 200),
      source: pad('web', 100),
    }));
    const bad = [3, 250, 499, 500, 777, 999];
    records[3]!.email = 'not-an-email';
    (records[250] as Record<string, unknown>).notes = 'unknown field';
    records[499]!.firstName = 'x'.repeat(101);
    (records[500] as Record<string, unknown>).status = 'bogus';
    (records[777] as Record<string, unknown>).externalId = '';
    records[999]!.externalId = records[998]!.externalId;
    expect(JSON.stringify({ mode: 'create', records }).length).toBeGreaterThan(1024 * 1024);
    const reply = await batch(org.token, { mode: 'create', records });
    expect(reply.status, JSON.stringify(reply.data).slice(0, 500)).toBe(200);
    expect(reply.data).toMatchObject({ created: 994, updated: 0, failed: 6 });
    expect(reply.data.results).toHaveLength(1000);
    expect(reply.data.results.map((r: { index: number }) => r.index)).toEqual(records.map((_, i) => i));
    const failures = reply.data.results.filter((r: { status: string }) => r.status === 'failed');
    expect(failures.map((r: { index: number }) => r.index)).toEqual(bad);
    expect(failures[0].error).toMatchObject({ code: 'validation_failed', details: [{ path: 'email' }] });
    expect(failures[1].error.details).toEqual([{ path: 'notes', message: 'Unknown field' }]);
    expect(failures[4].error.details).toEqual([expect.objectContaining({ path: 'externalId' })]);
    expect(failures[5].error.code).toBe('duplicate_in_batch');
    const state = await stored(org);
    expect(state.leads).toHaveLength(994);
    expect(state.audits).toBe(994);
    expect(state.events).toBe(994);
    const first = state.leads.find((l) => l.id === reply.data.results[0].id)!;
    expect(first).toMatchObject({ email: records[0]!.email, externalId: records[0]!.externalId, ownerId: null });
    expect(first.score).toBeGreaterThan(0);
  });

  it('upserts on externalId and on email: updates, leaves unchanged, creates, rescoring', async () => {
    const org = await api.signup('batch-upsert');
    const made = await batch(org.token, {
      mode: 'create',
      records: [
        { externalId: 'crm-1', firstName: 'Ada', email: 'ada@analytical.example' },
        { externalId: 'crm-2', firstName: 'Grace', email: 'grace@navy.example' },
      ],
    });
    expect(made.data).toMatchObject({ created: 2, failed: 0 });
    const [ada, grace] = made.data.results.map((r: { id: string }) => r.id);
    const byExternal = await batch(org.token, {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [
        { externalId: 'crm-1', firstName: 'Ada', title: 'Chief Executive', status: 'contacted' },
        { externalId: 'crm-2', firstName: 'Grace' },
        { externalId: 'crm-3', firstName: 'Linus' },
        { firstName: 'No key' },
      ],
    });
    expect(byExternal.status).toBe(200);
    expect(byExternal.data.results).toEqual([
      { index: 0, status: 'updated', id: ada },
      { index: 1, status: 'unchanged', id: grace },
      { index: 2, status: 'created', id: expect.any(String) },
      expect.objectContaining({
        index: 3,
        status: 'failed',
        error: expect.objectContaining({ code: 'validation_failed' }),
      }),
    ]);
    expect(byExternal.data).toMatchObject({ created: 1, updated: 1, failed: 1 });
    const read = await api.call('GET', `/api/v1/leads/${ada}`, { token: org.token });
    expect(read.data).toMatchObject({ title: 'Chief Executive', status: 'contacted', firstName: 'Ada', version: 2 });
    const byEmail = await batch(org.token, {
      mode: 'upsert',
      matchOn: 'email',
      records: [
        { email: 'GRACE@navy.example', lastName: 'Hopper', externalId: 'crm-2b' },
        { email: 'new@person.example', firstName: 'New' },
        { email: 'new@person.example', firstName: 'Twice' },
        { email: 'ada@analytical.example', externalId: 'crm-3' },
      ],
    });
    expect(byEmail.data.results.map((r: { status: string }) => r.status)).toEqual([
      'updated',
      'created',
      'failed',
      'failed',
    ]);
    expect(byEmail.data.results[2].error.code).toBe('duplicate_in_batch');
    expect(byEmail.data.results[3].error.code).toBe('external_id_taken');
    const hopper = (await stored(org)).leads.find((l) => l.id === grace)!;
    expect(hopper).toMatchObject({ lastName: 'Hopper', externalId: 'crm-2b', version: 2 });
    // create mode never overwrites: a taken externalId fails that record alone.
    const again = await batch(org.token, { mode: 'create', records: [{ externalId: 'crm-1', firstName: 'Dup' }] });
    expect(again.data.results[0]).toMatchObject({ status: 'failed', error: { code: 'external_id_taken' } });
  });

  it('never matches or changes another organization’s lead by externalId or email', async () => {
    const [a, b] = await Promise.all([api.signup('batch-iso-a'), api.signup('batch-iso-b')]);
    const record = { externalId: 'shared-1', firstName: 'Of A', email: 'shared@iso.example' };
    const madeA = await batch(a.token, { mode: 'create', records: [record] });
    expect(madeA.data.created).toBe(1);
    for (const matchOn of ['externalId', 'email']) {
      const upsert = await batch(b.token, {
        mode: 'upsert',
        matchOn,
        records: [{ externalId: 'shared-1', firstName: 'Of B', email: 'shared@iso.example' }],
      });
      expect(upsert.data.results[0].id).not.toBe(madeA.data.results[0].id);
    }
    const inA = (await stored(a)).leads;
    expect(inA).toHaveLength(1);
    expect(inA[0]).toMatchObject({ firstName: 'Of A', version: 1 });
    const inB = (await stored(b)).leads;
    expect(inB).toHaveLength(1);
    expect(inB[0]).toMatchObject({ firstName: 'Of B', externalId: 'shared-1' });
  });

  it('applies the single writes’ roles: viewers refused, reps own what they create and cannot upsert others’', async () => {
    const admin = await api.signup('batch-roles');
    const [viewer, rep, colleague] = await Promise.all([
      api.member(admin.token, 'viewer'),
      api.member(admin.token, 'sales_rep'),
      api.member(admin.token, 'sales_rep', 'colleague'),
    ]);
    expectError(await batch(viewer.token, { mode: 'create', records: [{ firstName: 'V' }] }), 403, 'forbidden');
    const theirs = await batch(colleague.token, { mode: 'create', records: [{ externalId: 'col-1', firstName: 'C' }] });
    expect(theirs.data.created).toBe(1);
    const reply = await batch(rep.token, {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [
        { externalId: 'col-1', firstName: 'Stolen' },
        { externalId: 'rep-1', firstName: 'Mine' },
        { externalId: 'rep-2', firstName: 'Given away', ownerId: colleague.user.id },
      ],
    });
    expect(reply.data.results[0]).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    expect(reply.data.results[0].id).toBeUndefined();
    expect(reply.data.results[1].status).toBe('created');
    expect(reply.data.results[2]).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    const all = (await stored(admin)).leads;
    expect(all.find((l) => l.externalId === 'col-1')).toMatchObject({ firstName: 'C', ownerId: colleague.user.id });
    expect(all.find((l) => l.externalId === 'rep-1')).toMatchObject({ ownerId: rep.user.id });
    const unknownOwner = await batch(admin.token, {
      mode: 'create',
      records: [{ firstName: 'X', ownerId: '0193a5f2-0c1e-7a2b-9d1e-3f4a5b6c7d8e' }],
    });
    expect(unknownOwner.data.results[0]).toMatchObject({ status: 'failed', error: { code: 'unknown_owner' } });
  });

  it('replays an Idempotency-Key retry, and refuses bad requests as a whole with 400 or 413', async () => {
    const org = await api.signup('batch-idem');
    const key = api.unique('key');
    const body = { mode: 'create', records: [{ firstName: 'Once' }] };
    const first = await batch(org.token, body, key);
    const again = await batch(org.token, body, key);
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await batch(org.token, { mode: 'create', records: [{ firstName: 'Other' }] }, key),
      422,
      'idempotency_key_reused',
    );
    expect((await stored(org)).leads).toHaveLength(1);
    expectError(await batch(org.token, { mode: 'upsert', records: [{ firstName: 'A' }] }), 400, 'validation_failed');
    expectError(
      await batch(org.token, { mode: 'upsert', matchOn: 'domain', records: [{ firstName: 'A' }] }),
      400,
      'validation_failed',
    );
    expectError(await batch(org.token, { mode: 'create', records: [] }), 400, 'validation_failed');
    expectError(
      await batch(org.token, { mode: 'create', records: [{ firstName: 'A' }], extra: 1 }),
      400,
      'validation_failed',
    );
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ firstName: `N${i}` }));
    expectError(await batch(org.token, { mode: 'create', records: tooMany }), 400, 'validation_failed');
    const huge = Array.from({ length: 900 }, () => ({ firstName: 'x'.repeat(10_000) }));
    expectError(await batch(org.token, { mode: 'create', records: huge }), 413, 'payload_too_large');
    // Other routes keep the 1 MiB limit.
    expectError(
      await api.call('POST', '/api/v1/leads', {
        token: org.token,
        body: { firstName: 'A', pad: 'x'.repeat(1_100_000) },
      }),
      413,
      'payload_too_large',
    );
    expect((await stored(org)).leads).toHaveLength(1);
  });

  it('validates customFields against the organization’s definitions, failing an invalid record alone', async () => {
    const org = await api.signup('batch-custom');
    const define = async (body: Record<string, unknown>) => {
      const made = await api.call('POST', '/api/v1/custom-fields', {
        token: org.token,
        body: { entity: 'lead', ...body },
      });
      expect(made.status, JSON.stringify(made.data)).toBe(201);
    };
    await define({ key: 'budget', label: 'Budget', type: 'number', required: true });
    await define({ key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] });
    const made = await batch(org.token, {
      mode: 'create',
      records: [
        { externalId: 'cf-1', firstName: 'Ada', customFields: { budget: 5000, tier: 'gold' } },
        { externalId: 'cf-2', firstName: 'No budget', customFields: { tier: 'silver' } },
        { externalId: 'cf-3', firstName: 'Bad tier', customFields: { budget: 1, tier: 'bronze', colour: 'red' } },
        { externalId: 'cf-4', firstName: 'Grace', customFields: { budget: 10 } },
      ],
    });
    expect(made.status).toBe(200);
    expect(made.data).toMatchObject({ created: 2, failed: 2 });
    expect(made.data.results[1]).toMatchObject({
      status: 'failed',
      error: {
        code: 'validation_failed',
        message: 'The custom fields are invalid',
        details: [{ path: 'customFields.budget', message: 'Required' }],
      },
    });
    expect(made.data.results[2].error.details).toEqual([
      { path: 'customFields.tier', message: 'Expected one of: gold, silver' },
      { path: 'customFields.colour', message: 'Unknown custom field' },
    ]);
    const ada = made.data.results[0].id;
    const upsert = await batch(org.token, {
      mode: 'upsert',
      matchOn: 'externalId',
      records: [
        { externalId: 'cf-1', firstName: 'Ada', customFields: { tier: null } },
        { externalId: 'cf-4', firstName: 'Grace', customFields: { budget: null } },
        { externalId: 'cf-4b', firstName: 'Grace', customFields: { budget: 'lots' } },
        { externalId: 'cf-4', firstName: 'Grace', customFields: { budget: 10 } },
      ],
    });
    expect(upsert.data.results.map((r: { status: string }) => r.status)).toEqual([
      'updated',
      'failed',
      'failed',
      'failed',
    ]);
    expect(upsert.data.results[1]).toMatchObject({
      id: made.data.results[3].id,
      error: { code: 'validation_failed', details: [{ path: 'customFields.budget', message: 'Required' }] },
    });
    expect(upsert.data.results[2].error.details).toEqual([
      { path: 'customFields.budget', message: 'Expected a finite number' },
    ]);
    expect(upsert.data.results[3].error.code).toBe('duplicate_in_batch');
    const state = await stored(org);
    expect(state.leads.map((l) => [l.externalId, l.customFields, l.version]).sort()).toEqual([
      ['cf-1', { budget: 5000 }, 2],
      ['cf-4', { budget: 10 }, 1],
    ]);
    expect(state.audits).toBe(3);
    expect(state.events).toBe(3);
    const read = await api.call('GET', `/api/v1/leads/${ada}`, { token: org.token });
    expect(read.data.customFields).toEqual({ budget: 5000 });
  });
});
