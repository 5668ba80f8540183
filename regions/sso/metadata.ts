import { notFound } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { findConnection } from './connections.ts';
import { samlMetadataOf } from './saml.ts';

/** A SAML connection's service provider metadata; admins hand it to their IdP. */
export async function samlMetadata(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  const connection = await ctx.shards.withTenant(organizationId, (tx) => findConnection(tx, organizationId, id));
  if (connection?.protocol !== 'saml') throw notFound('SAML connection');
  return samlMetadataOf(ctx, connection);
}
