import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.ts';
import { leads, outbox } from '../../db/schema/index.ts';
import { apiClient } from '../../test/support/api.ts';
import { startTestStack, type TestStack } from '../../test/support/stack.ts';
import { defaultScoringRules } from '../leads/rules.ts';
import { RESCORE_BATCH, runRescoreJob } from './recompute.ts';

/**
 * Editable scoring rules: the API (admins only, validated, If-Match), the recompute the analyzer worker runs after a
 * change (every lead of the organization, in batches, one `leads.rescored` event), and no effect on another
 * organization. Two organizations on a region of two shards.
 */
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
type Session = Awaited<ReturnType<ReturnType<typeof apiClient>['signup']>>;
let org: Session;
let other: Session;
const shards = () => stack.regions.us!.ctx.shards;
const SEEDED = RESCORE_BATCH * 2 + 37;

const newRules = [
  {
    field: 'industry',
    operator: 'in',
    value: ['software', 'fintech'],
    points: 40,
    reason: 'Target industry ({value})',
  },
  { field: 'source', operator: 'equals', value: 'referral', points: 5, reason: 'Referred' },
  { field: 'email', operator: 'absent', points: -10, reason: 'No email' },
];

/**
 * The edge may close an idle keep-alive socket just as the client reuses it (a loaded machine, long pauses between
 * calls): such a call never reached the server, so it is sent once more.
 */
function retrying(client: ReturnType<typeof apiClient>): ReturnType<typeof apiClient> {
  const call: typeof client.call = (method, path, options) =>
    client.call(method, path, options).catch((error: Error) => {
      if ((error.cause as { code?: string } | undefined)?.code !== 'ECONNRESET') throw error;
      return client.call(method, path, options);
    });
  return { ...client, call };
}

beforeAll(async () => {
  stack = await startTestStack({ regions: ['us'], workers: 'analyzer', edge: { cacheTtlSeconds: 0 } });
  api = retrying(apiClient(stack.edgeUrl));
  org = await api.signup('scoring', { region: 'us' });
  other = await api.signup('scoring-other', { region: 'us' });
  const organizationId = org.organization.id;
  // Enough leads for several batches, written as the old code scored them.
  await shards().withTenant(organizationId, (tx) =>
    tx.insert(leads).values(
      Array.from({ length: SEEDED }, (_, i) => ({
        organizationId,
        id: newId(),
        firstName: `Seeded ${i}`,
        email: i % 2 ? `s${i}@example.com` : null,
        industry: i % 3 ? 'Software' : 'retail',
        source: 'referral',
        score: 20,
        scoreReasons: [{ points: 20, reason: 'Source: referral' }],
      })),
    ),
  );
}, 600_000);
afterAll(() => stack?.stop());

const get = (token: string) => api.call('GET', '/api/v1/scoring-rules', { token });
const put = (token: string, body: unknown, ifMatch?: string) =>
  api.call('PUT', '/api/v1/scoring-rules', { token, body, headers: ifMatch ? { 'if-match': ifMatch } : {} });

async function leadOf(session: Session, id: string) {
  const reply = await api.call('GET', `/api/v1/leads/${id}`, { token: session.token });
  expect(reply.status).toBe(200);
  return reply.data as { score: number; scoreReasons: { points: number; reason: string }[]; version: number };
}

async function recomputed(ms = 400_000) {
  const until = Date.now() + ms;
  for (;;) {
    const reply = await get(org.token);
    if (reply.data.recompute.status === 'done') return reply.data;
    if (Date.now() > until) throw new Error(`recompute not done: ${JSON.stringify(reply.data.recompute)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('scoring rules API', () => {
  it('shows the defaults to admins only', async () => {
    const reply = await get(org.token);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('etag')).toBe('"v1"');
    expect(reply.data).toMatchObject({ isDefault: true, version: 1, recompute: { status: 'idle' } });
    expect(reply.data.rules).toHaveLength(defaultScoringRules.length);
    for (const role of ['manager', 'sales_rep', 'viewer']) {
      const member = await api.member(org.token, role, `scoring-${role}`);
      expect((await get(member.token)).status, role).toBe(403);
      expect((await put(member.token, { rules: [] })).status, role).toBe(403);
    }
  }, 120_000);

  it('refuses malformed rules with a 400 naming the rule, and a stale If-Match with a 412', async () => {
    const bad = await put(org.token, { rules: [{ field: 'salary', operator: 'present', points: 1, reason: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.data.error.code).toBe('validation_failed');
    expect(bad.data.error.details[0].path).toContain('rules.0.field');
    const noValue = await put(org.token, { rules: [{ field: 'email', operator: 'in', points: 1, reason: 'x' }] });
    expect(noValue.status).toBe(400);
    expect(noValue.data.error.details[0].path).toContain('rules.0.value');
    expect((await put(org.token, { rules: [], extra: true })).status).toBe(400);
    const stale = await put(org.token, { rules: newRules }, '"v7"');
    expect(stale.status).toBe(412);
    expect(stale.data.error.code).toBe('precondition_failed');
    expect((await get(org.token)).data.version).toBe(1);
  }, 60_000);
});

describe('recompute', () => {
  let created: { id: string };
  let theirs: { id: string };

  it('rescores every lead of the organization in batches, and no other organization', async () => {
    created = (
      await api.call('POST', '/api/v1/leads', {
        token: org.token,
        body: { firstName: 'Ada', email: 'ada@analytical.example', industry: 'fintech', source: 'referral' },
      })
    ).data;
    theirs = (
      await api.call('POST', '/api/v1/leads', {
        token: other.token,
        body: { firstName: 'Bob', email: 'bob@other.example', industry: 'software', source: 'referral' },
      })
    ).data;
    const theirsBefore = await leadOf(other, theirs.id);
    expect(theirsBefore.score).toBe(45);

    const changed = await put(org.token, { rules: newRules }, '"v1"');
    expect(changed.status, JSON.stringify(changed.data)).toBe(200);
    expect(changed.headers.get('etag')).toBe('"v2"');
    expect(changed.data).toMatchObject({ isDefault: false, version: 2, recompute: { total: SEEDED + 1 } });
    expect(['queued', 'running', 'done']).toContain(changed.data.recompute.status);

    const done = await recomputed();
    expect(done.recompute).toMatchObject({ done: SEEDED + 1, total: SEEDED + 1 });
    expect(done.recompute.finishedAt).not.toBeNull();

    const ada = await leadOf(org, created.id);
    expect(ada.score).toBe(45);
    expect(ada.scoreReasons).toEqual([
      { points: 40, reason: 'Target industry (fintech)' },
      { points: 5, reason: 'Referred' },
    ]);
    const counts = await shards().withTenant(org.organization.id, (tx) =>
      tx.execute(sql`SELECT score, count(*)::int AS n FROM leads WHERE organization_id = ${org.organization.id}
        GROUP BY score ORDER BY score`),
    );
    const byScore = (Array.isArray(counts) ? counts : (counts as { rows: unknown[] }).rows) as {
      score: number;
      n: number;
    }[];
    // Seeded: software with email 45, software without 35, retail with email 5, retail without 0 (clamped).
    expect(byScore.map((r) => r.score)).toEqual([0, 5, 35, 45]);
    expect(byScore.reduce((n, r) => n + r.n, 0)).toBe(SEEDED + 1);

    // The other organization: rules, score and version untouched.
    expect((await get(other.token)).data).toMatchObject({ isDefault: true, version: 1 });
    expect(await leadOf(other, theirs.id)).toEqual(theirsBefore);

    // One event for the recompute, none per lead.
    const events = await shards().withTenant(org.organization.id, (tx) =>
      tx.select({ type: outbox.eventType }).from(outbox).where(eq(outbox.organizationId, org.organization.id)),
    );
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'leads.rescored')).toHaveLength(1);
    expect(types.filter((t) => t === 'scoring_rules.updated')).toHaveLength(1);
    expect(types.filter((t) => t === 'lead.updated')).toHaveLength(0);
  }, 500_000);

  it('scores new writes by the new rules, changes nothing for the same rules, and survives a retried job', async () => {
    const lead = (
      await api.call('POST', '/api/v1/leads', { token: org.token, body: { firstName: 'No email', industry: 'x' } })
    ).data;
    expect(lead.score).toBe(0);
    expect(lead.scoreReasons).toEqual([{ points: -10, reason: 'No email' }]);

    const again = await put(org.token, { rules: newRules }, '"v2"');
    expect(again.status).toBe(200);
    expect(again.data.version).toBe(2);
    expect(again.data.recompute.status).toBe('done');

    // A job retried after a crash mid-way resumes from its cursor and gives the same scores.
    const organizationId = org.organization.id;
    await shards().withTenant(organizationId, (tx) =>
      tx.execute(sql`UPDATE scoring_rules SET recompute_status = 'running', recompute_done = ${RESCORE_BATCH},
          recompute_cursor = (SELECT id FROM leads WHERE organization_id = ${organizationId}
            ORDER BY id OFFSET ${RESCORE_BATCH - 1} LIMIT 1)
        WHERE organization_id = ${organizationId}`),
    );
    const before = await leadOf(org, created.id);
    expect(await runRescoreJob(shards(), { organizationId, version: 2 })).toEqual({ rescored: 0 });
    expect(await leadOf(org, created.id)).toEqual(before);
    // A job for a version that is no longer current does nothing.
    expect(await runRescoreJob(shards(), { organizationId, version: 1 })).toBeNull();
    const [stored] = await shards().withTenant(organizationId, (tx) =>
      tx
        .select({ score: leads.score })
        .from(leads)
        .where(and(eq(leads.organizationId, organizationId), eq(leads.id, lead.id))),
    );
    expect(stored?.score).toBe(0);
  }, 120_000);
});
