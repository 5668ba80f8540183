import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { emailMessages } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import type { EmailListQuery } from '../../openapi/schemas/emails.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { visibleEmails } from './access.ts';
import { emailView } from './view.ts';

export async function listEmails(ctx: RegionContext, { principal }: Actor, query: z.infer<typeof EmailListQuery>) {
  const t = emailMessages;
  const conditions: SQL[] = [visibleEmails(principal)];
  if (query.campaignId) conditions.push(eq(t.campaignId, query.campaignId));
  if (query.contactId) conditions.push(eq(t.contactId, query.contactId));
  if (query.status) conditions.push(eq(t.status, query.status));
  if (query.cursor) conditions.push(lt(t.id, decodeCursor(query.cursor)));
  const rows = await ctx.shards.withTenant(principal.organizationId, (tx) =>
    tx
      .select()
      .from(t)
      .where(and(...conditions))
      .orderBy(desc(t.id))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { data: page.map(emailView), nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}

export async function getEmail(ctx: RegionContext, { principal }: Actor, id: string) {
  const [row] = await ctx.shards.withTenant(principal.organizationId, (tx) =>
    tx
      .select()
      .from(emailMessages)
      .where(and(visibleEmails(principal), eq(emailMessages.id, id))),
  );
  if (!row) throw notFound('Email');
  return emailView(row);
}
