import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema/index.ts';
import { toBusEvent } from '../../regions/events/relay.ts';
import { apiClient } from '../../test/support/api.ts';
import { privateShards } from '../../test/support/databases.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { verifyWebhook } from '../webhooks/signature.ts';
import { executeRun } from './execute.ts';
import { fireSchedule } from './schedule.ts';

// The receiver below listens on loopback, which the SSRF guard refuses unless told otherwise.
process.env.WEBHOOKS_ALLOW_PRIVATE = 'true';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
type Member = Awaited<ReturnType<ReturnType<typeof apiClient>['member']>>;
let admin: Session;
let rep: Member;
let manager: Member;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  // The relay feeds the bus, automation consumes it, as in a region process. The edge's read cache is off: runs
  // are written behind the edge's back and read at once.
  stack = await startTestStack({
    regions: ['us'],
    workers: 'relay,automation',
    edge: { cacheTtlSeconds: 0 },
    // Its own shards: on the shared ones a new consumer group would first work through every suite's events.
    shards: { us: await privateShards('automation') },
  });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('automation', { region: 'us' });
  [rep, manager] = await Promise.all([api.member(admin.token, 'sales_rep', 'rep'), api.member(admin.token, 'manager')]);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(req.url?.endsWith('/gone') ? 410 : req.url?.endsWith('/busy') ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}, 600_000);
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

type Run = { id: string; status: string; reason: string | null; depth: number; steps?: Step[] };
type Step = { position: number; type: string; status: string; result: unknown; error: string | null };

const createWorkflow = async (body: Record<string, unknown>) => {
  const made = await api.call('POST', '/api/v1/workflows', { token: admin.token, body: { enabled: true, ...body } });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; version: number };
};

const newLead = async (body: Record<string, unknown>) => {
  const made = await api.call('POST', '/api/v1/leads', {
    token: admin.token,
    body: { firstName: 'Ada', lastName: 'Lovelace', email: `${api.unique('lead')}@example.com`, ...body },
  });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data as { id: string; version: number };
};

const runsOf = async (workflowId: string): Promise<Run[]> => {
  const page = await api.call('GET', `/api/v1/workflows/${workflowId}/runs?limit=50`, { token: admin.token });
  expect(page.status, JSON.stringify(page.data)).toBe(200);
  return page.data.data;
};

/** Polls until `check` passes on the workflow's runs (the worker runs behind the relay, within seconds). */
async function runsUntil(workflowId: string, check: (runs: Run[]) => boolean, ms = 30_000): Promise<Run[]> {
  const until = Date.now() + ms;
  for (;;) {
    const runs = await runsOf(workflowId);
    if (check(runs)) return runs;
    if (Date.now() > until) throw new Error(`runs of ${workflowId} never matched: ${JSON.stringify(runs)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const settled = (run: Run) => run.status !== 'running';
const runDetail = async (workflowId: string, runId: string) => {
  const reply = await api.call('GET', `/api/v1/workflows/${workflowId}/runs/${runId}`, { token: admin.token });
  expect(reply.status, JSON.stringify(reply.data)).toBe(200);
  return reply.data as Run;
};

let webLeads: { id: string };

describe('the automation worker', () => {
  let webForm: { id: string };

  it('lead.created where source = web_form: a task for the owner and a notification, in the run log', async () => {
    webForm = await createWorkflow({
      name: 'Web leads: call within a day',
      trigger: {
        type: 'event',
        event: 'lead.created',
        conditions: { match: 'all', rules: [{ field: 'source', op: 'equals', value: 'web_form' }] },
      },
      actions: [
        { type: 'create_task', subject: 'Call {{firstName}} {{lastName}}', dueInHours: 24, owner: 'record_owner' },
        { type: 'notify', userId: 'record_owner', title: 'New web lead: {{firstName}} {{lastName}}' },
        { type: 'call_webhook', url: receiverUrl, secret: 'whsec_0123456789abcdef0123' },
      ],
    });
    const referral = await newLead({ source: 'referral', ownerId: rep.user.id });
    webLeads = await newLead({ source: 'web_form', ownerId: rep.user.id });
    const [run] = await runsUntil(webForm.id, (runs) => runs.length === 1 && settled(runs[0]!), 90_000);
    const detail = await runDetail(webForm.id, run!.id);
    expect(detail, JSON.stringify(detail)).toMatchObject({ status: 'succeeded', depth: 1, reason: null });
    expect(detail.steps!.map((s) => [s.type, s.status])).toEqual([
      ['create_task', 'ok'],
      ['notify', 'ok'],
      ['call_webhook', 'ok'],
    ]);
    expect((detail as unknown as { trigger: { aggregateId: string } }).trigger.aggregateId).toBe(webLeads.id);

    const tasks = await api.call('GET', `/api/v1/activities?leadId=${webLeads.id}`, { token: rep.token });
    expect(tasks.data.data).toMatchObject([{ type: 'task', subject: 'Call Ada Lovelace', ownerId: rep.user.id }]);
    const none = await api.call('GET', `/api/v1/activities?leadId=${referral.id}`, { token: admin.token });
    expect(none.data.data).toEqual([]);
    const notes = await api.call('GET', '/api/v1/notifications', { token: rep.token });
    expect(notes.data.data).toMatchObject([{ type: 'workflow', title: 'New web lead: Ada Lovelace' }]);

    // The webhook got the record, signed with the step's secret; the secret reads back masked.
    const hook = received.at(-1)!;
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'workflow.webhook', record: { id: webLeads.id } });
    const signed = {
      timestamp: hook.headers['webhook-timestamp'] as string,
      signature: hook.headers['webhook-signature'] as string,
    };
    expect(verifyWebhook('whsec_0123456789abcdef0123', signed, hook.body)).toBe(true);
    const read = await api.call('GET', `/api/v1/workflows/${webForm.id}`, { token: manager.token });
    expect(read.data.actions[2]).toEqual({ type: 'call_webhook', url: receiverUrl, secret: '********' });
  }, 120_000);

  it('a dry run says what would happen and changes nothing', async () => {
    const before = (await runsOf(webForm.id)).length;
    const sample = await api.call('POST', `/api/v1/workflows/${webForm.id}/dry-run`, {
      token: manager.token,
      body: { record: { firstName: 'Grace', lastName: 'Hopper', source: 'Web_Form', ownerId: rep.user.id } },
    });
    expect(sample.status, JSON.stringify(sample.data)).toBe(200);
    expect(sample.data).toMatchObject({
      matched: true,
      conditions: [{ field: 'source', op: 'equals', actual: 'Web_Form', matched: true }],
      actions: [
        {
          position: 0,
          type: 'create_task',
          wouldDo: `create the task "Call Grace Hopper" for ${rep.user.id}, due in 24 h`,
        },
        { position: 1, type: 'notify' },
        { position: 2, type: 'call_webhook', params: { secret: '********' } },
      ],
    });
    const existing = await api.call('POST', `/api/v1/workflows/${webForm.id}/dry-run`, {
      token: admin.token,
      body: { recordId: webLeads.id },
    });
    expect(existing.data.matched).toBe(true);
    const miss = await api.call('POST', `/api/v1/workflows/${webForm.id}/dry-run`, {
      token: admin.token,
      body: { record: { source: 'referral' } },
    });
    expect(miss.data.matched).toBe(false);
    const tasks = await api.call('GET', `/api/v1/activities?leadId=${webLeads.id}`, { token: admin.token });
    expect(tasks.data.data).toHaveLength(1);
    expect(await runsOf(webForm.id)).toHaveLength(before);
  });

  it('stops loops: never on its own write, and never twice in one chain', async () => {
    // A: a lead whose title mentions "loop" gets its industry set. B: a lead whose industry became "Automated"
    // gets its region set. A's write triggers A again (skipped: its own) and B; B's write triggers A (skipped: A
    // is already in the chain).
    const a = await createWorkflow({
      name: 'A',
      trigger: {
        type: 'event',
        event: 'lead.updated',
        conditions: { match: 'all', rules: [{ field: 'title', op: 'contains', value: 'loop' }] },
      },
      actions: [{ type: 'update_field', field: 'industry', value: 'Automated' }],
    });
    const b = await createWorkflow({
      name: 'B',
      trigger: {
        type: 'event',
        event: 'lead.updated',
        conditions: { match: 'all', rules: [{ field: 'industry', op: 'changed_to', value: 'automated' }] },
      },
      actions: [{ type: 'update_field', field: 'region', value: 'Looped' }],
    });
    const lead = await newLead({ source: 'referral' });
    const patched = await api.call('PATCH', `/api/v1/leads/${lead.id}`, {
      token: admin.token,
      body: { title: 'In the loop' },
    });
    expect(patched.status, JSON.stringify(patched.data)).toBe(200);
    const runsA = await runsUntil(a.id, (runs) => runs.length === 3 && runs.every(settled));
    const runsB = await runsUntil(b.id, (runs) => runs.length === 1 && runs.every(settled));
    expect(runsB[0]).toMatchObject({ status: 'succeeded', depth: 2 });
    // Newest first: the chain's skip, the self-trigger's skip, then the person's edit's run.
    const [chained, self, first] = runsA.sort((x, y) => x.id.localeCompare(y.id)).reverse();
    expect(first).toMatchObject({ status: 'succeeded', depth: 1 });
    expect(self).toMatchObject({ status: 'skipped', reason: 'loop: the event was caused by this workflow' });
    expect(chained).toMatchObject({ status: 'skipped', reason: expect.stringContaining('already ran earlier') });
    const now = await api.call('GET', `/api/v1/leads/${lead.id}`, { token: admin.token });
    expect(now.data).toMatchObject({ industry: 'Automated', region: 'Looped', version: 4 });
    // The audit log names the workflow as the actor of its writes.
    const audit = await api.call('GET', `/api/v1/audit-log?targetId=${lead.id}`, { token: admin.token });
    const actors = (audit.data.data as { action: string; actorId: string | null }[])
      .filter((e) => e.action === 'lead.updated')
      .map((e) => e.actorId);
    expect(actors).toEqual(expect.arrayContaining([a.id, b.id, admin.user.id]));
  }, 60_000);

  it('a step with nothing to act on is skipped; a refused one fails the run', async () => {
    const edgy = await createWorkflow({
      name: 'Edge cases',
      trigger: {
        type: 'event',
        event: 'lead.created',
        conditions: { match: 'all', rules: [{ field: 'source', op: 'equals', value: 'edge_case' }] },
      },
      actions: [
        { type: 'notify', userId: 'record_owner', title: 'Nobody owns this' },
        { type: 'call_webhook', url: receiverUrl.replace('/hook', '/gone') },
        { type: 'create_task', subject: 'Never' },
      ],
    });
    const lead = await newLead({ source: 'edge_case' });
    const [run] = await runsUntil(edgy.id, (runs) => runs.length === 1 && settled(runs[0]!));
    const detail = await runDetail(edgy.id, run!.id);
    expect(detail).toMatchObject({ status: 'failed', reason: expect.stringContaining('answered 410') });
    expect(detail.steps!.map((s) => [s.type, s.status])).toEqual([
      ['notify', 'skipped'],
      ['call_webhook', 'failed'],
    ]);
    const tasks = await api.call('GET', `/api/v1/activities?leadId=${lead.id}`, { token: admin.token });
    expect(tasks.data.data).toEqual([]);
  }, 60_000);

  it('starts one run per event however often the bus delivers it', async () => {
    const org = admin.organization.id;
    const shards = stack.regions.us!.ctx.shards;
    const [row] = await shards.withTenant(org, (tx) =>
      tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.aggregateId, webLeads.id), eq(outbox.eventType, 'lead.created'))),
    );
    const before = await runsOf(webForm.id);
    await stack.regions.us!.ctx.bus.publish([toBusEvent('us', row!), toBusEvent('us', row!)]);
    // A later event's run shows the worker has moved past the redelivered ones.
    const marker = await createWorkflow({
      name: 'Marker',
      trigger: { type: 'event', event: 'contact.created' },
      actions: [{ type: 'create_task', subject: 'Welcome {{firstName}}' }],
    });
    const contact = await api.call('POST', '/api/v1/contacts', {
      token: admin.token,
      body: { firstName: 'Marker', email: `${api.unique('c')}@example.com` },
    });
    expect(contact.status, JSON.stringify(contact.data)).toBe(201);
    await runsUntil(marker.id, (runs) => runs.length === 1 && runs[0]!.status === 'succeeded');
    expect((await runsOf(webForm.id)).map((r) => r.id)).toEqual(before.map((r) => r.id));
  }, 60_000);

  it('retries a step that failed for a passing reason, and fails the run after the last attempt', async () => {
    const flaky = await createWorkflow({
      name: 'Flaky receiver',
      trigger: {
        type: 'event',
        event: 'lead.created',
        conditions: { match: 'all', rules: [{ field: 'source', op: 'equals', value: 'flaky' }] },
      },
      actions: [{ type: 'call_webhook', url: receiverUrl.replace('/hook', '/busy') }],
    });
    await newLead({ source: 'flaky' });
    const [run] = await runsUntil(flaky.id, (runs) => runs.length === 1 && runs[0]!.reason !== null);
    expect(run).toMatchObject({ status: 'running', reason: expect.stringMatching(/answered 503; retrying$/) });
    const detail = await runDetail(flaky.id, run!.id);
    expect(detail.steps).toMatchObject([{ type: 'call_webhook', status: 'failed', attempts: 1 }]);
    // pg-boss retries it with backoff (10 s, doubling); its last attempt is played here rather than waited for.
    const { ctx } = stack.regions.us!;
    const webhook = { timeoutMs: 5000, allowPrivate: true };
    const deps = { shards: ctx.shards, jobs: ctx.jobs, region: 'us', webhook, secrets: ctx.secrets };
    const job = { data: { organizationId: admin.organization.id, runId: run!.id, chain: [flaky.id] }, retryCount: 5 };
    await expect(executeRun(deps, job)).rejects.toThrow('answered 503');
    const failed = await runDetail(flaky.id, run!.id);
    expect(failed).toMatchObject({ status: 'failed', reason: expect.stringContaining('on attempt 6') });
    expect(failed.steps).toMatchObject([{ status: 'failed', attempts: 6 }]);
  }, 60_000);

  it('a schedule fires a run for each record meeting its conditions, once, and queues its next firing', async () => {
    const label = api.unique('sched');
    const [hot] = [await newLead({ source: 'scheduled', industry: label }), await newLead({ source: 'scheduled' })];
    // Yearly, so the worker's own firing never comes during the test; this one is played by hand.
    const scheduled = await createWorkflow({
      name: 'Daily follow-up',
      trigger: {
        type: 'schedule',
        cron: '0 9 1 1 *',
        timezone: 'Europe/Berlin',
        entity: 'lead',
        conditions: { match: 'all', rules: [{ field: 'industry', op: 'equals', value: label }] },
      },
      actions: [{ type: 'update_field', field: 'status', value: 'contacted' }],
    });
    const { ctx } = stack.regions.us!;
    const deps = { shards: ctx.shards, jobs: ctx.jobs };
    const firing = {
      data: {
        organizationId: admin.organization.id,
        workflowId: scheduled.id,
        version: 1,
        fireAt: new Date().toISOString(),
      },
    };
    const fired = await fireSchedule(deps, firing);
    expect(fired).toMatchObject({ firingRunId: expect.any(String) });
    expect(await fireSchedule(deps, firing)).toBeNull();
    const stale = { data: { ...firing.data, version: 0 } };
    expect(await fireSchedule(deps, stale)).toBeNull();
    // The firing's own entry in the run log, and one run for the one lead that meets the conditions.
    const runs = await runsUntil(scheduled.id, (all) => all.length === 2 && all.every(settled));
    const run = runs.find((r) => r.id !== fired!.firingRunId)!;
    expect(run).toMatchObject({
      status: 'succeeded',
      trigger: { type: 'schedule', aggregateId: hot!.id, firingRunId: fired!.firingRunId },
    });
    expect(runs.find((r) => r.id === fired!.firingRunId)).toMatchObject({
      status: 'succeeded',
      trigger: { type: 'schedule.firing', entity: 'lead' },
    });
    const lead = await api.call('GET', `/api/v1/leads/${hot!.id}`, { token: admin.token });
    expect(lead.data.status).toBe('contacted');
    const next = await stack.regions.us!.ctx.shards.withTenant(admin.organization.id, (tx) =>
      tx.execute(
        sql`select start_after from pgboss.job where name = 'workflow.schedule' and data->>'workflowId' = ${scheduled.id}`,
      ),
    );
    const rows = ((next as { rows?: unknown }).rows ?? next) as { start_after: string | Date }[];
    // Queued at creation and again by the firing played here: the next 1 January 09:00 in Berlin, fired once.
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-01T08:00:00.000Z`;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => new Date(r.start_after).toISOString()))).toEqual(new Set([nextYear]));
    expectError(
      await api.call('POST', '/api/v1/workflows', {
        token: admin.token,
        body: {
          name: 'Bad',
          trigger: { type: 'schedule', cron: '0 25 * * *', entity: 'lead' },
          actions: [{ type: 'create_task', subject: 'x' }],
        },
      }),
      400,
      'invalid_workflow',
    );
  }, 60_000);

  it('a disabled workflow starts nothing; a wait step leaves the run waiting', async () => {
    const disabled = await api.call('POST', `/api/v1/workflows/${webForm.id}/disable`, { token: admin.token });
    expect(disabled.status, JSON.stringify(disabled.data)).toBe(200);
    expect(disabled.data.enabled).toBe(false);
    const before = (await runsOf(webForm.id)).length;
    const probe = await createWorkflow({
      name: 'Probe',
      trigger: { type: 'event', event: 'lead.created' },
      actions: [
        { type: 'wait', minutes: 60 },
        { type: 'notify', userId: rep.user.id, title: 'Later' },
      ],
    });
    await newLead({ source: 'web_form', ownerId: rep.user.id });
    // Events of one organization are handled in order: the probe's run means the lead's event was seen.
    const [waiting] = await runsUntil(probe.id, (runs) => runs.length === 1 && runs[0]!.status === 'waiting');
    expect(await runsOf(webForm.id)).toHaveLength(before);
    const detail = await runDetail(probe.id, waiting!.id);
    expect(detail.steps).toMatchObject([{ position: 0, type: 'wait', status: 'waiting' }]);
  }, 60_000);
});

describe('the workflows API', () => {
  const valid = {
    name: 'Valid',
    trigger: { type: 'event', event: 'lead.created' },
    actions: [{ type: 'create_task', subject: 'Call' }],
  };

  it('lets admins write and managers read; reps neither', async () => {
    expectError(await api.call('POST', '/api/v1/workflows', { token: manager.token, body: valid }), 403);
    expectError(await api.call('GET', '/api/v1/workflows', { token: rep.token }), 403);
    const listed = await api.call('GET', '/api/v1/workflows', { token: manager.token });
    expect(listed.status).toBe(200);
    expect(listed.data.data.length).toBeGreaterThan(0);
  });

  it('refuses unknown fields, impossible references and stale versions with the error envelope', async () => {
    const badField = await api.call('POST', '/api/v1/workflows', {
      token: admin.token,
      body: {
        ...valid,
        trigger: {
          type: 'event',
          event: 'lead.created',
          conditions: { match: 'all', rules: [{ field: 'shoeSize', op: 'equals', value: 42 }] },
        },
        actions: [
          { type: 'update_field', field: 'status', value: 'sleeping' },
          { type: 'assign', userId: '0193a5f3-0000-7000-8000-000000000000' },
        ],
      },
    });
    expectError(badField, 400, 'invalid_workflow');
    const paths = (badField.data.error.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(['trigger.conditions.rules.0.field', 'actions.0.value', 'actions.1.userId']);
    expectError(
      await api.call('POST', '/api/v1/workflows', {
        token: admin.token,
        body: { ...valid, actions: [{ type: 'wait', minutes: 5, seconds: 2 }] },
      }),
      400,
    );
    const made = await createWorkflow(valid);
    const stale = await api.call('PATCH', `/api/v1/workflows/${made.id}`, {
      token: admin.token,
      body: { name: 'Renamed' },
      headers: { 'if-match': '"v9"' },
    });
    expectError(stale, 412, 'precondition_failed');
    const renamed = await api.call('PATCH', `/api/v1/workflows/${made.id}`, {
      token: admin.token,
      body: { name: 'Renamed' },
      headers: { 'if-match': '"v1"' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get('etag')).toBe('"v2"');
    expect((await api.call('DELETE', `/api/v1/workflows/${made.id}`, { token: admin.token })).status).toBe(204);
    expectError(await api.call('GET', `/api/v1/workflows/${made.id}`, { token: admin.token }), 404);
  });
});
