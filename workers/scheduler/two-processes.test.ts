import { and, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, organizations, taskReminders } from '../../db/schema/index.ts';
import { ShardSet } from '../../db/shard-set.ts';
import { JobQueues } from '../../regions/jobs/queue.ts';
import { apiClient } from '../../test/support/api.ts';
import { realPostgres, shardUrls } from '../../test/support/databases.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import type { RunningWorker } from '../context.ts';
import { schedulerHandler, schedulerQueues, schedulerWorker } from './index.ts';
import { eventsOf, notificationsOf } from './testing.ts';

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let admin: Session;
const ctx = () => stack.regions.us!.ctx;
const stops: (() => Promise<void>)[] = [];
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/**
 * One scheduler "process": its own pg-boss instances (each runs pg-boss's cron monitor) and, on PostgreSQL, its own
 * connections to the same shards; PGlite databases belong to the process that opened them, so there both share them.
 */
async function startScheduler(name: string): Promise<void> {
  const shards = realPostgres
    ? await ShardSet.open(
        'us',
        shardUrls('us').map((url, i) => ({ id: `us-${i}`, url })),
        2,
      )
    : ctx().shards;
  const jobs = await JobQueues.open(shards, schedulerWorker.queues ?? []);
  const running: RunningWorker = await schedulerWorker.start({
    region: 'us',
    shards,
    bus: ctx().bus,
    jobs,
    log,
    env: { ...process.env, DATA_DIR: process.env.DATA_DIR ?? 'data' },
    instance: name,
  });
  stops.push(async () => {
    await running.stop();
    await jobs.stop();
    if (shards !== ctx().shards) await shards.close();
  });
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'] });
  api = apiClient(stack.edgeUrl);
  admin = await api.signup('scheduler-twice', { region: 'us' });
  await startScheduler('scheduler-a');
  await startScheduler('scheduler-b');
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await stack?.stop();
});

describe('the scheduler started twice', () => {
  it('holds its cron schedules once, on the first shard', async () => {
    const first = ctx().shards.all()[0]!;
    const result = (await first.db.execute(sql`select name, cron from pgboss.schedule order by name`)) as unknown as {
      rows: { name: string; cron: string }[];
    };
    const mine = result.rows.filter((r) => r.name.startsWith('scheduler.'));
    expect(mine.map((r) => r.name)).toEqual([
      schedulerQueues.digests,
      schedulerQueues.reminders,
      schedulerQueues.retention,
      schedulerQueues.searchWords,
    ]);
    expect(mine.find((r) => r.name === schedulerQueues.reminders)?.cron).toBe('* * * * *');
  });

  it('sends a due reminder exactly once, from pg-boss cron', { timeout: 240_000 }, async () => {
    const lead = await api.call('POST', '/api/v1/leads', { token: admin.token, body: { firstName: 'Twice' } });
    // Due in five minutes: its reminder (15 minutes before) is already due, so the next cron occurrence sends it.
    const dueAt = new Date(Date.now() + 5 * 60_000).toISOString();
    const task = await api.call('POST', '/api/v1/activities', {
      token: admin.token,
      body: { type: 'task', subject: 'Call back once', dueAt, leadId: lead.data.id },
    });
    expect(task.status, JSON.stringify(task.data)).toBe(201);
    // The relay is not running here: the task's event is handed over as the bus would.
    const handle = schedulerHandler(ctx().shards, ctx().jobs, 15);
    await handle(await eventsOf(stack, admin, [task.data.id]));
    const sent = await until(
      'the reminder',
      () => notificationsOf(stack, admin, admin.user.id, 'task_due'),
      (rows) => rows.length > 0,
      180,
    );
    // Both processes keep running their cron a while longer: still one.
    await new Promise((r) => setTimeout(r, 5000));
    expect(await notificationsOf(stack, admin, admin.user.id, 'task_due')).toHaveLength(1);
    expect(sent[0]).toMatchObject({ title: 'Task due: Call back once', linkId: task.data.id });
    const [row] = await ctx().shards.withTenant(admin.organization.id, (tx) =>
      tx.select().from(taskReminders).where(eq(taskReminders.activityId, task.data.id)),
    );
    expect(row?.remindedAt).not.toBeNull();
  });

  it('runs retention from its queue', { timeout: 120_000 }, async () => {
    const org = admin.organization.id;
    const note = await api.call('POST', '/api/v1/activities', {
      token: admin.token,
      body: {
        type: 'note',
        body: 'Old news',
        leadId: (await api.call('GET', '/api/v1/leads', { token: admin.token })).data.data[0].id,
      },
    });
    expect(note.status, JSON.stringify(note.data)).toBe(201);
    // Made old by hand: retention keeps 30 days here, and the note is 40 days old.
    await ctx().shards.withTenant(org, async (tx) => {
      await tx.update(organizations).set({ retentionDays: 30 }).where(eq(organizations.id, org));
      await tx
        .update(activities)
        .set({ createdAt: new Date(Date.now() - 40 * 86_400_000) })
        .where(and(eq(activities.organizationId, org), eq(activities.id, note.data.id)));
    });
    await ctx().jobs.sendNow(schedulerQueues.retention, { organizationId: org });
    await until(
      'retention',
      () =>
        ctx().shards.withTenant(org, (tx) =>
          tx.select({ id: activities.id }).from(activities).where(eq(activities.id, note.data.id)),
        ),
      (rows) => rows.length === 0,
      90,
    );
  });
});
