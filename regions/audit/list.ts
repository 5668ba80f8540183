import type { z } from '@hono/zod-openapi';
import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { auditLog } from '../../db/schema/index.ts';
import { badRequest } from '../../openapi/errors.ts';
import type { AuditLogQuery } from '../../openapi/schemas/audit.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { auditEntryView } from './view.ts';

type Query = z.infer<typeof AuditLogQuery>;

function filters(query: Query): SQL[] {
  const conditions: SQL[] = [];
  if (query.actorId) conditions.push(eq(auditLog.actorId, query.actorId));
  if (query.action) {
    // A value ending in a dot is a prefix (`lead.` → every lead action). starts_with, not LIKE: `_` is common in
    // action names and a LIKE wildcard.
    conditions.push(
      query.action.endsWith('.')
        ? sql`starts_with(${auditLog.action}, ${query.action})`
        : eq(auditLog.action, query.action),
    );
  }
  if (query.targetType) conditions.push(eq(auditLog.targetType, query.targetType));
  if (query.targetId) conditions.push(eq(auditLog.targetId, query.targetId));
  if (query.from) conditions.push(gte(auditLog.createdAt, new Date(query.from)));
  if (query.to) conditions.push(lt(auditLog.createdAt, new Date(query.to)));
  return conditions;
}

/** The organization's audit trail, newest first by UUIDv7 id, for those allowed to read it (admins). */
export async function listAuditLog(ctx: RegionContext, { principal }: Actor, query: Query) {
  assertCan(principal, 'audit:read');
  if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
    throw badRequest('validation_failed', 'The request query is invalid', [
      { path: 'to', message: 'Must be after from' },
    ]);
  }
  const { organizationId } = principal;
  const conditions = [eq(auditLog.organizationId, organizationId), ...filters(query)];
  if (query.cursor) conditions.push(lt(auditLog.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(desc(auditLog.id))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { data: page.map(auditEntryView), nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}
