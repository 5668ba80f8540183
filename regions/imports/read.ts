import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { imports } from '../../db/schema/index.ts';
import type { ImportListQuery } from '../../openapi/schemas/imports.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { findImport } from './access.ts';
import { customFieldKeys, customFieldKeysByEntity } from './custom-fields.ts';
import { importEtag, importView } from './view.ts';

/** One import with its progress; imports belong to the organization, so whoever may import sees them all. */
export async function getImport(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'data:import');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const row = await findImport(tx, organizationId, id);
    return { view: importView(row, await customFieldKeys(tx, organizationId, row.entity)), etag: importEtag(row) };
  });
}

/** Newest first by UUIDv7 id. */
export async function listImports(ctx: RegionContext, { principal }: Actor, query: z.infer<typeof ImportListQuery>) {
  assertCan(principal, 'data:import');
  const { organizationId } = principal;
  const conditions: SQL[] = [eq(imports.organizationId, organizationId)];
  if (query.cursor) conditions.push(lt(imports.id, decodeCursor(query.cursor)));
  const { rows, customKeys } = await ctx.shards.withTenant(organizationId, async (tx) => ({
    rows: await tx
      .select()
      .from(imports)
      .where(and(...conditions))
      .orderBy(desc(imports.id))
      .limit(query.limit + 1),
    customKeys: await customFieldKeysByEntity(tx, organizationId),
  }));
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return {
    data: page.map((row) => importView(row, customKeys[row.entity])),
    nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null,
  };
}
