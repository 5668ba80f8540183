import { createRoute } from '@hono/zod-openapi';
import { jsonResponse, pick } from '../../schemas/common.ts';
import { ImportIdParam, ImportPreview, importPreviewExample } from '../../schemas/imports.ts';

export const previewImportRoute = createRoute({
  method: 'post',
  path: '/api/v1/imports/{id}/preview',
  operationId: 'previewImport',
  tags: ['imports'],
  summary: 'Check the first 20 rows against the mapping',
  description:
    'Maps the first 20 data rows with the current mapping and validates each with the same rules as the create endpoint, custom fields included (read by their type, checked against the organization’s definitions), returning the record each row would become and its errors by line and column. A required custom field left empty is reported, though such a row may still update an existing record when duplicates update. Changes nothing. Needs data:import.',
  security: [{ bearerAuth: [] }],
  request: { params: ImportIdParam },
  responses: {
    200: jsonResponse(ImportPreview, 'The first rows, checked', importPreviewExample),
    ...pick(400, 401, 403, 404, 429),
  },
});
