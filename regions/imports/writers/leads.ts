import { and, desc, eq, inArray } from 'drizzle-orm';
import { newId } from '../../../db/ids.ts';
import { leads } from '../../../db/schema/index.ts';
import { scoreLead } from '../../leads/score.ts';
import { scoringRulesFor } from '../../scoring/store.ts';
import { diff } from '../../support/record.ts';
import { type BatchWriter, emptyOutcome, firstByKey, mergedCustomFields, present } from './types.ts';

/**
 * Leads as createLead makes them (lower-cased email, status new, scored, custom fields), unassigned; matched by
 * email. An update merges the row's custom fields into the lead's.
 */
export const writeLeads: BatchWriter<'lead'> = async (tx, { organizationId, createdBy, onDuplicate, rows, now }) => {
  const outcome = emptyOutcome();
  const keys = [...new Set(rows.flatMap((r) => (r.key ? [r.key] : [])))];
  const existing = keys.length
    ? await tx
        .select()
        .from(leads)
        .where(and(eq(leads.organizationId, organizationId), inArray(leads.email, keys)))
        .orderBy(desc(leads.id))
    : [];
  const byEmail = firstByKey(existing, (lead) => lead.email);
  const inserts: (typeof leads.$inferInsert)[] = [];
  for (const { row, input, key, createFailure } of rows) {
    const match = key ? byEmail.get(key) : undefined;
    if (!match && createFailure) {
      outcome.failures.push({ row, reason: createFailure });
      continue;
    }
    if (!match) {
      const fields = {
        firstName: input.firstName ?? '',
        lastName: input.lastName ?? '',
        email: input.email?.toLowerCase() ?? null,
        phone: input.phone ?? null,
        company: input.company ?? null,
        title: input.title ?? null,
        source: input.source ?? null,
        status: input.status ?? 'new',
        ownerId: null,
      };
      const { score, reasons } = scoreLead(fields, await scoringRulesFor(tx, organizationId));
      const customFields = input.customFields ?? {};
      inserts.push({ organizationId, id: newId(), ...fields, score, scoreReasons: reasons, customFields, createdBy });
      continue;
    }
    const customFields = mergedCustomFields(match.customFields, input.customFields);
    const changes = diff(match as unknown as Record<string, unknown>, present({ ...input, email: key, customFields }));
    if (onDuplicate === 'skip' || Object.keys(changes).length === 0) {
      outcome.skipped++;
      continue;
    }
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    const { score, reasons } = scoreLead({ ...match, ...next }, await scoringRulesFor(tx, organizationId));
    await tx
      .update(leads)
      .set({ ...next, score, scoreReasons: reasons, version: match.version + 1, updatedAt: now })
      .where(and(eq(leads.organizationId, organizationId), eq(leads.id, match.id)));
    outcome.updatedIds.push(match.id);
  }
  if (inserts.length) {
    const made = await tx.insert(leads).values(inserts).returning({ id: leads.id });
    outcome.createdIds.push(...made.map((m) => m.id));
  }
  return outcome;
};
