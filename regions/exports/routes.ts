import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { exportRoutes } from '../../openapi/routes/exports/export.ts';
import type { ExportEntity, ExportQuery } from '../../openapi/schemas/exports.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { exportCsv, recordExport } from './export.ts';

export function registerExportRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  for (const entity of Object.keys(exportRoutes) as ExportEntity[]) {
    // One handler for five routes, answering with a stream rather than JSON, which the typed responses cannot say.
    const handler = async (c: Context<RegionEnv>) => {
      const actor = actorOf(c);
      const query = (c.req as { valid(target: 'query'): ExportQuery<typeof entity> }).valid('query');
      // Permissions are checked first: a refused export is not recorded as one.
      const download = exportCsv(ctx, actor, entity, query);
      await recordExport(ctx, actor, entity, query);
      return download;
    };
    app.openapi(exportRoutes[entity], handler as never);
  }
}
