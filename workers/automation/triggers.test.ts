import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPipeline, type Pipeline } from '../../regions/pipelines/fixtures.ts';
import { apiClient } from '../../test/support/api.ts';
import { privateShards } from '../../test/support/databases.ts';
import { expectError } from '../../test/support/envelope.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { fireSchedule, runScheduleBatch } from './schedule.ts';

// Workflows on the event types beyond record creation and update, and schedules over more records than one batch.
// The relay feeds the bus and the automation worker runs everything, as in a region process.

const SITE = 'https://shop.example';
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;
let repId: string;
let pipeline: Pipeline;

beforeAll(async () => {
  stack = await startTestStack({
    regions: ['us'],
    workers: 'relay,automation',
    edge: { cacheTtlSeconds: 0 },
    // Its own shards: on the shared ones a new consumer group would first work through every suite's events.
    shards: { us: await privateShards('automation_triggers') },
  });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('triggers', { region: 'us' });
  repId = (await api.member(admin.token, 'sales_rep', 'rep')).user.id;
  pipeline = await defaultPipeline(api, admin.token);
}, 600_000);
afterAll(() => stack?.stop());

type Step = { position: number; type: string; status: string; result: any; error: string | null };
type Run = { id: string; status: string; reason: string | null; trigger: Record<string, any>; steps?: Step[] };

async function call(session: Session, method: string, path: string, body?: unknown, status?: number) {
  const reply = await api.call(method, path, { token: session.token, body });
  expect(reply.status, `${method} ${path}: ${JSON.stringify(reply.data)}`).toBe(
    status ?? (method === 'POST' ? 201 : 200),
  );
  return reply.data as Record<string, any>;
}
const workflow = (body: Record<string, unknown>, session = admin) =>
  call(session, 'POST', '/api/v1/workflows', { name: api.unique('wf'), ...body });

async function runsUntil(session: Session, workflowId: string, check: (runs: Run[]) => boolean, ms = 60_000) {
  const until = Date.now() + ms;
  for (;;) {
    const runs = (await call(session, 'GET', `/api/v1/workflows/${workflowId}/runs?limit=200`)).data as Run[];
    if (check(runs)) return runs;
    if (Date.now() > until) throw new Error(`runs of ${workflowId} never matched: ${JSON.stringify(runs)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const detail = async (session: Session, workflowId: string, runId: string) =>
  (await call(session, 'GET', `/api/v1/workflows/${workflowId}/runs/${runId}`)) as Run;
const settled = (runs: Run[], n: number) => runs.length === n && runs.every((r) => r.status !== 'running');

describe('event triggers beyond created and updated', () => {
  it('deal.stage_changed where toStageId = X: a task on the deal and a notification, for that stage only', async () => {
    const [first, second] = pipeline.stages.filter((s) => s.kind === 'open');
    const flow = await workflow({
      trigger: {
        type: 'event',
        event: 'deal.stage_changed',
        conditions: { match: 'all', rules: [{ field: 'toStageId', op: 'equals', value: second!.id }] },
      },
      actions: [
        { type: 'create_task', subject: 'Send the proposal for {{name}}', owner: repId },
        { type: 'notify', userId: repId, title: '{{name}} reached the proposal stage' },
      ],
    });
    const deal = await call(admin, 'POST', '/api/v1/deals', { name: 'Engines', amount: '900.00', currency: 'EUR' });
    expect(deal.stageId).toBe(first!.id);
    await call(admin, 'PATCH', `/api/v1/deals/${deal.id}`, { stageId: second!.id });
    const [run] = await runsUntil(admin, flow.id, (runs) => settled(runs, 1));
    expect(run).toMatchObject({
      status: 'succeeded',
      trigger: { type: 'deal.stage_changed', recordType: 'deal', recordId: deal.id },
    });
    const steps = (await detail(admin, flow.id, run!.id)).steps!;
    expect(steps.map((s) => s.status)).toEqual(['ok', 'ok']);
    const task = await call(admin, 'GET', `/api/v1/activities/${steps[0]!.result.activityId}`);
    expect(task).toMatchObject({ subject: 'Send the proposal for Engines', dealId: deal.id, ownerId: repId });
    // Creating a deal enters its first stage: that stage change does not meet the condition, so nothing ran for it.
    expect((await call(admin, 'GET', `/api/v1/workflows/${flow.id}/runs`)).data).toHaveLength(1);
  }, 120_000);

  it('form.submitted where formId = Y acts on the lead the submission created', async () => {
    const fields = [
      { name: 'name', label: 'Name', type: 'text', required: true, leadField: 'firstName' },
      { name: 'email', label: 'Email', type: 'email', required: true, leadField: 'email' },
    ];
    const [form, otherForm] = [
      await call(admin, 'POST', '/api/v1/forms', { name: 'Demo request', fields, allowedOrigins: [SITE] }),
      await call(admin, 'POST', '/api/v1/forms', { name: 'Newsletter', fields, allowedOrigins: [SITE] }),
    ];
    const flow = await workflow({
      trigger: {
        type: 'event',
        event: 'form.submitted',
        conditions: { match: 'all', rules: [{ field: 'formId', op: 'equals', value: form.id }] },
      },
      actions: [{ type: 'update_field', field: 'status', value: 'contacted' }],
    });
    const submit = async (publicId: string) => {
      const email = `${api.unique('form')}@example.com`;
      const reply = await api.call('POST', `/forms/${publicId}/submissions`, {
        body: { name: 'Ada', email },
        headers: { origin: SITE },
      });
      expect(reply.status, JSON.stringify(reply.data)).toBe(201);
      return email;
    };
    await submit(otherForm.publicId);
    const email = await submit(form.publicId);
    const [run] = await runsUntil(admin, flow.id, (runs) => settled(runs, 1));
    expect(run).toMatchObject({ status: 'succeeded', trigger: { type: 'form.submitted', recordType: 'lead' } });
    const lead = await call(admin, 'GET', `/api/v1/leads/${run!.trigger.recordId}`);
    expect(lead).toMatchObject({ email, status: 'contacted' });
  }, 120_000);

  it('activity.completed: notify record_owner is the owner named in the event', async () => {
    const flow = await workflow({
      trigger: {
        type: 'event',
        event: 'activity.completed',
        conditions: { match: 'all', rules: [{ field: 'ownerId', op: 'equals', value: repId }] },
      },
      actions: [{ type: 'notify', userId: 'record_owner', title: 'Well done' }],
    });
    const lead = await call(admin, 'POST', '/api/v1/leads', { firstName: 'Grace', lastName: 'Hopper' });
    const task = await call(admin, 'POST', '/api/v1/activities', {
      type: 'task',
      subject: 'Call',
      leadId: lead.id,
      ownerId: repId,
    });
    await call(admin, 'PATCH', `/api/v1/activities/${task.id}`, { done: true });
    const [run] = await runsUntil(admin, flow.id, (runs) => settled(runs, 1));
    expect(run).toMatchObject({ status: 'succeeded', trigger: { recordType: null, recordId: null } });
    const [step] = (await detail(admin, flow.id, run!.id)).steps!;
    expect(step).toMatchObject({ type: 'notify', status: 'ok', result: { userId: repId } });
  }, 120_000);

  it('refuses what an event cannot do, and dry-runs a payload event on a sample', async () => {
    const refuse = async (body: Record<string, unknown>, path: string) => {
      const reply = await api.call('POST', '/api/v1/workflows', { token: admin.token, body: { name: 'x', ...body } });
      expectError(reply, 400, 'invalid_workflow');
      expect(reply.data.error.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    await refuse(
      { trigger: { type: 'event', event: 'company.created' }, actions: [{ type: 'assign', userId: repId }] },
      'actions.0.type',
    );
    await refuse(
      {
        trigger: { type: 'event', event: 'deal.deleted' },
        actions: [{ type: 'notify', userId: 'record_owner', title: 'Gone' }],
      },
      'actions.0.userId',
    );
    await refuse(
      {
        trigger: {
          type: 'event',
          event: 'deal.stage_changed',
          conditions: { match: 'all', rules: [{ field: 'amount', op: 'gt', value: 5 }] },
        },
        actions: [{ type: 'notify', userId: repId, title: 'x' }],
      },
      'trigger.conditions.rules.0.field',
    );
    expectError(
      await api.call('POST', '/api/v1/workflows', {
        token: admin.token,
        body: {
          name: 'x',
          trigger: { type: 'event', event: 'pipeline.created' },
          actions: [{ type: 'wait', minutes: 1 }],
        },
      }),
      400,
      'validation_failed',
    );
    const stage = pipeline.stages[1]!.id;
    const flow = await workflow({
      enabled: false,
      trigger: {
        type: 'event',
        event: 'deal.stage_changed',
        conditions: { match: 'all', rules: [{ field: 'toStageId', op: 'equals', value: stage }] },
      },
      actions: [{ type: 'notify', userId: repId, title: 'Moved to {{toStageId}}' }],
    });
    const dry = await call(
      admin,
      'POST',
      `/api/v1/workflows/${flow.id}/dry-run`,
      { record: { toStageId: stage } },
      200,
    );
    expect(dry).toMatchObject({ matched: true, actions: [{ wouldDo: `notify ${repId}: "Moved to ${stage}"` }] });
    const byId = await api.call('POST', `/api/v1/workflows/${flow.id}/dry-run`, {
      token: admin.token,
      body: { recordId: flow.id },
    });
    expectError(byId, 400, 'sample_needed');
  }, 120_000);
});

describe('schedule triggers over more records than one batch', () => {
  it('runs for every matching record in batches, logs each batch, honours a limit, and never starts a run twice', async () => {
    const org = await api.signup('schedule-batches', { region: 'us' });
    const label = api.unique('batch');
    const leads = (industry: string | undefined, n: number) =>
      Array.from({ length: n }, (_, i) => ({ firstName: `L${i}`, lastName: industry ?? 'other', industry }));
    // The four that do not match are the oldest; the 23 that do are the newest.
    await call(org, 'POST', '/api/v1/leads/batch', { mode: 'create', records: leads(undefined, 4) }, 200);
    await call(org, 'POST', '/api/v1/leads/batch', { mode: 'create', records: leads(label, 23) }, 200);
    const schedule = (limit?: number) => ({
      type: 'schedule',
      cron: '0 9 1 1 *',
      entity: 'lead',
      conditions: { match: 'all', rules: [{ field: 'industry', op: 'equals', value: label }] },
      ...(limit ? { limit } : {}),
    });
    const actions = [{ type: 'wait', minutes: 60 * 24 }];
    const [all, capped] = [
      await workflow({ trigger: schedule(), actions }, org),
      await workflow({ trigger: schedule(5), actions }, org),
    ];
    const { ctx } = stack.regions.us!;
    const fireAt = new Date().toISOString();
    const job = (id: string) => ({ data: { organizationId: org.organization.id, workflowId: id, version: 1, fireAt } });
    const fired = await fireSchedule({ shards: ctx.shards, jobs: ctx.jobs, scheduleBatchSize: 10 }, job(all.id));
    const firedCapped = await fireSchedule(
      { shards: ctx.shards, jobs: ctx.jobs, scheduleBatchSize: 3 },
      job(capped.id),
    );

    const isFiring = (r: Run) => r.trigger.type === 'schedule.firing';
    const runs = await runsUntil(org, all.id, (rs) => rs.length === 24 && rs.every((r) => r.status !== 'running'));
    const firing = await detail(org, all.id, fired!.firingRunId);
    expect(firing).toMatchObject({ status: 'succeeded', trigger: { type: 'schedule.firing', batchSize: 10 } });
    expect(firing.steps!.map((s) => s.result.scanned)).toEqual([10, 10, 7]);
    expect(firing.steps!.map((s) => s.result.started)).toEqual([10, 10, 3]);
    const recordRuns = runs.filter((r) => !isFiring(r));
    expect(new Set(recordRuns.map((r) => r.trigger.aggregateId)).size).toBe(23);
    expect(recordRuns.every((r) => r.status === 'waiting' && r.trigger.firingRunId === fired!.firingRunId)).toBe(true);

    const cappedRuns = await runsUntil(
      org,
      capped.id,
      (rs) => rs.length === 6 && rs.every((r) => r.status !== 'running'),
    );
    const cappedFiring = await detail(org, capped.id, firedCapped!.firingRunId);
    expect(cappedFiring.status).toBe('succeeded');
    expect(cappedFiring.steps!.map((s) => s.result.started)).toEqual([3, 2]);
    expect(cappedRuns.filter((r) => !isFiring(r))).toHaveLength(5);

    // A batch played again starts nothing; nor does another batch over records this firing already ran for.
    const again = { ...job(all.id).data, firingRunId: fired!.firingRunId, batchSize: 10, started: 0, before: null };
    const deps = { shards: ctx.shards, jobs: ctx.jobs };
    expect(await runScheduleBatch(deps, { data: { ...again, batch: 0 } })).toBeNull();
    expect(await runScheduleBatch(deps, { data: { ...again, batch: 1000 } })).toEqual([]);
    // Another organization's firing reads none of these leads, and cannot be fired in this one's name.
    const stranger = await api.signup('schedule-stranger', { region: 'us' });
    const theirs = await workflow({ trigger: { ...schedule(), conditions: undefined }, actions }, stranger);
    expect(await fireSchedule(deps, job(theirs.id))).toBeNull();
    const theirJob = { data: { ...job(theirs.id).data, organizationId: stranger.organization.id } };
    const theirFiring = await fireSchedule(deps, theirJob);
    await runsUntil(stranger, theirs.id, (rs) => rs.length === 1 && rs[0]!.status === 'succeeded');
    const theirLog = await detail(stranger, theirs.id, theirFiring!.firingRunId);
    expect(theirLog.steps!.map((s) => s.result.scanned)).toEqual([0]);
  }, 240_000);
});
