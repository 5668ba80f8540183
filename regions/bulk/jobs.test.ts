import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { auditLog, bulkJobs, leads } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { bulkAdapters } from './adapters.ts';
import { runBulkJob } from './job-run.ts';
import type { BulkAdapter } from './run.ts';
import { type Api, onShard, type Session, seedRows } from './testing.ts';

let stack: TestStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack({ workers: 'batch' });
  api = apiClient(stack.edgeUrl);
});
afterAll(() => stack?.stop());

const bulk = (token: string, body: unknown) => api.call('POST', '/api/v1/leads/bulk', { token, body });
const getJob = (token: string, id: string) => api.call('GET', `/api/v1/bulk-jobs/${id}`, { token });

/** Polls the job until it has finished; a shared database under load may take a while to hand the job out. */
async function waitForJob(token: string, id: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(token, id);
    expect(job.status, JSON.stringify(job.data)).toBe(200);
    if (['completed', 'failed', 'cancelled'].includes(job.data.status)) return job.data;
    if (Date.now() > until) throw new Error(`bulk job ${id} still ${job.data.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const leadIds = (session: Session, source: string) =>
  onShard(stack, session, async (tx) =>
    (await tx.select({ id: leads.id }).from(leads).where(eq(leads.source, source)).orderBy(leads.id)).map((r) => r.id),
  );

const auditPerLead = (session: Session, action: string) =>
  onShard(stack, session, (tx) =>
    tx
      .select({ targetId: auditLog.targetId, n: count() })
      .from(auditLog)
      .where(eq(auditLog.action, action))
      .groupBy(auditLog.targetId),
  );

/**
 * A job made as the route makes one, but with no `bulk.run` message, so the test drives it alone: the actor is
 * copied from a job the route made for the same session.
 */
async function unqueuedJob(session: Session, actor: Record<string, unknown>, ids: string[], value: string[]) {
  const id = newId();
  await onShard(stack, session, (tx) =>
    tx.insert(bulkJobs).values({
      organizationId: session.organization.id,
      id,
      resource: 'leads',
      action: 'add_tags',
      value: { value },
      ids,
      total: ids.length,
      actor,
    }),
  );
  return { organizationId: session.organization.id, bulkJobId: id };
}

async function actorOfAJob(session: Session) {
  await seedRows(stack, session, 'leads', 1, { first_name: 'Probe', source: 'probe' });
  const [one] = await leadIds(session, 'probe');
  const made = await bulk(session.token, {
    action: 'add_tags',
    value: ['probe'],
    select: { ids: [one] },
    mode: 'async',
  });
  expect(made.status, JSON.stringify(made.data)).toBe(202);
  await waitForJob(session.token, made.data.id);
  const [row] = await onShard(stack, session, (tx) => tx.select().from(bulkJobs).where(eq(bulkJobs.id, made.data.id)));
  return row!.actor;
}

/** The lead adapter, failing (before writing) on the chunk numbered `failOn` (1-based) of this run. */
function failingLeads(failOn: number) {
  let calls = 0;
  const leadsAdapter = bulkAdapters.leads;
  const failing: BulkAdapter<never, unknown> = {
    ...leadsAdapter,
    async apply(tx, actor, action, value, ids) {
      calls += 1;
      if (calls === failOn) throw new Error('simulated crash mid-run');
      return leadsAdapter.apply(tx, actor, action, value, ids);
    },
  };
  return { ...bulkAdapters, leads: failing };
}

describe('bulk jobs', () => {
  it('runs a selection above one chunk as a job: 202, progress, then results and counters', async () => {
    const org = await api.signup('bulk-job');
    await seedRows(stack, org, 'leads', 1_200, { first_name: 'Bulk', source: 'job' });
    const started = await bulk(org.token, {
      action: 'set_status',
      value: 'qualified',
      select: { filter: { source: 'job' } },
    });
    expect(started.status, JSON.stringify(started.data)).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/v1/bulk-jobs/${started.data.id}`);
    expect(started.data).toMatchObject({ resource: 'leads', action: 'set_status', total: 1_200, results: null });
    expect(['queued', 'running', 'completed']).toContain(started.data.status);

    const done = await waitForJob(org.token, started.data.id);
    expect(done).toMatchObject({ status: 'completed', processed: 1_200, updated: 1_200, unchanged: 0, failed: 0 });
    expect(done.results).toHaveLength(1_200);
    expect(new Set(done.results.map((r: { id: string }) => r.id))).toEqual(new Set(await leadIds(org, 'job')));
    expect(done.results.every((r: { status: string }) => r.status === 'updated')).toBe(true);
    const statuses = await onShard(stack, org, (tx) =>
      tx.select({ status: leads.status, n: count() }).from(leads).groupBy(leads.status),
    );
    expect(statuses).toEqual([{ status: 'qualified', n: 1_200 }]);
    const audits = await auditPerLead(org, 'lead.updated');
    expect(audits).toHaveLength(1_200);
    expect(audits.every((a) => a.n === 1)).toBe(true);
  });

  it('still answers at most one chunk within the request (200), unless mode is async', async () => {
    const org = await api.signup('bulk-job-small');
    await seedRows(stack, org, 'leads', 500, { first_name: 'Small', source: 'small' });
    const sync = await bulk(org.token, { action: 'add_tags', value: ['a'], select: { filter: { source: 'small' } } });
    expect(sync.status, JSON.stringify(sync.data)).toBe(200);
    expect(sync.data).toMatchObject({ updated: 500, unchanged: 0, failed: 0, notFound: 0 });
    expect(sync.data.results).toHaveLength(500);

    const ids = (await leadIds(org, 'small')).slice(0, 3);
    const forced = await bulk(org.token, { action: 'add_tags', value: ['b'], select: { ids }, mode: 'async' });
    expect(forced.status, JSON.stringify(forced.data)).toBe(202);
    const done = await waitForJob(org.token, forced.data.id);
    expect(done).toMatchObject({ status: 'completed', total: 3, processed: 3, updated: 3 });
    expect(done.results).toEqual(ids.map((id) => ({ id, status: 'updated' })));
    // A job keeps an explicit null (unassign) apart from no value at all (delete).
    const unassign = await bulk(org.token, { action: 'assign', value: null, select: { ids }, mode: 'async' });
    expect(await waitForJob(org.token, unassign.data.id)).toMatchObject({ status: 'completed', unchanged: 3 });
    const deleted = await bulk(org.token, { action: 'delete', select: { ids }, mode: 'async' });
    expect(await waitForJob(org.token, deleted.data.id)).toMatchObject({ status: 'completed', updated: 3 });
    expect(await leadIds(org, 'small')).toHaveLength(497);
  });

  it('shows and cancels a job only for its starter and the organization’s admins and managers', async () => {
    const [org, other] = await Promise.all([api.signup('bulk-job-owner'), api.signup('bulk-job-other')]);
    const rep = await api.member(org.token, 'sales_rep', 'bulk-job-rep');
    await seedRows(stack, org, 'leads', 2, { first_name: 'Mine', source: 'seed' });
    const [one] = await leadIds(org, 'seed');
    const made = await bulk(org.token, { action: 'add_tags', value: ['x'], select: { ids: [one] }, mode: 'async' });
    expect(made.status).toBe(202);
    expectError(await getJob(other.token, made.data.id), 404, 'not_found');
    expectError(await api.call('POST', `/api/v1/bulk-jobs/${made.data.id}/cancel`, { token: other.token }), 404);
    expectError(await getJob(rep.token, made.data.id), 404, 'not_found');
    expectError(await getJob(org.token, newId()), 404, 'not_found');
    const done = await waitForJob(org.token, made.data.id);
    expect(done.status).toBe('completed');
    const late = await api.call('POST', `/api/v1/bulk-jobs/${made.data.id}/cancel`, { token: org.token });
    expectError(late, 409, 'bulk_job_finished');
  });

  it('cancels between chunks: committed chunks stay, no later one is applied', async () => {
    const org = await api.signup('bulk-job-cancel');
    await seedRows(stack, org, 'leads', 1_200, { first_name: 'Cancel', source: 'seed' });
    const actor = await actorOfAJob(org);
    const ids = await leadIds(org, 'seed');

    // Cancelled before any chunk: the run applies nothing.
    const early = await unqueuedJob(org, actor, ids, ['early']);
    const cancelled = await api.call('POST', `/api/v1/bulk-jobs/${early.bulkJobId}/cancel`, { token: org.token });
    expect(cancelled.status, JSON.stringify(cancelled.data)).toBe(200);
    expect(cancelled.data).toMatchObject({ status: 'cancelled', processed: 0, results: [] });
    const ctx = stack.regions[org.organization.homeRegion]!.ctx;
    expect(await runBulkJob(ctx, early, { stopping: false }, { last: false })).toBe('cancelled');

    // Cancelled while the first chunk is being written: that chunk commits, the run stops before the second.
    const midway = await unqueuedJob(org, actor, ids, ['midway']);
    let cancel: Promise<unknown> | undefined;
    const leadsAdapter = bulkAdapters.leads;
    const adapters = {
      ...bulkAdapters,
      leads: {
        ...leadsAdapter,
        async apply(...args: Parameters<typeof leadsAdapter.apply>) {
          const applied = await leadsAdapter.apply(...args);
          // The cancel waits on the job row this chunk's transaction holds, and goes through once it commits.
          cancel ??= api.call('POST', `/api/v1/bulk-jobs/${midway.bulkJobId}/cancel`, { token: org.token });
          await new Promise((resolve) => setTimeout(resolve, 500));
          return applied;
        },
      } satisfies BulkAdapter<never, unknown>,
    };
    expect(await runBulkJob(ctx, midway, { stopping: false }, { last: false }, adapters)).toBe('cancelled');
    await cancel;
    const job = await getJob(org.token, midway.bulkJobId);
    expect(job.data).toMatchObject({ status: 'cancelled', processed: 500, updated: 500 });
    expect(job.data.results).toHaveLength(500);
    const tagged = await onShard(stack, org, (tx) =>
      tx.select({ n: count() }).from(leads).where(sql`'midway' = any(${leads.tags})`),
    );
    expect(tagged[0]!.n).toBe(500);
  });

  it('resumes after the last committed chunk when retried, never applying a chunk twice', async () => {
    const org = await api.signup('bulk-job-retry');
    await seedRows(stack, org, 'leads', 1_200, { first_name: 'Retry', source: 'seed' });
    const actor = await actorOfAJob(org);
    const ids = await leadIds(org, 'seed');
    const ctx = stack.regions[org.organization.homeRegion]!.ctx;
    const target = await unqueuedJob(org, actor, ids, ['retry']);

    // The second chunk crashes: the first stays committed with its offset, and the attempt throws for pg-boss.
    await expect(runBulkJob(ctx, target, { stopping: false }, { last: false }, failingLeads(2))).rejects.toThrow(
      'simulated crash',
    );
    const [midway] = await onShard(stack, org, (tx) =>
      tx
        .select()
        .from(bulkJobs)
        .where(and(eq(bulkJobs.id, target.bulkJobId))),
    );
    expect(midway).toMatchObject({ status: 'running', done: 500, updated: 500 });

    expect(await runBulkJob(ctx, target, { stopping: false }, { last: false })).toBe('completed');
    const done = await getJob(org.token, target.bulkJobId);
    expect(done.data).toMatchObject({ status: 'completed', processed: 1_200, updated: 1_200, unchanged: 0 });
    expect(done.data.results.map((r: { id: string }) => r.id)).toEqual(ids);
    const audits = (await auditPerLead(org, 'lead.updated')).filter((a) => ids.includes(a.targetId!));
    expect(audits).toHaveLength(1_200);
    expect(audits.every((a) => a.n === 1)).toBe(true);

    // A stopping process ends the run after the chunk in hand; the next run picks up after it.
    const stopped = await unqueuedJob(org, actor, ids, ['stop']);
    let checks = 0;
    const stopAfterOneChunk = {
      get stopping() {
        return checks++ >= 1;
      },
    };
    expect(await runBulkJob(ctx, stopped, stopAfterOneChunk, { last: false })).toBe('stopped');
    expect((await getJob(org.token, stopped.bulkJobId)).data).toMatchObject({ status: 'running', processed: 500 });
    expect(await runBulkJob(ctx, stopped, { stopping: false }, { last: false })).toBe('completed');
    expect((await getJob(org.token, stopped.bulkJobId)).data).toMatchObject({ processed: 1_200, updated: 1_200 });

    // A crash on the last attempt fails the job, keeping what was committed.
    const last = await unqueuedJob(org, actor, ids, ['last']);
    await expect(runBulkJob(ctx, last, { stopping: false }, { last: true }, failingLeads(2))).rejects.toThrow();
    const failed = await getJob(org.token, last.bulkJobId);
    expect(failed.data).toMatchObject({ status: 'failed', processed: 500, error: { code: 'internal_error' } });
    expect(failed.data.results).toHaveLength(500);
  });
});
