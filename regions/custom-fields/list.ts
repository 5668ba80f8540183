import type { z } from '@hono/zod-openapi';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { customFieldDefinitions } from '../../db/schema/index.ts';
import type { CustomFieldListQuery } from '../../openapi/schemas/custom-fields.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { customFieldView } from './view.ts';

/** Every member may read the definitions: they need them to fill in and filter records. */
export async function listCustomFields(
  ctx: RegionContext,
  { principal }: Actor,
  query: z.infer<typeof CustomFieldListQuery>,
) {
  const { organizationId } = principal;
  const t = customFieldDefinitions;
  const conditions: SQL[] = [eq(t.organizationId, organizationId)];
  if (query.entity) conditions.push(eq(t.entity, query.entity));
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(t)
      .where(and(...conditions))
      .orderBy(asc(t.entity), asc(t.position), asc(t.key)),
  );
  return { data: rows.map(customFieldView) };
}
