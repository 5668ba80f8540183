import type { z } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { leads } from '../../db/schema/index.ts';
import { LeadInput } from '../../openapi/schemas/leads.ts';
import { ownRecordsOnly } from '../auth/permissions.ts';
import { newLeadFields } from '../leads/fields.ts';
import { scoreLead } from '../leads/score.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { diff } from '../support/record.ts';
import { leadView } from '../support/views.ts';
import { type Change, writeLeadChange } from './lead-change.ts';
import { type BatchResult, failed, type MatchOn } from './outcome.ts';
import { ownerChecker } from './owners.ts';
import { groupBy, planChunk } from './plan.ts';
import { recordChanges } from './record-many.ts';
import type { BatchAdapter, Item } from './run.ts';

type Input = z.infer<typeof LeadInput>;
type Lead = typeof leads.$inferSelect;

export const leadBatch: BatchAdapter<Input> = {
  resource: 'leads',
  create: 'leads:create',
  update: 'leads:update',
  schema: LeadInput,
  matchOn: ['email', 'externalId'],
  keyOf: (item, matchOn) => (matchOn === 'email' ? item.input.email?.toLowerCase() : item.externalId),
  writeChunk,
};

async function writeChunk(tx: Tx, actor: Actor, items: Item<Input>[], matchOn: MatchOn | null) {
  const { principal } = actor;
  const { organizationId } = principal;
  const inOrg = eq(leads.organizationId, organizationId);
  const keys = items.flatMap((item) => (item.key === undefined ? [] : [item.key]));
  const column = matchOn === 'email' ? leads.email : leads.externalId;
  const matched =
    matchOn && keys.length > 0
      ? await tx
          .select()
          .from(leads)
          .where(and(inOrg, inArray(column, keys)))
          .for('update')
      : [];
  const externalIds = items.flatMap((item) => (item.externalId === undefined ? [] : [item.externalId]));
  const taken =
    externalIds.length > 0
      ? await tx
          .select({ id: leads.id, externalId: leads.externalId })
          .from(leads)
          .where(and(inOrg, inArray(leads.externalId, externalIds)))
      : [];
  const plan = planChunk(
    principal,
    items,
    matchOn,
    groupBy(matched, (row) => (matchOn === 'email' ? row.email : row.externalId)),
    new Map(taken.map((row) => [row.externalId!, row.id])),
    'lead',
  );
  const checkOwner = ownerChecker(tx, principal);
  const results = plan.results;
  const changes: Change[] = [];
  const pending: { index: number; row: typeof leads.$inferInsert }[] = [];
  for (const item of plan.creates) {
    const ownerId = item.input.ownerId === undefined ? ownRecordsOnly(principal) : item.input.ownerId;
    const refused = await checkOwner(ownerId ?? undefined);
    if (refused) {
      results.push({ index: item.index, status: 'failed', error: refused });
      continue;
    }
    const fields = newLeadFields(item.input, ownerId ?? null);
    const { score, reasons } = scoreLead(fields);
    const row = { organizationId, id: newId(), ...fields, externalId: item.externalId ?? null, score };
    pending.push({ index: item.index, row: { ...row, scoreReasons: reasons, createdBy: actorId(principal) } });
  }
  results.push(...(await insertLeads(tx, pending, changes)));
  for (const { item, current } of plan.updates) {
    results.push(await updateLead(tx, item, current, checkOwner, changes));
  }
  await recordChanges(tx, actor, changes);
  return results;
}

/** One multi-row insert; a row the externalId index refused (a concurrent writer won) fails on its own. */
async function insertLeads(tx: Tx, pending: { index: number; row: typeof leads.$inferInsert }[], changes: Change[]) {
  if (pending.length === 0) return [];
  const inserted = await tx
    .insert(leads)
    .values(pending.map((p) => p.row))
    .onConflictDoNothing()
    .returning();
  const byId = new Map(inserted.map((row) => [row.id, row]));
  return pending.map(({ index, row }): BatchResult => {
    const stored = byId.get(row.id!);
    if (!stored) return failed(index, 'external_id_taken', 'Another lead has this externalId');
    const lead = leadView(stored);
    const { organizationId: _org, id: _id, createdBy: _by, scoreReasons: _reasons, ...fields } = row;
    changes.push({
      action: 'lead.created',
      target: { type: 'lead', id: lead.id },
      changes: fields,
      event: { type: 'lead.created', payload: lead },
    });
    return { index, status: 'created', id: lead.id };
  });
}

/** The single PATCH's rules on one matched lead: only the fields sent change, rescored, owner checked, versioned. */
async function updateLead(
  tx: Tx,
  item: Item<Input>,
  current: Lead,
  checkOwner: ReturnType<typeof ownerChecker>,
  changes: Change[],
): Promise<BatchResult> {
  // Custom fields are validated against their definitions by their own service; a batch leaves them alone.
  const { customFields: _custom, ...input } = item.input as Input & { customFields?: unknown };
  const changed = diff(current as unknown as Record<string, unknown>, {
    ...input,
    ...(input.email ? { email: input.email.toLowerCase() } : {}),
    ...(item.externalId === undefined ? {} : { externalId: item.externalId }),
  });
  if (Object.keys(changed).length === 0) return { index: item.index, status: 'unchanged', id: current.id };
  if (changed.ownerId) {
    const refused = await checkOwner(input.ownerId);
    if (refused) return { index: item.index, status: 'failed', id: current.id, error: refused };
  }
  const lead = await writeLeadChange(tx, current, changed, changes);
  return { index: item.index, status: 'updated', id: lead.id };
}
