import type { OpenAPIHono } from '@hono/zod-openapi';
import { createCompanyRoute } from '../../openapi/routes/companies/create.ts';
import { deleteCompanyRoute } from '../../openapi/routes/companies/delete.ts';
import { getCompanyRoute } from '../../openapi/routes/companies/get.ts';
import { listCompaniesRoute } from '../../openapi/routes/companies/list.ts';
import { listCompanyActivitiesRoute } from '../../openapi/routes/companies/list-activities.ts';
import { listCompanyContactsRoute } from '../../openapi/routes/companies/list-contacts.ts';
import { listCompanyDealsRoute } from '../../openapi/routes/companies/list-deals.ts';
import { updateCompanyRoute } from '../../openapi/routes/companies/update.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { conditionalRead } from '../support/conditional-read.ts';
import { createdRecord } from '../support/created.ts';
import { etagOf } from '../support/views.ts';
import { createCompany } from './create.ts';
import { deleteCompany } from './delete.ts';
import { getCompany } from './get.ts';
import { listCompanies } from './list.ts';
import { listCompanyActivities, listCompanyContacts, listCompanyDeals } from './related.ts';
import { updateCompany } from './update.ts';

export function registerCompanyRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createCompanyRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await createCompany(ctx, actorOf(c), c.req.valid('json'), key);
    return createdRecord(c, result, '/api/v1/companies');
  });
  app.openapi(listCompaniesRoute, async (c) =>
    c.json(await listCompanies(ctx, actorOf(c), c.req.valid('query'), c.req.query()), 200),
  );
  app.openapi(getCompanyRoute, async (c) => {
    const company = await getCompany(ctx, actorOf(c), c.req.valid('param').id);
    return conditionalRead(c, company);
  });
  app.openapi(updateCompanyRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const company = await updateCompany(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(company.version));
    return c.json(company, 200);
  });
  app.openapi(deleteCompanyRoute, async (c) => {
    await deleteCompany(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('header')['if-match']);
    return c.body(null, 204);
  });
  app.openapi(listCompanyContactsRoute, async (c) =>
    c.json(await listCompanyContacts(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(listCompanyDealsRoute, async (c) =>
    c.json(await listCompanyDeals(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(listCompanyActivitiesRoute, async (c) =>
    c.json(await listCompanyActivities(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
}
