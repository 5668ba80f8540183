import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { BUCKET_FENCED, BUCKET_MOVED, sqlStateOf } from '../../db/moves/fence.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { rows } from '../analytics/sql.ts';
import { evaluateRules, type ScoredFields, type ScoringRule } from '../leads/rules.ts';
import { recordChange } from '../support/record.ts';
import { readScoring } from './store.ts';

/** The analyzer's queue: one job per change of an organization's rules. */
export const RESCORE_QUEUE = 'leads.rescore';
export type RescoreJob = { organizationId: string; version: number };

/** Leads per transaction: small enough that lead writes waiting on a batch's row locks wait briefly. */
export const RESCORE_BATCH = 500;

type LeadRow = ScoredFields & { id: string; score: number; reasons: unknown };

export async function leadCount(tx: Tx, organizationId: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM leads WHERE organization_id = ${organizationId}`,
  );
  return row?.n ?? 0;
}

/**
 * Rescores the next batch of leads after `after` (keyset on id) with `rules`; writes only the leads whose score or
 * reasons change (a new version each, as any change of a lead). Returns the last id and how many were read.
 */
type BatchResult = { last: string | null; read: number; changed: number };

async function rescoreBatch(
  tx: Tx,
  organizationId: string,
  rules: readonly ScoringRule[],
  after: string | null,
): Promise<BatchResult> {
  const batch = await rows<LeadRow>(
    tx,
    sql`SELECT id, email, phone, company, title, source, status, country, region, industry, score,
        score_reasons AS reasons
      FROM leads WHERE organization_id = ${organizationId}${after ? sql` AND id > ${after}` : sql``}
      ORDER BY id LIMIT ${RESCORE_BATCH}`,
  );
  const changed = batch.flatMap((lead) => {
    const { score, reasons } = evaluateRules(lead, rules);
    const was = typeof lead.reasons === 'string' ? lead.reasons : JSON.stringify(lead.reasons);
    return score === lead.score && was === JSON.stringify(reasons) ? [] : [{ id: lead.id, score, reasons }];
  });
  if (changed.length > 0) {
    await tx.execute(sql`UPDATE leads l SET score = v.score, score_reasons = v.reasons, version = l.version + 1
      FROM jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) AS v(id uuid, score int, reasons jsonb)
      WHERE l.organization_id = ${organizationId} AND l.id = v.id`);
  }
  return { last: batch.at(-1)?.id ?? null, read: batch.length, changed: changed.length };
}

/**
 * One recompute: the organization's leads on its shard in keyset batches, each batch its own transaction that also
 * moves the cursor and the count on the rules' row, so a retried job resumes after the last committed batch (and
 * rescoring a lead twice gives the same score). A job for an older version stops: the newer one does the work.
 * Leads the organization may have on the region's other shards are rescored after, whole, which is as idempotent;
 * a shard that a move is copying the organization to or has moved it from refuses (the move carries the home
 * shard's rescored leads there, or deletes them). The last step marks the recompute done and emits one `leads.rescored` event.
 */
export async function runRescoreJob(shards: ShardSet, job: RescoreJob): Promise<{ rescored: number } | null> {
  const { organizationId, version } = job;
  let rescored = 0;
  for (;;) {
    const step = await shards.withTenant(organizationId, async (tx) => {
      // NO KEY UPDATE: lead writes (KEY SHARE on this row) go on while a batch runs; a change of rules waits.
      const state = await readScoringForJob(tx, organizationId);
      if (!state || state.version !== version || state.recomputeStatus === 'done') return null;
      const batch = await rescoreBatch(tx, organizationId, state.rules, state.recomputeCursor);
      if (batch.read > 0) {
        await tx.execute(sql`UPDATE scoring_rules SET recompute_status = 'running', recompute_cursor = ${batch.last},
            recompute_done = recompute_done + ${batch.read}
          WHERE organization_id = ${organizationId}`);
      }
      return { ...batch, rules: state.rules };
    });
    if (!step) return null;
    rescored += step.changed;
    if (step.read < RESCORE_BATCH) {
      rescored += await rescoreOtherShards(shards, organizationId, step.rules);
      break;
    }
  }
  return shards.withTenant(organizationId, async (tx) => {
    const state = await readScoringForJob(tx, organizationId);
    if (!state || state.version !== version || state.recomputeStatus === 'done') return null;
    const total = await leadCount(tx, organizationId);
    await tx.execute(sql`UPDATE scoring_rules SET recompute_status = 'done', recompute_finished_at = now(),
        recompute_done = ${total}, recompute_total = ${total}, recompute_cursor = NULL
      WHERE organization_id = ${organizationId}`);
    await recordChange(tx, {
      organizationId,
      actor: { principal: null },
      action: 'leads.rescored',
      target: { type: 'scoring_rules', id: organizationId },
      changes: { version, leads: total, rescored },
      event: { type: 'leads.rescored', payload: { version, leads: total, rescored } },
    });
    return { rescored };
  });
}

async function readScoringForJob(tx: Tx, organizationId: string) {
  await tx.execute(sql`SELECT 1 FROM scoring_rules WHERE organization_id = ${organizationId} FOR NO KEY UPDATE`);
  return readScoring(tx, organizationId);
}

async function rescoreOtherShards(shards: ShardSet, organizationId: string, rules: readonly ScoringRule[]) {
  const home = shards.forOrganization(organizationId).id;
  let changed = 0;
  for (const shard of shards.all()) {
    if (shard.id === home) continue;
    let after: string | null = null;
    for (;;) {
      const cursor: string | null = after;
      let batch: BatchResult;
      try {
        batch = await shards.withTenantOn(shard, organizationId, (tx) =>
          rescoreBatch(tx, organizationId, rules, cursor),
        );
      } catch (error) {
        const state = sqlStateOf(error);
        if (state === BUCKET_MOVED || state === BUCKET_FENCED) break;
        throw error;
      }
      changed += batch.changed;
      if (batch.read < RESCORE_BATCH) break;
      after = batch.last;
    }
  }
  return changed;
}
