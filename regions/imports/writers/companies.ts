import { and, eq, inArray } from 'drizzle-orm';
import { newId } from '../../../db/ids.ts';
import { companies } from '../../../db/schema/index.ts';
import { addressOrNull } from '../../companies/address.ts';
import { diff } from '../../support/record.ts';
import { type BatchWriter, emptyOutcome, firstByKey, mergedCustomFields, present } from './types.ts';

/**
 * Companies as createCompany makes them, unassigned; matched by domain, which is unique per organization (an
 * update merges the row's custom fields into the company's). A company created with the same domain while the
 * batch runs makes its row fail (the insert skips the conflict), rather than the whole batch.
 */
export const writeCompanies: BatchWriter<'company'> = async (
  tx,
  { organizationId, createdBy, onDuplicate, rows, now },
) => {
  const outcome = emptyOutcome();
  const keys = [...new Set(rows.flatMap((r) => (r.key ? [r.key] : [])))];
  const existing = keys.length
    ? await tx
        .select()
        .from(companies)
        .where(and(eq(companies.organizationId, organizationId), inArray(companies.domain, keys)))
    : [];
  const byDomain = firstByKey(existing, (company) => company.domain);
  const inserts: { row: (typeof rows)[number]; values: typeof companies.$inferInsert }[] = [];
  for (const row of rows) {
    const { input, key, createFailure } = row;
    const match = key ? byDomain.get(key) : undefined;
    if (!match && createFailure) {
      outcome.failures.push({ row: row.row, reason: createFailure });
      continue;
    }
    if (!match) {
      const values = {
        organizationId,
        id: newId(),
        name: input.name,
        domain: input.domain ?? null,
        industry: input.industry ?? null,
        size: input.size ?? null,
        address: addressOrNull(input.address),
        ownerId: null,
        tags: input.tags ?? [],
        customFields: input.customFields ?? {},
        createdBy,
      };
      inserts.push({ row, values });
      continue;
    }
    const { address, customFields, ...fields } = input;
    const patch = {
      ...present({ ...fields, customFields: mergedCustomFields(match.customFields, customFields) }),
      ...(address ? { address: addressOrNull({ ...match.address, ...present(address) }) } : {}),
    };
    const changes = diff(match as unknown as Record<string, unknown>, patch);
    if (onDuplicate === 'skip' || Object.keys(changes).length === 0) {
      outcome.skipped++;
      continue;
    }
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    await tx
      .update(companies)
      .set({ ...next, version: match.version + 1, updatedAt: now })
      .where(and(eq(companies.organizationId, organizationId), eq(companies.id, match.id)));
    outcome.updatedIds.push(match.id);
  }
  if (inserts.length) {
    const made = await tx
      .insert(companies)
      .values(inserts.map((i) => i.values))
      .onConflictDoNothing()
      .returning({ id: companies.id });
    const inserted = new Set(made.map((m) => m.id));
    outcome.createdIds.push(...made.map((m) => m.id));
    for (const { row, values } of inserts) {
      if (!inserted.has(values.id)) {
        outcome.failures.push({ row: row.row, reason: `A company with the domain ${values.domain} already exists` });
      }
    }
  }
  return outcome;
};
