import { createRoute, z } from '@hono/zod-openapi';
import { IdParam, pick } from '../../schemas/common.ts';

export const samlMetadataRoute = createRoute({
  method: 'get',
  path: '/api/v1/sso/connections/{id}/saml-metadata',
  operationId: 'getSamlMetadata',
  tags: ['sso'],
  summary: "A SAML connection's service provider metadata (XML), for the IdP's administrator",
  description:
    'Our entity id, the assertion consumer service (HTTP-POST) and that assertions must be signed. Admins only (`settings:manage`); 404 for an OIDC connection.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The metadata',
      content: {
        'application/samlmetadata+xml': {
          schema: z.string(),
          example: '<?xml version="1.0"?><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" …/>',
        },
      },
    },
    ...pick(400, 401, 403, 404, 429),
  },
});
