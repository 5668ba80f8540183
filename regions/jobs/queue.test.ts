import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { ShardSet } from '../../db/shard-set.ts';
import { shardUrls } from '../../test/support/databases.ts';
import { JobQueues } from './queue.ts';

type Echo = { organizationId: string; n: number };

let shards: ShardSet;
let queues: JobQueues;
const seen: Echo[] = [];
const queue = 'test.echo';
const failing = 'test.failing';

beforeAll(async () => {
  shards = await ShardSet.open(
    'us',
    shardUrls('us').map((url, i) => ({ id: `us-${i}`, url })),
  );
  queues = await JobQueues.open(shards, [
    { name: queue, retryLimit: 0 },
    { name: failing, retryLimit: 1, retryDelay: 1 },
  ]);
  await queues.work<Echo>(queue, { pollingIntervalSeconds: 0.5 }, async (job) => {
    seen.push(job.data);
  });
  await queues.work<Echo>(failing, { pollingIntervalSeconds: 0.5 }, async () => {
    throw new Error('the receiver is down');
  });
}, 60_000);
afterAll(async () => {
  await queues?.stop(2_000);
  await shards?.close();
});

const waitFor = async (check: () => boolean | Promise<boolean>, ms = 20_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('the job queue (pg-boss on every shard)', () => {
  it('runs a job enqueued inside a tenant transaction once it commits', async () => {
    const organizationId = newId();
    await shards.withTenant(organizationId, (tx) => queues.send<Echo>(tx, queue, { organizationId, n: 1 }));
    await waitFor(() => seen.some((e) => e.organizationId === organizationId));
    expect(seen.filter((e) => e.organizationId === organizationId)).toEqual([{ organizationId, n: 1 }]);
  });

  it('never runs a job whose transaction rolled back', async () => {
    const organizationId = newId();
    const rollback = new Error('rollback');
    await expect(
      shards.withTenant(organizationId, async (tx) => {
        await queues.send<Echo>(tx, queue, { organizationId, n: 2 });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    const marker = newId();
    await shards.withTenant(marker, (tx) => queues.send<Echo>(tx, queue, { organizationId: marker, n: 3 }));
    await waitFor(() => seen.some((e) => e.organizationId === marker));
    expect(seen.some((e) => e.organizationId === organizationId)).toBe(false);
  });

  it('dead-letters a job that used its retries, listed for its organization only', async () => {
    const organizationId = newId();
    const other = newId();
    await queues.sendNow<Echo>(failing, { organizationId, n: 4 });
    await waitFor(async () => (await queues.deadJobs(organizationId)).length > 0, 40_000);
    const [dead] = await queues.deadJobs(organizationId);
    expect(dead).toMatchObject({ queue: failing, data: { organizationId, n: 4 } });
    expect(await queues.deadJobs(other)).toEqual([]);
  }, 60_000);

  it('reports each queue depth on every shard', async () => {
    const depths = await queues.depths();
    expect(depths.map((d) => d.shard).sort()).toEqual(expect.arrayContaining(['us-0', 'us-1']));
    expect(depths.find((d) => d.queue === queue)).toMatchObject({ waiting: expect.any(Number) });
  });
});
