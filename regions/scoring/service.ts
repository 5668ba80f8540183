import type { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { ScoringRules, ScoringRulesInput } from '../../openapi/schemas/scoring-rules.ts';
import { canonical } from '../assignment-rules/update.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { defaultScoringRules, type ScoringRule } from '../leads/rules.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { leadCount, RESCORE_QUEUE, type RescoreJob } from './recompute.ts';
import { defaultState, readScoring, type ScoringState } from './store.ts';

export type ScoringRulesView = z.output<typeof ScoringRules>;

/** Rules as the API shows them: only the keys a rule has, so a round trip sends back what it read. */
const ruleView = (rule: ScoringRule) =>
  Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined && v !== null)) as ScoringRule;

export function scoringView(state: ScoringState): ScoringRulesView {
  const rules = state.rules.map(ruleView);
  return {
    rules: rules as ScoringRulesView['rules'],
    isDefault: canonical(rules) === canonical(defaultScoringRules.map(ruleView)),
    version: state.version,
    updatedAt: state.updatedAt,
    recompute: {
      status: state.recomputeStatus,
      done: Math.min(state.recomputeDone, state.recomputeTotal),
      total: state.recomputeTotal,
      startedAt: state.recomputeStartedAt,
      finishedAt: state.recomputeFinishedAt,
    },
  };
}

export async function getScoringRules(ctx: RegionContext, actor: Actor): Promise<ScoringRulesView> {
  assertCan(actor.principal, 'scoring_rules:manage');
  const { organizationId } = actor.principal;
  const state = await ctx.shards.withTenant(organizationId, (tx) => readScoring(tx, organizationId));
  return scoringView(state ?? defaultState());
}

/**
 * Replaces the rules under the row's lock, honouring If-Match. A change is a new version, audited with its
 * `scoring_rules.updated` event, and queues the recompute in the same transaction, so the job exists exactly when
 * the rules do; the same rules again change nothing.
 */
export async function putScoringRules(
  ctx: RegionContext,
  actor: Actor,
  input: z.output<typeof ScoringRulesInput>,
  ifMatch?: string,
): Promise<ScoringRulesView> {
  const { principal } = actor;
  assertCan(principal, 'scoring_rules:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    // The defaults get their row first, so there is a row to lock whoever comes first.
    await tx.execute(sql`INSERT INTO scoring_rules (organization_id, rules, version)
      VALUES (${organizationId}, ${JSON.stringify(defaultScoringRules)}::jsonb, 1)
      ON CONFLICT (organization_id) DO NOTHING`);
    const current = (await readScoring(tx, organizationId, 'update'))!;
    checkIfMatch(ifMatch, etagOf(current.version), 'scoring rules');
    const before = current.rules.map(ruleView);
    const after = (input.rules as ScoringRule[]).map(ruleView);
    if (canonical(before) === canonical(after)) return scoringView(current);
    const total = await leadCount(tx, organizationId);
    await tx.execute(sql`UPDATE scoring_rules SET rules = ${JSON.stringify(after)}::jsonb, version = version + 1,
        updated_by = ${principal.type === 'user' ? actorId(principal) : null}, updated_at = now(),
        recompute_status = 'queued', recompute_done = 0, recompute_total = ${total}, recompute_cursor = NULL,
        recompute_started_at = now(), recompute_finished_at = NULL
      WHERE organization_id = ${organizationId}`);
    const version = current.version + 1;
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'scoring_rules.updated',
      target: { type: 'scoring_rules', id: organizationId },
      changes: { rules: [before, after], version: [current.version, version] },
      event: { type: 'scoring_rules.updated', payload: { version, rules: after } },
    });
    await ctx.jobs.send<RescoreJob>(tx, RESCORE_QUEUE, { organizationId, version });
    return scoringView((await readScoring(tx, organizationId))!);
  });
}
