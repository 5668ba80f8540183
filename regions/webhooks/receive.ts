import { and, eq } from 'drizzle-orm';
import { inboundEndpoints } from '../../db/schema/index.ts';
import { hashToken, parseRoutableToken } from '../../edge/protocol/routable-token.ts';
import { badRequest, fieldIssues, notFound } from '../../openapi/errors.ts';
import { LeadInput } from '../../openapi/schemas/leads.ts';
import type { RegionContext } from '../context.ts';
import { createLead } from '../leads/create.ts';
import type { Actor } from '../support/actor.ts';
import { mapPayload } from './mapping.ts';

type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string };

/**
 * `POST /api/v1/inbound/{token}`: maps the payload to a lead and creates it exactly as `POST /api/v1/leads` does
 * (scored, duplicates counted, `lead.created` in the outbox for dispatch and webhooks). The endpoint acts like an
 * API key that may only create leads: the audit log names it as the actor.
 */
export async function receiveInbound(ctx: RegionContext, token: string, payload: unknown, meta: RequestMeta) {
  const parsed = parseRoutableToken(token);
  if (parsed?.kind !== 'inb' || parsed.region !== ctx.region) throw notFound('Inbound endpoint');
  const { organizationId } = parsed;
  const tokenHash = await hashToken(token);
  const endpoint = await ctx.shards.withTenant(organizationId, async (tx) => {
    const where = and(
      eq(inboundEndpoints.organizationId, organizationId),
      eq(inboundEndpoints.tokenHash, tokenHash),
      eq(inboundEndpoints.active, true),
    );
    const [row] = await tx.select().from(inboundEndpoints).where(where);
    if (row) await tx.update(inboundEndpoints).set({ lastUsedAt: new Date() }).where(where);
    return row;
  });
  if (!endpoint) throw notFound('Inbound endpoint');
  const fields = mapPayload(
    payload,
    endpoint.mapping as Record<string, string>,
    endpoint.defaults as Record<string, string> | null,
  );
  const input = LeadInput.safeParse(fields);
  if (!input.success) {
    throw badRequest('validation_failed', 'The payload does not map to a valid lead', fieldIssues(input.error.issues));
  }
  const actor: Actor = {
    principal: { type: 'api_key', organizationId, region: ctx.region, keyId: endpoint.id, scopes: ['leads:create'] },
    ...meta,
  };
  const created = await createLead(ctx, actor, input.data);
  return { lead: created.body };
}
