import { sha256Hex } from '../../edge/protocol/encoding.ts';
import { parseSamlSpPublicId } from '../../edge/protocol/saml-sp-id.ts';
import { notFound } from '../../openapi/errors.ts';
import type { RegionContext } from '../context.ts';
import { findConnection } from './connections.ts';
import { samlMetadataOf } from './saml.ts';

/** IdPs and their administrators may keep the metadata an hour: it changes only with PUBLIC_BASE_URL. */
export const SAML_METADATA_MAX_AGE_SECONDS = 3600;

/**
 * A SAML connection's service provider metadata, public: IdP administrators (and IdPs refreshing it) fetch it
 * without a token. It holds nothing secret: our entity id, the ACS URL, that assertions must be signed, and no
 * certificate (we sign nothing). An id of another region, or of no SAML connection of its organization, is a 404.
 */
export async function publicSamlMetadata(ctx: RegionContext, publicId: string) {
  const parsed = parseSamlSpPublicId(publicId);
  if (parsed?.region !== ctx.region) throw notFound('SAML connection');
  const { organizationId, connectionId } = parsed;
  const connection = await ctx.shards.withTenant(organizationId, (tx) =>
    findConnection(tx, organizationId, connectionId),
  );
  if (connection?.protocol !== 'saml') throw notFound('SAML connection');
  const xml = await samlMetadataOf(ctx, connection);
  return { xml, etag: `"${(await sha256Hex(xml)).slice(0, 32)}"` };
}
