import type { OpenAPIHono } from '@hono/zod-openapi';
import { addSsoDomainRoute } from '../../openapi/routes/sso/add-domain.ts';
import { createSsoConnectionRoute } from '../../openapi/routes/sso/create-connection.ts';
import { deleteSsoConnectionRoute } from '../../openapi/routes/sso/delete-connection.ts';
import { getSsoConnectionRoute } from '../../openapi/routes/sso/get-connection.ts';
import { listSsoConnectionsRoute } from '../../openapi/routes/sso/list-connections.ts';
import { listSsoDomainsRoute } from '../../openapi/routes/sso/list-domains.ts';
import { oidcCallbackRoute } from '../../openapi/routes/sso/oidc-callback.ts';
import { removeSsoDomainRoute } from '../../openapi/routes/sso/remove-domain.ts';
import { samlAcsRoute } from '../../openapi/routes/sso/saml-acs.ts';
import { samlMetadataRoute } from '../../openapi/routes/sso/saml-metadata.ts';
import { startSsoRoute } from '../../openapi/routes/sso/start.ts';
import { updateSsoConnectionRoute } from '../../openapi/routes/sso/update-connection.ts';
import { updateSsoDomainRoute } from '../../openapi/routes/sso/update-domain.ts';
import { verifySsoDomainRoute } from '../../openapi/routes/sso/verify-domain.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv, requestMeta } from '../support/actor.ts';
import { createConnection, deleteConnection, getConnection, listConnections, updateConnection } from './connections.ts';
import { addDomain, listDomains, removeDomain, updateDomain, verifyDomain } from './domains.ts';
import { finishOidcSignIn, finishSamlSignIn } from './finish.ts';
import { publicSamlMetadata, SAML_METADATA_MAX_AGE_SECONDS } from './metadata.ts';
import { startSso } from './start.ts';

export function registerSsoRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(startSsoRoute, async (c) => c.json(await startSso(ctx, c.req.valid('json'), requestMeta(c)), 200));
  app.openapi(oidcCallbackRoute, async (c) =>
    c.json(await finishOidcSignIn(ctx, c.req.valid('json'), requestMeta(c)), 200),
  );
  app.openapi(samlAcsRoute, async (c) => c.json(await finishSamlSignIn(ctx, c.req.valid('json'), requestMeta(c)), 200));
  app.openapi(listSsoConnectionsRoute, async (c) => c.json(await listConnections(ctx, actorOf(c)), 200));
  app.openapi(createSsoConnectionRoute, async (c) =>
    c.json(await createConnection(ctx, actorOf(c), c.req.valid('json')), 201),
  );
  app.openapi(getSsoConnectionRoute, async (c) =>
    c.json(await getConnection(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(updateSsoConnectionRoute, async (c) =>
    c.json(await updateConnection(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(deleteSsoConnectionRoute, async (c) => {
    await deleteConnection(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(samlMetadataRoute, async (c) => {
    const { xml, etag } = await publicSamlMetadata(ctx, c.req.valid('param').connection);
    const caching = { etag, 'cache-control': `public, max-age=${SAML_METADATA_MAX_AGE_SECONDS}` };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, caching);
    return c.body(xml, 200, { 'content-type': 'application/samlmetadata+xml', ...caching });
  });
  app.openapi(listSsoDomainsRoute, async (c) => c.json(await listDomains(ctx, actorOf(c)), 200));
  app.openapi(addSsoDomainRoute, async (c) => c.json(await addDomain(ctx, actorOf(c), c.req.valid('json')), 201));
  app.openapi(verifySsoDomainRoute, async (c) =>
    c.json(await verifyDomain(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(updateSsoDomainRoute, async (c) =>
    c.json(await updateDomain(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(removeSsoDomainRoute, async (c) => {
    await removeDomain(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
