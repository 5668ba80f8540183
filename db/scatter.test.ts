import { type AddressInfo, createServer } from 'node:net';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSigningSecret, signRequest } from '../edge/protocol/signature.ts';
import { apiClient, type Reply } from '../test/support/api.ts';
import { realPostgres } from '../test/support/databases.ts';
import { expectError } from '../test/support/envelope.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../test/support/stack.ts';
import type { Connection } from './database.ts';
import { openConnection } from './drivers/open.ts';
import { scatterGather } from './scatter.ts';
import { tenantPlacements } from './schema/index.ts';

/** host:port where nothing listens: a port the OS handed out and that was closed again. */
async function closedAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

/** Only what scatterGather reads of a shard: its id, and whatever the question touches. */
const fakeShard = (id: string): Connection => ({ id }) as Connection;

describe('scatterGather', () => {
  it('asks every shard at once and keeps the answers in shard order', async () => {
    const shards = ['s-0', 's-1', 's-2'].map(fakeShard);
    let inFlight = 0;
    let most = 0;
    const answers = await scatterGather(shards, async (shard) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return `${shard.id}!`;
    });
    expect(answers).toEqual([
      { shardId: 's-0', ok: true, value: 's-0!' },
      { shardId: 's-1', ok: true, value: 's-1!' },
      { shardId: 's-2', ok: true, value: 's-2!' },
    ]);
    expect(most).toBe(3);
  });

  it('reports a failing shard and a slow shard without failing the read', async () => {
    const shards = ['ok', 'broken', 'slow', 'throws-sync', 'rejects-non-error'].map(fakeShard);
    const answers = await scatterGather(
      shards,
      (shard) => {
        switch (shard.id) {
          case 'ok':
            return Promise.resolve(1);
          case 'broken':
            return Promise.reject(new Error('connection refused'));
          case 'slow':
            // Never answers: only the timeout can end it.
            return new Promise<number>(() => {});
          case 'throws-sync':
            throw new Error('thrown before any promise');
          default:
            return Promise.reject('a bare string');
        }
      },
      50,
    );
    expect(answers).toEqual([
      { shardId: 'ok', ok: true, value: 1 },
      { shardId: 'broken', ok: false, error: 'connection refused' },
      { shardId: 'slow', ok: false, error: 'no answer within 50 ms' },
      { shardId: 'throws-sync', ok: false, error: 'thrown before any promise' },
      { shardId: 'rejects-non-error', ok: false, error: 'a bare string' },
    ]);
  });

  it('answers an empty list for no shards', async () => {
    expect(await scatterGather([], async () => 1)).toEqual([]);
  });
});

describe('GET /internal/admin/stats', () => {
  let stack: TestStack;
  let api: ReturnType<typeof apiClient>;
  let key: CryptoKey;

  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack.edgeUrl);
    key = await importSigningSecret(TEST_SECRET);
  });
  afterAll(() => stack?.stop());

  /** Calls a region directly, signed the way the edge signs what it forwards. */
  async function stats(region: string, secret = key): Promise<Reply> {
    const pathAndQuery = '/internal/admin/stats';
    const headers = await signRequest(secret, {
      method: 'GET',
      pathAndQuery,
      body: '',
      context: { requestId: crypto.randomUUID() },
    });
    const response = await fetch(new URL(pathAndQuery, stack.regionUrls[region]), { headers });
    return { status: response.status, data: await response.json(), headers: response.headers };
  }

  /** Organizations placed on each shard, counted directly (tenant_placements has no row-level security). */
  async function placed(region: string) {
    const shards = stack.regions[region]!.ctx.shards.all();
    return Promise.all(
      shards.map(async (shard) => (await shard.db.select({ n: count() }).from(tenantPlacements))[0]!.n),
    );
  }

  it('reports real shards that are closed or unreachable next to the ones that answer', async () => {
    const live = stack.regions.us!.ctx.shards.all();
    // Opening a pg pool does not connect, so neither of these touches a database until asked.
    const unreachable = await openConnection('unreachable', `postgres://crm_app:crm_app@${await closedAddress()}/none`);
    const closed = await openConnection('closed', `postgres://crm_app:crm_app@${await closedAddress()}/none`);
    await closed.close();
    try {
      const answers = await scatterGather([...live, unreachable, closed], async (shard) => {
        const [row] = await shard.db.select({ n: count() }).from(tenantPlacements);
        return row!.n;
      });
      expect(answers.map((a) => a.shardId)).toEqual([...live.map((s) => s.id), 'unreachable', 'closed']);
      for (const answer of answers.slice(0, live.length))
        expect(answer).toMatchObject({ ok: true, value: expect.any(Number) });
      expect(answers.at(-2)).toMatchObject({ ok: false, error: expect.any(String) });
      expect(answers.at(-1)).toMatchObject({ ok: false, error: expect.any(String) });
    } finally {
      await unreachable.close();
    }
  });

  it('sums the organizations of every shard of the region', async () => {
    const before = await stats('us');
    expect(before.status, JSON.stringify(before.data)).toBe(200);
    expect(before.data.region).toBe('us');
    expect(before.data.shardMapVersion).toBeGreaterThanOrEqual(1);
    expect(before.data.shards).toHaveLength(stack.regions.us!.ctx.shards.all().length);
    for (const shard of before.data.shards)
      expect(shard).toMatchObject({ ok: true, value: { organizations: expect.any(Number) } });
    const sum = before.data.shards.reduce(
      (s: number, a: { value: { organizations: number } }) => s + a.value.organizations,
      0,
    );
    expect(before.data.organizations).toBe(sum);

    const made = await Promise.all(Array.from({ length: 4 }, (_, i) => api.signup(`stats-${i}`)));
    await api.signup('stats-eu', { region: 'eu' });
    const usShards = stack.regions.us!.ctx.shards;
    const added = new Map<string, number>();
    for (const { organization } of made) {
      const home = usShards.forOrganization(organization.id).id;
      added.set(home, (added.get(home) ?? 0) + 1);
    }

    const after = await stats('us');
    expect(after.status).toBe(200);
    const perShard = await placed('us');
    const countOf = (answer: { value: { organizations: number } }) => answer.value.organizations;
    for (const [i, answer] of after.data.shards.entries()) {
      const grew = countOf(answer) - countOf(before.data.shards[i]);
      const expected = added.get(answer.shardId) ?? 0;
      // The databases are shared with other suites running now, which may add organizations meanwhile.
      if (realPostgres) expect(grew, answer.shardId).toBeGreaterThanOrEqual(expected);
      else expect(grew, answer.shardId).toBe(expected);
    }
    if (!realPostgres) expect(after.data.shards.map(countOf)).toEqual(perShard);
    expect(after.data.organizations).toBe(after.data.shards.map(countOf).reduce((a: number, b: number) => a + b, 0));
  });

  it('refuses an unsigned call or one signed with another secret', async () => {
    const unsigned = await fetch(new URL('/internal/admin/stats', stack.regionUrls.us));
    const reply = { status: unsigned.status, data: await unsigned.json(), headers: unsigned.headers };
    expectError(reply, 401, 'unsigned_request');
    const forged = await stats('us', await importSigningSecret('another-secret-of-at-least-32-characters!'));
    expectError(forged, 401, 'unsigned_request');
  });
});
