import type { Context, MiddlewareHandler, Next } from 'hono';
import { inReadScope } from '../../db/read-routing.ts';
import { writePosition } from '../../db/replica.ts';
import {
  CONSISTENCY_HEADER,
  type ConsistencyToken,
  formatToken,
  InvalidConsistencyToken,
  parseToken,
  READ_REPLICAS_HEADER,
} from '../../edge/protocol/consistency-token.ts';
import { isRead } from '../../edge/protocol/methods.ts';
import { envelope } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import type { RegionEnv } from './actor.ts';

/**
 * Read replicas with read-your-writes, for a region whose shards have replicas (SHARD_REPLICA_URLS; none: only the
 * header below). A GET runs in a read scope, so its tenant transactions go to the shard's replica unless the
 * request's `X-Consistency-Token` names a position of that shard the replica has not replayed (db/replica.ts).
 * A write that succeeded answers with the token: where the primary of the principal's shard (or, without a
 * principal, of every replicated shard: sign-up, sign-in) had written once it committed. Every answer says whether
 * the region reads replicas at all (`X-Read-Replicas`), so the edge can skip looking up tokens for one that does not.
 */
export function readYourWrites(ctx: RegionContext): MiddlewareHandler<RegionEnv> {
  return async function consistency(c, next) {
    const replicated = ctx.shards.replicated();
    const readsReplicas = replicated.length ? '1' : '0';
    // Before the answer exists, for one made with c.json (the envelope below), and again on the answer made further
    // in, which may be a Response of its own; an error thrown there is answered inside `next` (Hono's onError).
    c.header(READ_REPLICAS_HEADER, readsReplicas);
    const refused = await consistentOrPrimary(c, next, replicated);
    if (refused) return refused;
    c.res.headers.set(READ_REPLICAS_HEADER, readsReplicas);
  };

  async function consistentOrPrimary(
    c: Context<RegionEnv>,
    next: Next,
    replicated: ReturnType<RegionContext['shards']['replicated']>,
  ): Promise<Response | undefined> {
    if (replicated.length === 0) {
      await next();
      return;
    }
    let token: ConsistencyToken;
    try {
      token = parseToken(c.req.header(CONSISTENCY_HEADER));
    } catch (error) {
      if (!(error instanceof InvalidConsistencyToken)) throw error;
      return envelope(c, 400, 'invalid_consistency_token', error.message);
    }
    if (isRead(c.req.method)) {
      await inReadScope(token, async (scope) => {
        await next();
        ctx.metrics.replication.countReads(scope.served);
      });
      return;
    }
    await next();
    if (c.res.status >= 400) return;
    const principal = c.get('request')?.principal;
    const primaries = principal
      ? [ctx.shards.forOrganization(principal.organizationId)].filter((p) => ctx.shards.replicaOf(p.id))
      : replicated.map((r) => r.primary);
    try {
      const positions = await Promise.all(primaries.map(async (p) => [p.id, await writePosition(p)] as const));
      if (positions.length) c.res.headers.set(CONSISTENCY_HEADER, formatToken(new Map(positions)));
    } catch (error) {
      // The write is committed and answered; without a token the next read may only be older than it.
      ctx.log.warn({ err: error, requestId: c.get('requestId') }, 'no consistency token for a write');
    }
  }
}
