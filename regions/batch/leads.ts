import type { z } from '@hono/zod-openapi';
import { leads } from '../../db/schema/index.ts';
import { LeadInput } from '../../openapi/schemas/leads.ts';
import { newLeadFields } from '../leads/fields.ts';
import { scoreLead } from '../leads/score.ts';
import { scoringRulesFor } from '../scoring/store.ts';
import { diff } from '../support/record.ts';
import { leadView } from '../support/views.ts';
import { chunkWriter } from './chunk.ts';
import { leadAssigned } from './lead-change.ts';
import type { BatchAdapter } from './run.ts';

type Input = z.infer<typeof LeadInput>;
type Lead = typeof leads.$inferSelect;

/** Leads by the single create's and PATCH's rules: scored on every write, `lead.assigned` when the owner moves. */
export const leadBatch: BatchAdapter<Input> = {
  resource: 'leads',
  create: 'leads:create',
  update: 'leads:update',
  schema: LeadInput,
  matchOn: ['email', 'externalId'],
  keyOf: (item, matchOn) => (matchOn === 'email' ? item.input.email?.toLowerCase() : item.externalId),
  counted: (ctx, created) => ctx.metrics.leadsCreated.inc(created),
  writeChunk: chunkWriter<Input, typeof leads, ReturnType<typeof leadView>>(({ tx, actor, checks }) => ({
    entity: 'lead',
    table: leads,
    view: leadView,
    async create({ input }) {
      const ownerId = await checks.newOwner(input.ownerId);
      const fields = {
        ...newLeadFields(input, ownerId),
        customFields: await checks.newCustomFields('lead', input.customFields),
      };
      const { score, reasons } = scoreLead(fields, await scoringRulesFor(tx, actor.principal.organizationId));
      return { values: { ...fields, score, scoreReasons: reasons }, audit: { ...fields, score } };
    },
    async update({ input }, current: Lead) {
      if (input.ownerId !== undefined && input.ownerId !== current.ownerId) await checks.owner(input.ownerId);
      const changes = diff(current as unknown as Record<string, unknown>, {
        ...input,
        ...(input.email ? { email: input.email.toLowerCase() } : {}),
        customFields: await checks.patchedCustomFields('lead', input.customFields, current.customFields),
      });
      const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
      const { score, reasons } = scoreLead(
        { ...current, ...next },
        await scoringRulesFor(tx, actor.principal.organizationId),
      );
      return {
        changes,
        set: { ...next, score, scoreReasons: reasons },
        after: (lead) => (changes.ownerId ? [leadAssigned(current, lead.ownerId, changes.ownerId)] : []),
      };
    },
  })),
};
