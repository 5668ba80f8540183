import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { auditLog, companies, contacts, outbox } from '../../db/schema/index.ts';
import type { apiClient } from '../../test/support/api.ts';
import type { TestStack } from '../../test/support/stack.ts';

/** Shared set-up for the pipeline and deal suites: sessions, records made around the API, and what was recorded. */

export type Api = ReturnType<typeof apiClient>;
export type Session = Awaited<ReturnType<Api['signup']>>;
export type Stage = { id: string; name: string; position: number; probability: number; kind: 'open' | 'won' | 'lost' };
export type Pipeline = { id: string; name: string; isDefault: boolean; version: number; stages: Stage[] };

export async function pipelinesOf(api: Api, token: string): Promise<Pipeline[]> {
  const list = await api.call('GET', '/api/v1/pipelines', { token });
  if (list.status !== 200) throw new Error(`list pipelines: ${list.status} ${JSON.stringify(list.data)}`);
  return list.data.data;
}

export async function defaultPipeline(api: Api, token: string): Promise<Pipeline> {
  return (await pipelinesOf(api, token)).find((p) => p.isDefault)!;
}

export async function createPipeline(api: Api, token: string, body: Record<string, unknown> = {}): Promise<Pipeline> {
  const made = await api.call('POST', '/api/v1/pipelines', {
    token,
    body: {
      name: api.unique('Pipeline'),
      stages: [
        { name: 'Discovery', probability: 10 },
        { name: 'Proposal', probability: 50 },
        { name: 'Won', kind: 'won' },
        { name: 'Lost', kind: 'lost' },
      ],
      ...body,
    },
  });
  if (made.status !== 201) throw new Error(`create pipeline: ${made.status} ${JSON.stringify(made.data)}`);
  return made.data;
}

export const stageNamed = (pipeline: Pipeline, name: string) => pipeline.stages.find((s) => s.name === name)!;

const shardsOf = (stack: TestStack, session: Session) => stack.regions[session.organization.homeRegion]!.ctx.shards;

/** The outbox events of one aggregate, oldest first, read around the edge's cache. */
export async function eventsOf(stack: TestStack, session: Session, aggregateId: string) {
  const rows = await shardsOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.organizationId, session.organization.id), eq(outbox.aggregateId, aggregateId)))
      .orderBy(asc(outbox.id)),
  );
  return rows.map((r) => ({ type: r.eventType, payload: r.payload as Record<string, unknown> }));
}

export async function auditOf(stack: TestStack, session: Session, targetId: string) {
  const rows = await shardsOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, session.organization.id), eq(auditLog.targetId, targetId)))
      .orderBy(asc(auditLog.id)),
  );
  return rows.map((r) => ({ action: r.action, actorId: r.actorId, changes: r.changes as Record<string, unknown> }));
}

/** A contact or company written straight to the shard, so these suites do not depend on those APIs. */
export async function insertContact(stack: TestStack, session: Session, ownerId: string | null = null) {
  const id = newId();
  await shardsOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx.insert(contacts).values({ organizationId: session.organization.id, id, firstName: 'Charles', ownerId }),
  );
  return id;
}

export async function insertCompany(stack: TestStack, session: Session) {
  const id = newId();
  await shardsOf(stack, session).withTenant(session.organization.id, (tx) =>
    tx.insert(companies).values({ organizationId: session.organization.id, id, name: 'Difference Engines' }),
  );
  return id;
}

/** Runs SQL-level work on the organization's shard, e.g. to age a deal's stage entry. */
export const onShard = <T>(stack: TestStack, session: Session, work: (tx: Tx) => Promise<T>) =>
  shardsOf(stack, session).withTenant(session.organization.id, work);
