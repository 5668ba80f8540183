import type { OpenAPIHono } from '@hono/zod-openapi';
import { registerActivityRoutes } from './activities/routes.ts';
import { registerAnalyticsRoutes } from './analytics/routes.ts';
import { registerApiKeyRoutes } from './api-keys/routes.ts';
import { registerAttachmentRoutes } from './attachments/routes.ts';
import { registerAuditRoutes } from './audit/routes.ts';
import { registerAuthRoutes } from './auth/routes.ts';
import { registerCompanyRoutes } from './companies/routes.ts';
import { registerContactRoutes } from './contacts/routes.ts';
import type { RegionContext } from './context.ts';
import { registerConversionRoutes } from './conversion/routes.ts';
import { registerDealRoutes } from './deals/routes.ts';
import { registerDuplicateRoutes } from './duplicates/routes.ts';
import { registerExportRoutes } from './exports/routes.ts';
import { registerImportRoutes } from './imports/routes.ts';
import { registerLeadRoutes } from './leads/routes.ts';
import { registerPipelineRoutes } from './pipelines/routes.ts';
import { registerSearchRoutes } from './search/routes.ts';
import type { RegionEnv } from './support/actor.ts';
import { registerUserRoutes } from './users/routes.ts';

/** The public API's routes as the region answers them: the same contract the edge validates, bound to services. */
export function registerApiRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  registerAuthRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerApiKeyRoutes(app, ctx);
  registerLeadRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerCompanyRoutes(app, ctx);
  registerContactRoutes(app, ctx);
  registerPipelineRoutes(app, ctx);
  registerDealRoutes(app, ctx);
  registerActivityRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerAnalyticsRoutes(app, ctx);
  registerConversionRoutes(app, ctx);
  registerDuplicateRoutes(app, ctx);
  registerAttachmentRoutes(app, ctx);
  registerImportRoutes(app, ctx);
  registerExportRoutes(app, ctx);
}
