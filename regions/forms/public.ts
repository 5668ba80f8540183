import { parseFormPublicId } from '../../edge/forms/public-id.ts';
import type { RegionContext } from '../context.ts';
import { findForm } from './access.ts';
import { type PublicFormDefinition, publicDefinition } from './view.ts';

/** The public definition of an active form of this region, or null (unknown, another region's, inactive). */
export async function findPublicDefinition(ctx: RegionContext, publicId: string): Promise<PublicFormDefinition | null> {
  const parsed = parseFormPublicId(publicId);
  if (!parsed || parsed.region !== ctx.region) return null;
  const { organizationId, formId } = parsed;
  const row = await ctx.shards.withTenant(organizationId, (tx) =>
    findForm(tx, organizationId, formId).catch(() => null),
  );
  return row?.active ? publicDefinition(row, ctx.region) : null;
}
