import type { z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { inboundEndpoints } from '../../db/schema/index.ts';
import { hashToken, makeRoutableToken } from '../../edge/protocol/routable-token.ts';
import { notFound } from '../../openapi/errors.ts';
import type { InboundEndpointInput } from '../../openapi/schemas/webhooks.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { adminOrganization } from './subscriptions.ts';
import { inboundView } from './views.ts';

/** Creates an inbound endpoint; its token (`inb_<region>_…`, routable by the edge) is returned once, only its hash kept. */
export async function createInboundEndpoint(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof InboundEndpointInput>,
) {
  const organizationId = adminOrganization(actor);
  const { token, prefix } = makeRoutableToken('inb', ctx.region, organizationId);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .insert(inboundEndpoints)
      .values({
        organizationId,
        id: newId(),
        name: input.name,
        prefix,
        tokenHash: await hashToken(token),
        mapping: input.mapping,
        defaults: input.defaults ?? null,
        createdBy: actorId(actor.principal),
      })
      .returning();
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'inbound_endpoint.created',
      target: { type: 'inbound_endpoint', id: row!.id },
      changes: { name: input.name, mapping: input.mapping },
    });
    return { endpoint: inboundView(row!), token, url: `/api/v1/inbound/${token}` };
  });
}

export async function listInboundEndpoints(ctx: RegionContext, actor: Actor) {
  const organizationId = adminOrganization(actor);
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(inboundEndpoints)
      .where(eq(inboundEndpoints.organizationId, organizationId))
      .orderBy(asc(inboundEndpoints.id)),
  );
  return { data: rows.map(inboundView) };
}

export async function deleteInboundEndpoint(ctx: RegionContext, actor: Actor, id: string): Promise<void> {
  const organizationId = adminOrganization(actor);
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .delete(inboundEndpoints)
      .where(and(eq(inboundEndpoints.organizationId, organizationId), eq(inboundEndpoints.id, id)))
      .returning();
    if (!row) throw notFound('Inbound endpoint');
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'inbound_endpoint.deleted',
      target: { type: 'inbound_endpoint', id },
      changes: { name: row.name },
    });
  });
}
