import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { hashToken, makeRoutableToken } from '../../edge/protocol/routable-token.ts';
import type { ApiKeyInput } from '../../openapi/schemas/auth.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { apiKeyView } from '../support/views.ts';

/** Creates a scoped key; only its hash is kept, so the secret in this response is the only copy. */
export async function createApiKey(ctx: RegionContext, actor: Actor, input: z.infer<typeof ApiKeyInput>) {
  assertCan(actor.principal, 'api_keys:manage');
  const { organizationId } = actor.principal;
  const { token, prefix } = makeRoutableToken('ck', ctx.region, organizationId);
  const scopes = [...new Set(input.scopes)];
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        organizationId,
        id: newId(),
        name: input.name,
        prefix,
        keyHash: await hashToken(token),
        scopes,
        createdBy: actorId(actor.principal),
      })
      .returning();
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'api_key.created',
      target: { type: 'api_key', id: row!.id },
      changes: { name: input.name, scopes },
    });
    return { apiKey: apiKeyView(row!), key: token };
  });
}
