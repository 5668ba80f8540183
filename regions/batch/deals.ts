import type { z } from '@hono/zod-openapi';
import { dealStageChanges, deals } from '../../db/schema/index.ts';
import { DealInput } from '../../openapi/schemas/deals.ts';
import { changedLinks, movesDeal, newDealFields, requestedDeal } from '../deals/fields.ts';
import { stageChangeOf } from '../deals/history.ts';
import { enterStage, type Transition } from '../deals/transitions.ts';
import { type DealView, dealView } from '../deals/view.ts';
import { diff } from '../support/record.ts';
import { type Chunk, chunkWriter } from './chunk.ts';
import type { BatchAdapter } from './run.ts';

type Input = z.infer<typeof DealInput>;
type Deal = typeof deals.$inferSelect;

/**
 * Deals by the single create's and PATCH's rules: placed in a stage of one of the organization's pipelines (by
 * default the default pipeline's first open stage), linked only to a contact the caller may see and a company
 * of the organization, and every placement or move written to the stage history with its events.
 */
export const dealBatch: BatchAdapter<Input> = {
  resource: 'deals',
  create: 'deals:create',
  update: 'deals:update',
  schema: DealInput,
  matchOn: ['externalId'],
  keyOf: (item) => item.externalId,
  writeChunk: chunkWriter<Input, typeof deals, ReturnType<typeof dealView>>((chunk) => {
    const { checks, now } = chunk;
    const history = stageHistory(chunk);
    return {
      entity: 'deal',
      table: deals,
      view: dealView,
      async create({ input }) {
        const ownerId = await checks.newOwner(input.ownerId);
        await checks.links(input);
        const { pipeline, stage } = await checks.placement(input);
        const customFields = await checks.newCustomFields('deal', input.customFields);
        const fields = newDealFields(input, { ownerId, pipelineId: pipeline.id, customFields });
        const transition = enterStage(null, stage, now)!;
        return {
          values: { ...fields, ...transition.fields, createdAt: now, updatedAt: now },
          audit: { ...fields, stageId: stage.id, status: transition.fields.status },
          after: (deal) => history.queue(deal, transition, null),
        };
      },
      async update({ input }, current: Deal) {
        if (input.ownerId !== undefined && input.ownerId !== current.ownerId) await checks.owner(input.ownerId);
        await checks.links(changedLinks(input, current));
        let move: { pipelineId: string; transition: Transition } | null = null;
        if (movesDeal(input, current)) {
          const wanted = { pipelineId: input.pipelineId ?? current.pipelineId, stageId: input.stageId };
          const placed = await checks.placement(wanted);
          const transition = enterStage(current, placed.stage, now);
          if (transition) move = { pipelineId: placed.pipeline.id, transition };
        }
        const changes = diff(current as unknown as Record<string, unknown>, {
          ...requestedDeal(input, move),
          customFields: await checks.patchedCustomFields('deal', input.customFields, current.customFields),
        });
        const after = (deal: DealView) => (move ? history.queue(deal, move.transition, current.pipelineId) : []);
        return { changes, after };
      },
      finish: history.write,
    };
  }),
};

/** The chunk's stage-history rows, queued as its deals are placed or moved and written in one statement. */
function stageHistory({ tx, actor }: Chunk) {
  const rows: (typeof dealStageChanges.$inferInsert)[] = [];
  return {
    queue(deal: DealView, transition: Transition, fromPipelineId: string | null) {
      const { row, entries } = stageChangeOf(actor, deal, transition, { pipelineId: fromPipelineId });
      rows.push(row);
      return entries;
    },
    async write() {
      if (rows.length > 0) await tx.insert(dealStageChanges).values(rows);
    },
  };
}
