import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { apiClient } from '../../test/support/api.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import type { RegionContext } from '../context.ts';
import { deadLetterOf, type JobData } from './queue.ts';
import { errorOf, withoutSecrets } from './view.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let ctx: RegionContext;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let admin: Session;
let other: Session;
let manager: Member;
let rep: Member;

// No worker runs in this stack (`workers: 'none'`), so a retried job stays queued where the test can see it.
const queue = 'email.send';

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  ctx = stack.regions.us!.ctx;
  [admin, other] = await Promise.all([
    api.signup('jobs-admin', { region: 'us' }),
    api.signup('jobs-other', { region: 'us' }),
  ]);
  [manager, rep] = await Promise.all([api.member(admin.token, 'manager'), api.member(admin.token, 'sales_rep')]);
}, 60_000);
afterAll(() => stack?.stop());

/** A job that used up its retries, put straight into the dead-letter queue with the error pg-boss would store. */
async function deadJob(organizationId: string, data: Record<string, unknown>): Promise<string> {
  const id = await ctx.jobs.sendNow<JobData>(deadLetterOf(queue), { organizationId, ...data });
  if (!id) throw new Error('not queued');
  const output = JSON.stringify({
    message: 'connect ECONNREFUSED',
    stack: 'Error: connect ECONNREFUSED\n    at x.ts:1',
  });
  await ctx.shards
    .forOrganization(organizationId)
    .db.execute(sql`update pgboss.job set output = ${output}::jsonb where id = ${id}::uuid`);
  return id;
}

const list = (token: string, query = '') => api.call('GET', `/api/v1/jobs/dead${query}`, { token });
const retry = (token: string, id: string, name = queue) =>
  api.call('POST', `/api/v1/jobs/dead/${name}/${id}/retry`, { token });
const discard = (token: string, id: string, name = queue) =>
  api.call('DELETE', `/api/v1/jobs/dead/${name}/${id}`, { token });
const idsOf = (reply: { data: { data: { id: string }[] } }) => reply.data.data.map((job) => job.id);

describe('the dead-letter list', () => {
  it('lists the organization’s dead jobs newest first, with the error message and no secrets', async () => {
    const emailId = newId();
    const older = await deadJob(admin.organization.id, { emailId, n: 1 });
    const newer = await deadJob(admin.organization.id, {
      emailId,
      n: 2,
      unsubscribeToken: 'tok-123',
      smtp: { password: 'hunter2', host: 'smtp.example' },
      webhookSecretId: 'kept-because-an-id',
    });
    const reply = await list(admin.token);
    expect(reply.status, JSON.stringify(reply.data)).toBe(200);
    const mine = reply.data.data.filter((job: { id: string }) => [older, newer].includes(job.id));
    expect(mine.map((job: { id: string }) => job.id)).toEqual([newer, older]);
    expect(mine[0]).toEqual({
      queue,
      id: newer,
      failedAt: expect.any(String),
      error: { message: 'connect ECONNREFUSED' },
      data: {
        organizationId: admin.organization.id,
        emailId,
        n: 2,
        smtp: { host: 'smtp.example' },
        webhookSecretId: 'kept-because-an-id',
      },
    });
    expect(JSON.stringify(reply.data)).not.toMatch(/stack|hunter2|tok-123/);

    expect(idsOf(await list(admin.token, `?queue=${queue}&limit=1`))).toHaveLength(1);
    const another = ctx.jobs.specs.find((spec) => spec.name !== queue)!.name;
    const narrowed = await list(admin.token, `?queue=${another}`);
    expect(narrowed.status, JSON.stringify(narrowed.data)).toBe(200);
    expect(idsOf(narrowed)).not.toContain(newer);
  });

  it('is for admins only: 403 for a manager, a sales rep and a key without the scope', async () => {
    expectError(await list(manager.token), 403, 'forbidden');
    expectError(await list(rep.token), 403, 'forbidden');
    const id = await deadJob(admin.organization.id, { n: 3 });
    expectError(await retry(manager.token, id), 403, 'forbidden');
    expectError(await discard(rep.token, id), 403, 'forbidden');

    const unscoped = await api.call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: api.unique('k'), scopes: ['leads:read'] },
    });
    expectError(await list(unscoped.data.key), 403, 'forbidden');
    const scoped = await api.call('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { name: api.unique('k'), scopes: ['jobs:manage'] },
    });
    expect(scoped.status, JSON.stringify(scoped.data)).toBe(201);
    expect(idsOf(await list(scoped.data.key))).toContain(id);
  });

  it('shows another organization none of them, and answers it 404 on retry and discard', async () => {
    const id = await deadJob(admin.organization.id, { n: 4 });
    const theirs = await list(other.token);
    expect(theirs.status).toBe(200);
    expect(idsOf(theirs)).not.toContain(id);
    expectError(await retry(other.token, id), 404, 'not_found');
    expectError(await discard(other.token, id), 404, 'not_found');
    expect(idsOf(await list(admin.token))).toContain(id);
  });

  it('retries a dead job as a new job on its original queue, once, and audits it', async () => {
    const emailId = newId();
    const id = await deadJob(admin.organization.id, { emailId, n: 5 });
    const retried = await retry(admin.token, id);
    expect(retried.status, JSON.stringify(retried.data)).toBe(202);
    expect(retried.data).toEqual({ queue, id: expect.any(String), retriedId: id });
    expect(retried.data.id).not.toBe(id);

    const boss = (await ctx.shards
      .forOrganization(admin.organization.id)
      .db.execute(sql`select name, data from pgboss.job where id = ${retried.data.id}::uuid`)) as unknown;
    const rows = (boss as { rows?: unknown[] }).rows ?? (boss as unknown[]);
    expect(rows).toEqual([{ name: queue, data: { organizationId: admin.organization.id, emailId, n: 5 } }]);
    expect(idsOf(await list(admin.token))).not.toContain(id);
    expectError(await retry(admin.token, id), 404, 'not_found');

    const audit = await api.call('GET', '/api/v1/audit-log?action=job.retried', { token: admin.token });
    expect(audit.data.data[0]).toMatchObject({ targetId: retried.data.id });
  });

  it('retries a job once however many admins ask at the same moment', async () => {
    const id = await deadJob(admin.organization.id, { n: 8 });
    const replies = await Promise.all([retry(admin.token, id), retry(admin.token, id), discard(admin.token, id)]);
    expect(replies.map((reply) => reply.status).filter((status) => status !== 404)).toHaveLength(1);
    for (const reply of replies) if (reply.status === 404) expectError(reply, 404, 'not_found');
  });

  it('discards a dead job, and audits it', async () => {
    const id = await deadJob(admin.organization.id, { n: 6 });
    expect((await discard(admin.token, id)).status).toBe(204);
    expect(idsOf(await list(admin.token))).not.toContain(id);
    expectError(await discard(admin.token, id), 404, 'not_found');
    const audit = await api.call('GET', '/api/v1/audit-log?action=job.discarded', { token: admin.token });
    expect(audit.data.data[0]).toMatchObject({ targetId: id });
  });

  it('answers bad input with a 400 envelope', async () => {
    const id = await deadJob(admin.organization.id, { n: 7 });
    expectError(await retry(admin.token, id, 'no.such.queue'), 400, 'unknown_queue');
    expectError(await discard(admin.token, id, 'no.such.queue'), 400, 'unknown_queue');
    expectError(await list(admin.token, '?queue=no.such.queue'), 400, 'unknown_queue');
    expectError(await retry(admin.token, 'not-a-uuid'), 400);
    expectError(await list(admin.token, '?limit=0'), 400);
    expectError(await list(admin.token, '?limit=101'), 400);
    expect(idsOf(await list(admin.token))).toContain(id);
  });
});

describe('what a dead job shows', () => {
  it('drops secret-named keys at any depth and keeps ids', () => {
    expect(
      withoutSecrets({
        organizationId: 'o',
        token: 't',
        apiKey: 'k',
        api_key_id: 'kept',
        tokenId: 'kept',
        nested: [{ clientSecret: 's', id: 'i' }],
      }),
    ).toEqual({ organizationId: 'o', api_key_id: 'kept', tokenId: 'kept', nested: [{ id: 'i' }] });
  });

  it('keeps only the message of a stored error', () => {
    expect(errorOf({ message: 'boom', stack: 'Error: boom\n at x' })).toEqual({ message: 'boom' });
    expect(errorOf(null)).toBeNull();
    expect(errorOf('refused')).toEqual({ message: 'refused' });
  });
});
