import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { attachments } from '../../db/schema/index.ts';
import type { AttachableRecord, AttachmentListQuery } from '../../openapi/schemas/attachments.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { findVisibleRecord, permissionFor } from './records.ts';
import { attachmentView } from './view.ts';

/** The files of one record the caller may see, newest first by UUIDv7 id. */
export async function listAttachments(
  ctx: RegionContext,
  { principal }: Actor,
  recordType: AttachableRecord,
  recordId: string,
  query: z.infer<typeof AttachmentListQuery>,
) {
  assertCan(principal, permissionFor(recordType, 'read'));
  const { organizationId } = principal;
  const conditions: SQL[] = [
    eq(attachments.organizationId, organizationId),
    eq(attachments.recordId, recordId),
    eq(attachments.recordType, recordType),
  ];
  if (query.cursor) conditions.push(lt(attachments.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(organizationId, async (tx) => {
    await findVisibleRecord(tx, principal, recordType, recordId);
    return tx
      .select()
      .from(attachments)
      .where(and(...conditions))
      .orderBy(desc(attachments.id))
      .limit(query.limit + 1);
  });
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { data: page.map(attachmentView), nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}
