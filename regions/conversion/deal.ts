import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { deals, pipelineStages, pipelines } from '../../db/schema/index.ts';
import { badRequest } from '../../openapi/errors.ts';
import { recordStageChange } from '../deals/history.ts';
import { enterStage } from '../deals/transitions.ts';
import { dealView } from '../deals/view.ts';
import { ensureDefaultPipeline } from '../pipelines/defaults.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';

export type DealChoice = {
  name: string;
  amount: string;
  currency: string;
  pipelineId?: string;
  stageId?: string;
  expectedCloseDate?: string | null;
};

type Links = { ownerId: string | null; contactId: string; companyId: string | null; leadId: string };

async function pipelineAndStages(tx: Tx, organizationId: string, pipelineId: string | undefined) {
  if (!pipelineId) return ensureDefaultPipeline(tx, organizationId);
  const [pipeline] = await tx
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.organizationId, organizationId), eq(pipelines.id, pipelineId)));
  if (!pipeline) {
    throw badRequest('unknown_pipeline', 'deal.pipelineId is not a pipeline of this organization', [
      { path: 'deal.pipelineId', message: 'No such pipeline' },
    ]);
  }
  const stages = await tx
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.organizationId, organizationId), eq(pipelineStages.pipelineId, pipeline.id)))
    .orderBy(asc(pipelineStages.position));
  return { pipeline, stages };
}

/**
 * Opens the conversion's deal in the pipeline (default: the organization's default one) at the stage asked for
 * (default: its first open stage), and records that first stage in the deal's stage history.
 */
export async function openDeal(tx: Tx, actor: Actor, choice: DealChoice, links: Links) {
  const { organizationId } = actor.principal;
  const { pipeline, stages } = await pipelineAndStages(tx, organizationId, choice.pipelineId);
  const stage = choice.stageId ? stages.find((s) => s.id === choice.stageId) : stages.find((s) => s.kind === 'open');
  if (!stage) {
    throw choice.stageId
      ? badRequest('invalid_stage', "deal.stageId is not a stage of the deal's pipeline", [
          { path: 'deal.stageId', message: `Not a stage of pipeline ${pipeline.id}` },
        ])
      : badRequest('no_open_stage', 'The pipeline has no open stage to start the deal in', [
          { path: 'deal.pipelineId', message: 'Has no open stage' },
        ]);
  }
  const now = new Date();
  const transition = enterStage(null, stage, now)!;
  const [deal] = await tx
    .insert(deals)
    .values({
      organizationId,
      id: newId(),
      name: choice.name,
      amount: choice.amount,
      currency: choice.currency,
      expectedCloseDate: choice.expectedCloseDate ?? null,
      pipelineId: pipeline.id,
      // A deal may be converted straight into a won or lost stage (a sale closed on the first call).
      ...transition.fields,
      ...links,
      createdBy: actorId(actor.principal),
    })
    .returning();
  const view = dealView(deal!);
  await recordChange(tx, {
    organizationId,
    actor,
    action: 'deal.created',
    target: { type: 'deal', id: deal!.id },
    changes: { name: deal!.name, amount: deal!.amount, currency: deal!.currency, stageId: stage.id, ...links },
    event: { type: 'deal.created', payload: view },
  });
  // As POST /deals does: the first history row with `deal.stage_changed`, and `deal.won`/`deal.lost` if closed.
  await recordStageChange(tx, actor, view, transition, { pipelineId: null });
  return deal!;
}
