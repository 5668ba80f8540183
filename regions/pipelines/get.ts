import { notFound } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findPipeline, stagesOf } from './access.ts';
import { pipelineView } from './view.ts';

export async function getPipeline(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'deals:read');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const pipeline = await findPipeline(tx, organizationId, id);
    if (!pipeline) throw notFound('Pipeline');
    return pipelineView(pipeline, await stagesOf(tx, organizationId, id));
  });
}
