import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Tx } from '../../db/database.ts';
import { attachments, auditLog, outbox } from '../../db/schema/index.ts';
import type { apiClient } from '../../test/support/api.ts';
import type { TestStack } from '../../test/support/stack.ts';
import { attach } from '../privacy/test-helpers.ts';
import { runBulkJob } from './job-run.ts';

/** Shared set-up of the bulk suites: records made through the edge, and what the shard holds, read around it. */

export type Api = ReturnType<typeof apiClient>;
export type Session = { token: string; organization: { id: string; homeRegion: string } };

/** Runs `work` in the organization's shard under its RLS scope. */
export const onShard = <T>(stack: TestStack, session: Session, work: (tx: Tx) => Promise<T>) =>
  stack.regions[session.organization.homeRegion]!.ctx.shards.withTenant(session.organization.id, work);

/** Creates a record through the edge and returns its id. */
export async function make(api: Api, token: string, path: string, body: Record<string, unknown>) {
  const made = await api.call('POST', path, { token, body });
  expect(made.status, `${path} ${JSON.stringify(made.data)}`).toBe(201);
  return made.data.id as string;
}

/** Defines a text custom field of the entity, so a bulk filter can name it as `cf.<key>`. */
export const defineField = (api: Api, token: string, entity: string, key: string) =>
  make(api, token, '/api/v1/custom-fields', { entity, key, label: key, type: 'text' });

/** Uploads a file to the record and returns the stored object's key, to check the file goes with the record. */
export async function attachFile(stack: TestStack, session: Session, recordPath: string) {
  const file = await attach(stack, session.token, recordPath);
  const [row] = await onShard(stack, session, (tx) => tx.select().from(attachments).where(eq(attachments.id, file.id)));
  return {
    id: file.id,
    key: row!.storageKey,
    exists: async () => (await storage(stack, session).size(row!.storageKey)) !== null,
  };
}

const storage = (stack: TestStack, session: Session) => stack.regions[session.organization.homeRegion]!.ctx.storage;

/** The audit rows with this action on these targets, oldest first. */
export const auditRows = (stack: TestStack, session: Session, action: string, targetIds: string[]) =>
  onShard(stack, session, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), inArray(auditLog.targetId, targetIds)))
      .orderBy(auditLog.id),
  );

/** The outbox events of this type, on these aggregates if given, oldest first. */
export const eventRows = (stack: TestStack, session: Session, type: string, aggregateIds?: string[]) =>
  onShard(stack, session, (tx) =>
    tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.eventType, type), aggregateIds ? inArray(outbox.aggregateId, aggregateIds) : undefined))
      .orderBy(outbox.id),
  );

export const eventCount = async (stack: TestStack, session: Session, type: string) =>
  (await onShard(stack, session, (tx) => tx.select({ n: count() }).from(outbox).where(eq(outbox.eventType, type))))[0]!
    .n;

/**
 * Inserts `n` rows with these column values in one statement that the database expands, so a suite needing 10,000
 * records neither builds a 40,000-parameter insert nor blocks an in-process database (and the edge with it) for long.
 */
export const seedRows = (
  stack: TestStack,
  session: Session,
  table: 'leads' | 'companies',
  n: number,
  values: Record<string, string | string[]>,
) =>
  onShard(stack, session, (tx) =>
    tx.execute(sql`
      insert into ${sql.identifier(table)} (organization_id, id, ${sql.join(
        Object.keys(values).map((column) => sql.identifier(column)),
        sql`, `,
      )})
      select ${session.organization.id}, gen_random_uuid(), ${sql.join(
        // An array goes as one text[] literal; a bare array would be spread into a list of parameters.
        Object.values(values).map((value) =>
          Array.isArray(value) ? sql`${`{${value.join(',')}}`}::text[]` : sql`${value}`,
        ),
        sql`, `,
      )}
      from generate_series(1, ${n})`),
  );

/**
 * Runs a bulk job to its end in the test's own process, as the batch worker would, and returns the job as GET shows
 * it: for suites whose stack runs no workers, so a selection above one chunk (a 202) is still checked end to end.
 */
export async function runJobToEnd(stack: TestStack, api: Api, session: Session, bulkJobId: string) {
  const ctx = stack.regions[session.organization.homeRegion]!.ctx;
  const target = { organizationId: session.organization.id, bulkJobId };
  await runBulkJob(ctx, target, { stopping: false }, { last: false });
  const job = await api.call('GET', `/api/v1/bulk-jobs/${bulkJobId}`, { token: session.token });
  expect(job.status, JSON.stringify(job.data)).toBe(200);
  return job.data;
}
