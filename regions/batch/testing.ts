import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { auditLog, companies, contacts, dealStageChanges, deals, leads, outbox } from '../../db/schema/index.ts';
import type { apiClient } from '../../test/support/api.ts';
import type { TestStack } from '../../test/support/stack.ts';

/** Shared set-up of the batch suites: the batch call, custom field definitions, and what a shard holds. */

export type Api = ReturnType<typeof apiClient>;
export type Session = Awaited<ReturnType<Api['signup']>>;
export type Resource = 'leads' | 'contacts' | 'companies' | 'deals';
export type Result = {
  index: number;
  status: string;
  id?: string;
  error?: { code: string; message: string; details?: { path: string; message: string }[] };
};

export const batchCall = (api: Api, resource: Resource) => (token: string, body: unknown, key?: string) =>
  api.call('POST', `/api/v1/${resource}/batch`, {
    token,
    body,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

export const statuses = (results: Result[]) => results.map((r) => r.status);

/** Defines a custom field through the API, as an admin does. */
export async function defineField(api: Api, token: string, body: Record<string, unknown>) {
  const made = await api.call('POST', '/api/v1/custom-fields', { token, body });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
  return made.data;
}

const tables = { leads, contacts, companies, deals } as const;
const entityOf = { leads: 'lead', contacts: 'contact', companies: 'company', deals: 'deal' } as const;

/**
 * What the organization's shard holds for a resource, read around the edge's response cache: its rows, and its
 * audit entries and outbox events (action or type, and target) in the order they were written.
 */
export async function stored<R extends Resource>(stack: TestStack, session: Session, resource: R) {
  const { shards } = stack.regions[session.organization.homeRegion]!.ctx;
  const org = session.organization.id;
  const entity = entityOf[resource];
  const table = tables[resource] as typeof leads;
  return shards.withTenant(org, async (tx) => ({
    rows: (await tx
      .select()
      .from(table)
      .where(eq(table.organizationId, org))) as unknown as (typeof tables)[R]['$inferSelect'][],
    audit: (
      await tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, org), eq(auditLog.targetType, entity)))
        .orderBy(asc(auditLog.id))
    ).map((row) => ({ action: row.action, id: row.targetId, changes: row.changes as Record<string, unknown> })),
    events: (
      await tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.organizationId, org), eq(outbox.aggregateType, entity)))
        .orderBy(asc(outbox.id))
    ).map((row) => ({ type: row.eventType, id: row.aggregateId, payload: row.payload as Record<string, unknown> })),
    stageChanges:
      resource === 'deals'
        ? await tx.select().from(dealStageChanges).where(eq(dealStageChanges.organizationId, org))
        : [],
  }));
}

/** How many entries of each action (or event type) there are. */
export const tally = (entries: { action?: string; type?: string }[]) =>
  entries.reduce<Record<string, number>>((counts, e) => {
    const name = (e.action ?? e.type)!;
    counts[name] = (counts[name] ?? 0) + 1;
    return counts;
  }, {});
