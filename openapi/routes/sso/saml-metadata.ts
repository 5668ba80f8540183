import { createRoute, z } from '@hono/zod-openapi';
import { pick } from '../../schemas/common.ts';

export const SamlSpIdParam = z.object({
  connection: z
    .string()
    .max(120)
    .openapi({
      param: { name: 'connection', in: 'path' },
      description: "The connection's public id, as its `saml.metadataUrl` names it (region and organization in it)",
      example: 'sp_eu_0193a5f61a2b7c3d8e4f5a6b7c8d9e0f0193a5f61a2b7c3d8e4f5a6b7c8d9e0f',
    }),
});

export const samlMetadataRoute = createRoute({
  method: 'get',
  path: '/api/v1/sso/saml/{connection}/metadata',
  operationId: 'getSamlMetadata',
  tags: ['sso'],
  summary: "A SAML connection's service provider metadata (XML), for the IdP and its administrator",
  description:
    "Public, so an IdP's administrator (or the IdP itself) fetches it from the connection's `saml.metadataUrl` without a token. Nothing secret in it: our entity id, the assertion consumer service (HTTP-POST) and that assertions must be signed. Cacheable for an hour (`Cache-Control`, `ETag`, 304 on `If-None-Match`). 404 for an unknown id or an OIDC connection.",
  security: [],
  request: { params: SamlSpIdParam },
  responses: {
    200: {
      description: 'The metadata',
      headers: {
        'Cache-Control': { description: '`public, max-age=3600`', schema: { type: 'string' } },
        ETag: { description: 'Send it back as `If-None-Match` for a 304', schema: { type: 'string' } },
      },
      content: {
        'application/samlmetadata+xml': {
          schema: z.string(),
          example: '<?xml version="1.0"?><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" …/>',
        },
      },
    },
    304: { description: 'Not modified since the ETag sent' },
    ...pick(404, 429),
  },
});
